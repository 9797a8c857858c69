// Cart helpers every surface needs to build a `Cart` and act on an evaluation. Pure; ids
// are Shopify numeric ids as strings, the form the engine compares.
import type { Cart, CartLine } from "./types";

/** Line property key surfaces tag an offer's lines with (underscore: hidden at checkout). */
export const OFFER_LINE_PROPERTY = "_cartlift_offer";

/** Sum of unit price × quantity, in cart minor units, before discounts. */
export const cartSubtotal = (cart: Cart): number => cart.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);

/** Lines added through an offer (for attribution and "added ✓" states). */
export const linesForOffer = (cart: Cart, offerId: string): CartLine[] => cart.lines.filter((l) => l.offerId == offerId);

/** "gid://shopify/ProductVariant/123" or 123 → "123". */
export const shortId = (id: string | number): string => String(id).replace(/^gid:\/\/shopify\/\w+\/|\?.*$/g, "");

/** "123" → "gid://shopify/ProductVariant/123" (checkout and Function APIs take GIDs). */
export const variantGid = (id: string): string => "gid://shopify/ProductVariant/" + id;
