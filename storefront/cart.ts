// Builds the engine's `Cart` from the Ajax Cart API and tells what a cart change added.
// Pure: no DOM, no fetch. Invariants: line ids are cart.js keys (stable for a variant +
// properties); unit prices are before discounts, in engine minor units of the cart's
// currency; the offer a line came from is read from its hidden `_cartlift_offer`
// property and only identifies it (the engine re-derives what it earns).
import { OFFER_LINE_PROPERTY } from "../app/engine/cart";
import type { Cart, CartLine } from "../app/engine/types";
import type { AjaxCart } from "./ajax-cart";
import { fromCents } from "./money";

export function toEngineCart(cart: AjaxCart): Cart {
  const currency = cart.currency;
  return {
    currency,
    lines: cart.items.map((item) => {
      const line: CartLine = {
        id: item.key,
        productId: String(item.product_id),
        variantId: String(item.variant_id),
        quantity: item.quantity,
        unitPrice: fromCents(item.original_price, currency),
      };
      if (item.vendor) line.vendor = item.vendor;
      if (item.product_type) line.productType = item.product_type;
      const offerId = item.properties?.[OFFER_LINE_PROPERTY];
      if (offerId) line.offerId = offerId;
      return line;
    }),
  };
}

/** Whether free shipping means anything for this cart: an empty cart may still ship
 *  something; a cart of items that need no shipping never does. */
export const shipsAnything = (cart: AjaxCart | null): boolean => !cart?.items.length || cart.items.some((i) => i.requires_shipping !== false);

/** Quantities by line key: what a later cart is compared with. */
export type CartSnapshot = Record<string, number>;

export const snapshot = (cart: AjaxCart): CartSnapshot => Object.fromEntries(cart.items.map((i) => [i.key, i.quantity]));

/** The line a change added to (a new line, or more of one), newest first as cart.js lists them. */
export function addedLine(before: CartSnapshot, after: AjaxCart, variantId?: string): string | undefined {
  const grown = after.items.filter((i) => i.quantity > (before[i.key] || 0));
  return (grown.find((i) => !variantId || String(i.variant_id) == variantId) || grown[0])?.key;
}
