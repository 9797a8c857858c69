// Offer events for Cartlift's web pixel: the storefront publishes them with Shopify's
// `Shopify.analytics.publish` (custom events, `cartlift:*`; app/analytics/pixel-events.ts),
// and Shopify hands them to the pixel, which batches them to Cartlift. Nothing here calls
// Cartlift: a page view costs no request (this runs with the engine, after the first
// interaction), and a shop without the pixel (or a shopper without consent) just drops them.
// An offer's impression counts once per page and placement; the visitor marker once per
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

/** Where a clicked control sits: its mount's placement, or the pop-up. */
export function placementOf(el: Element | null): string {
  if (el?.closest("dialog.cartlift-popup")) return "add_to_cart_popup";
  return el?.closest("[data-cartlift-mount]")?.getAttribute("data-cartlift-mount") || "cart";
}
