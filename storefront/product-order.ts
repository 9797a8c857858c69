// The product page's order of offers: the viewed product's own first (offers its page
// triggered, a bundle it is part of, its quantity breaks), then what the cart's other lines
// triggered and the merchant placed on product pages too. Pure; stable within each group
// (the engine's priority order).
import type { ShownOffer } from "../app/engine/types";

/** Whether an offer is about the product on screen rather than about another cart line. */
export function aboutViewed(offer: ShownOffer, productId: string, variantId: string): boolean {
  if (offer.kind == "bundle") return offer.action.kind == "addLines" && offer.action.lines.some((l) => l.variantId == variantId);
  if (offer.kind == "quantity_break") return offer.items.some((i) => i.productId == productId);
  return !offer.lineId;
}

export const viewedFirst = (offers: ShownOffer[], productId: string, variantId: string): ShownOffer[] => [
  ...offers.filter((o) => aboutViewed(o, productId, variantId)),
  ...offers.filter((o) => !aboutViewed(o, productId, variantId)),
];
