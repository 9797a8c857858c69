// Cartlift's page-view script (assets/cartlift.js, deferred): tiny on purpose. It makes
// no request on a page view. It listens for cart changes (Shopify's standard
// `shopify:cart:lines-update` event, Dawn's `cart-update` publish) and for the shopper's
// first interaction on pages that show Cartlift widgets, and only then imports the
// engine-bearing script (assets/cartlift-app.js), handing it the signals so far.
// What Liquid could render exactly (the cart page's free-shipping bar) is already on the
// page; a bar whose threshold must be converted it completes here (see page-bar.ts);
// the rest fills space Liquid reserved, so nothing shifts.
import { barView } from "./bar";
import { formatMinor, fromCents } from "./money";
import { goalsFromTotal } from "./page-bar";
import type { AppHost, PageConfig, Signal } from "./signals";

type AppModule = { start(host: AppHost): void };
const w = window as any;
const configEl = document.getElementById("cartlift-config");

if (configEl && !w.__cartlift) {
  w.__cartlift = 1;
  let config: PageConfig | undefined;
  const queue: Signal[] = [];
  let deliver: ((s: Signal) => void) | undefined;
  let loading: Promise<unknown> | undefined;

  const load = () =>
    (loading ||= import(/* @vite-ignore */ (config ||= JSON.parse(configEl.textContent || "{}")).app).then((m: AppModule) =>
      m.start({
        config: config!,
        listen(handler) {
          deliver = handler;
          queue.splice(0).forEach(handler);
        },
      }),
    ));
  const signal = (s: Signal) => {
    deliver ? deliver(s) : queue.push(s);
    load();
  };

  // A button Liquid rendered (a reward's gift) may be clicked before the engine is here:
  // hold the click and replay it once it is. And the press itself may wake the engine,
  // whose first render replaces the pressed button before the release: the browser then
  // sends the click to the container, not the button. Remember what was pressed, and
  // resolve such a click to it, so the shopper's click is never lost.
  let pressed: string | null = null;
  document.addEventListener(
    "pointerdown",
    (e) => {
      pressed = (e.target as HTMLElement).closest?.("[data-cl-act]")?.getAttribute("data-cl-act") ?? null;
    },
    true,
  );
  document.addEventListener(
    "click",
    (e) => {
      const t = e.target as HTMLElement;
      const direct = t.closest?.("[data-cl-act]")?.getAttribute("data-cl-act");
      const replaced = !direct && pressed && t.querySelector?.(`[data-cl-act="${CSS.escape(pressed)}"]`) ? pressed : null;
      pressed = null;
      const act = deliver ? replaced : direct || replaced;
      if (!act) return;
      e.preventDefault();
      e.stopPropagation();
      signal({ kind: "click", act });
    },
    true,
  );

  document.addEventListener("shopify:cart:lines-update", (e: any) => {
    const added = e.action == "add" && e.lines?.[0]?.merchandiseId;
    signal({ kind: "lines", action: e.action, context: e.context, variantId: added ? String(added).split("/").pop() : undefined, promise: e.promise });
  });
  // Dawn and its descendants publish cart changes on their own pub/sub.
  w.subscribe?.(w.PUB_SUB_EVENTS?.cartUpdate || "cart-update", (d: any) =>
    signal({ kind: "dawn", source: d?.source, variantId: d?.productVariantId ? String(d.productVariantId) : undefined }),
  );

  // A cart page bar Liquid left to us (its threshold is converted): fill it now.
  document.querySelectorAll<HTMLElement>("[data-cartlift-bar][data-pending]").forEach((el) => {
    const c = (config ||= JSON.parse(configEl.textContent || "{}")) as PageConfig;
    const d = el.dataset;
    const total = fromCents(Number(d.total), c.currency);
    const view = barView(goalsFromTotal(JSON.parse(d.goals!), c.currency, Number(w.Shopify?.currency?.rate) || 1, total, !("noShipping" in d)), (m) => formatMinor(m, c.currency, c.moneyFormat), {
      bar_away: d.away!,
      bar_reached: d.reached!,
      bar_away_reward: d.awayReward!,
      bar_reached_reward: d.reachedReward!,
    });
    if (!view) return;
    const pct = String(Math.floor(view.progress * 100));
    el.querySelector(".cartlift-bar__message")!.textContent = view.message;
    el.querySelector("[role=progressbar]")!.setAttribute("aria-valuenow", pct);
    el.querySelector<HTMLElement>(".cartlift-bar__fill")!.style.width = pct + "%";
    el.classList.toggle("cartlift-bar--reached", view.reached);
    el.removeAttribute("data-pending");
  });

  // Widgets on this page (a product or cart block, a theme cart drawer): load on the
  // first interaction, so a page view costs only this script.
  if (document.querySelector("[data-cartlift-mount],cart-drawer,#CartDrawer")) {
    const events = ["pointerdown", "pointermove", "keydown", "touchstart", "scroll", "focusin"];
    const once = () => {
      events.forEach((e) => removeEventListener(e, once, true));
      signal({ kind: "interaction" });
    };
    events.forEach((e) => addEventListener(e, once, { capture: true, passive: true }));
  }
}
