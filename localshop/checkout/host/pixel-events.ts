// Shopify's standard checkout events for the web pixels (the page's manager delivers them):
// `checkout_started` when the checkout opens, `checkout_completed` on the thank-you page's
// first view (a reload of the order status page is not a second purchase). The payload is
// the standard `checkout` object, in the part pixels read here: token, attributes, currency,
// totals, line items, and the order once placed.
import type { CheckoutView } from "../checkout";

type Publisher = { publishStandard?: (name: string, data: unknown) => boolean };

export function checkoutData(view: CheckoutView, order?: { id: string }) {
  return {
    checkout: {
      token: view.cartToken,
      attributes: view.attributes,
      currencyCode: view.currency,
      subtotalPrice: view.cost.subtotalAmount,
      totalPrice: view.cost.totalAmount,
      lineItems: view.lines.map((l) => ({ id: l.id, quantity: l.quantity, variant: { id: l.merchandise.id }, attributes: l.attributes })),
      ...(order ? { order: { id: order.id } } : {}),
    },
  };
}

export function publishCheckoutEvent(name: "checkout_started" | "checkout_completed", view: CheckoutView, order?: { id: string }): void {
  if (name == "checkout_completed" && order) {
    const key = `localshop:completed:${order.id}`;
    try {
      if (sessionStorage.getItem(key)) return;
      sessionStorage.setItem(key, "1");
    } catch {
      // storage blocked: publish anyway
    }
  }
  ((window as { Shopify?: { analytics?: Publisher } }).Shopify?.analytics)?.publishStandard?.(name, checkoutData(view, order));
}
