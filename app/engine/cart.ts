// What every surface agrees on about cart lines. (Subtotals and the like are one-line
// reductions each surface writes inline; the engine computes its own.)

/** Line property key surfaces tag an offer's lines with (underscore: hidden at checkout). */
export const OFFER_LINE_PROPERTY = "_cartlift_offer";

/** Cart attribute carrying the offer ids the shopper declined ("No thanks"), so every
 *  surface of this cart agrees: the storefront writes it, checkout reads and extends it.
 *  Underscore: hidden at checkout. Closing a pop-up is not declining and never writes it. */
export const DECLINED_CART_ATTRIBUTE = "_cartlift_declined";

/** At most this many ids are carried (newest kept): an attribute value stays small. */
const MAX_DECLINED = 40;

/** Offer ids in a declined attribute's value ("a,b"); anything malformed reads as none. */
export function parseDeclined(value: unknown): string[] {
  if (typeof value != "string") return [];
  return [...new Set(value.split(",").map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 80))];
}

/** The attribute's value with `ids` added (deduplicated, oldest dropped past the cap). */
export function withDeclined(value: unknown, ids: string[]): string {
  const all = [...new Set([...parseDeclined(value), ...parseDeclined(ids.join(","))])];
  return all.slice(-MAX_DECLINED).join(",");
}
