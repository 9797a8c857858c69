// Shopify's wire formats, for the surfaces that speak them (checkout extension, discount
// function): GIDs and decimal money strings. The engine itself compares short numeric ids
// and integer minor units; these convert at the boundary. The storefront (cart.js:
// numeric ids, integer cents) needs none of it, so its bundle tree-shakes this away.
import { minorDigits } from "./money";

/** "gid://shopify/ProductVariant/123" or 123 → "123". */
export const shortId = (id: string | number): string => String(id).replace(/^gid:\/\/shopify\/\w+\/|\?.*$/g, "");

/** "123" → "gid://shopify/ProductVariant/123" (checkout and Function APIs take GIDs). */
export const variantGid = (id: string): string => "gid://shopify/ProductVariant/" + id;

/** 1250, "USD" → "12.50"; 1250, "JPY" → "1250" (Shopify Function decimal strings).
 *  Exact: an integer over a power of ten is within float precision of its decimal. */
export function minorToDecimal(amount: number, currency: string): string {
  const d = minorDigits(currency);
  return (amount / 10 ** d).toFixed(d);
}

/** "12.50", "USD" → 1250 (Shopify's decimal strings). Exact for amounts with at most the
 *  currency's decimals, e.g. "0.29" (28.999… as a float product) → 29; NaN if not
 *  numeric (but "" is 0). */
export function decimalToMinor(amount: string | number, currency: string): number {
  return Math.round(+amount * 10 ** minorDigits(currency));
}
