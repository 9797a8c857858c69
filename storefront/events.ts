// Offer events for Cartlift's web pixel: the storefront publishes them with Shopify's
// `Shopify.analytics.publish` (custom events, `cartlift:*`; app/analytics/pixel-events.ts),
// and Shopify hands them to the pixel, which batches them to Cartlift. Nothing here calls
// Cartlift: a page view costs no request (this runs with the engine, after the first
// interaction), and a shop without the pixel (or a shopper without consent) just drops them.
// An offer's impression counts once per page and placement, and only once it can be seen
// where that is not a given (the cart drawer: `whenSeen`); the visitor marker once per
// browser session.
import { eventName, type CartliftEventKind } from "../app/analytics/pixel-events";

const SESSION_KEY = "cartlift:session";

export interface EventHost {
  Shopify?: { analytics?: { publish?: (name: string, data: unknown) => unknown } };
  sessionStorage?: Storage;
}

export function offerEvents(host: EventHost, group: () => string) {
  const shown = new Set<string>();
  let visited = false;
  const publish = (kind: CartliftEventKind, data: { offerId?: string; placement?: string }) => {
    try {
      host.Shopify?.analytics?.publish?.(eventName(kind), { ...data, group: group() });
    } catch {
      // a theme's broken analytics never stops the offers
    }
  };
  return {
    /** Offers now on screen in a placement (repeats on re-render are not new impressions). */
    impressions(offerIds: string[], placement: string): void {
      for (const offerId of offerIds) {
        const key = placement + ":" + offerId;
        if (shown.has(key)) continue;
        shown.add(key);
        publish("impression", { offerId, placement });
      }
    },
    click: (offerId: string, placement: string) => publish("click", { offerId, placement }),
    accept: (offerId: string, placement: string) => publish("accept", { offerId, placement }),
    dismiss: (offerId: string, placement: string) => publish("dismiss", { offerId, placement }),
    /** Once per browser session: this visitor was here, in this group (the guardrail's
     *  visitors; a group that changes later in the session is not a second visitor). */
    session(): void {
      if (visited) return;
      visited = true;
      try {
        if (host.sessionStorage?.getItem(SESSION_KEY)) return;
        host.sessionStorage?.setItem(SESSION_KEY, "1");
      } catch {
        // storage blocked: count the page
      }
      publish("session", {});
    },
  };
}

/**
 * Calls `fn` once, when `el` can be seen, so an impression means the shopper could see the
 * offer: half of it inside the viewport and whatever clips it (IntersectionObserver: a closed
 * drawer slid off screen, or offers scrolled out of the drawer's list, do not count), and not
 * hidden by `visibility` or a zero opacity (`checkVisibility`: a closed drawer may stay in
 * place, only `visibility: hidden`). Re-checked as it moves, when a class or state attribute
 * changes anywhere on the page (a theme opening its drawer) and when a transition ends.
 * Returns the function that stops watching.
 */
export function whenSeen(el: Element, fn: () => void): () => void {
  let inView = false;
  const shown = () =>
    el.checkVisibility
      ? // with the options' first names too (all Chromium before 121 knows)
        el.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true })
      : getComputedStyle(el).visibility != "hidden";
  const check = () => {
    if (!inView || !el.isConnected || !shown()) return;
    stop();
    fn();
  };
  const io = new IntersectionObserver(
    (entries) => {
      const e = entries[entries.length - 1];
      inView = e.isIntersecting && e.intersectionRatio >= 0.5;
      check();
    },
    { threshold: [0, 0.5] },
  );
  const mo = new MutationObserver(check);
  io.observe(el);
  mo.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ["class", "style", "open", "hidden", "aria-hidden"] });
  document.addEventListener("transitionend", check, true);
  function stop(): void {
    io.disconnect();
    mo.disconnect();
    document.removeEventListener("transitionend", check, true);
  }
  return stop;
}

/** Where a clicked control sits: its mount's placement, or the pop-up. */
export function placementOf(el: Element | null): string {
  if (el?.closest("dialog.cartlift-popup")) return "add_to_cart_popup";
  return el?.closest("[data-cartlift-mount]")?.getAttribute("data-cartlift-mount") || "cart";
}
