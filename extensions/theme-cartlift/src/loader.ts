// Cartlift's page-view script (assets/cartlift.js, deferred): tiny on purpose. It makes
// no request on a page view. It listens for cart changes (Shopify's standard
// `shopify:cart:lines-update` event, Dawn's `cart-update` publish) and for the shopper's
// first interaction on pages that show Cartlift widgets, and only then imports the
// engine-bearing script (assets/cartlift-app.js), handing it the signals so far.
// What Liquid could render exactly (the cart page's free-shipping bar) is already on the
// page; the rest fills space Liquid reserved, so nothing shifts.
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

  document.addEventListener("shopify:cart:lines-update", (e: any) => {
    const added = e.action == "add" && e.lines?.[0]?.merchandiseId;
    signal({ kind: "lines", action: e.action, context: e.context, variantId: added ? String(added).split("/").pop() : undefined, promise: e.promise });
  });
  // Dawn and its descendants publish cart changes on their own pub/sub.
  w.subscribe?.(w.PUB_SUB_EVENTS?.cartUpdate || "cart-update", (d: any) =>
    signal({ kind: "dawn", source: d?.source, variantId: d?.productVariantId ? String(d.productVariantId) : undefined }),
  );

  // A bar whose threshold the engine must convert (no explicit amount for this currency)
  // is on screen now: the engine is needed at once.
  if (document.querySelector("[data-cartlift-bar][data-pending]")) signal({ kind: "interaction" });
  // Widgets on this page (a product or cart block, a theme cart drawer): load on the
  // first interaction, so a page view costs only this script.
  else if (document.querySelector("[data-cartlift-mount],cart-drawer,#CartDrawer")) {
    const events = ["pointerdown", "pointermove", "keydown", "touchstart", "scroll", "focusin"];
    const once = () => {
      events.forEach((e) => removeEventListener(e, once, true));
      signal({ kind: "interaction" });
    };
    events.forEach((e) => addEventListener(e, once, { capture: true, passive: true }));
  }
}
