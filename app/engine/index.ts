// Cartlift offer engine: the one pure module every surface imports (admin preview,
// publisher, storefront, checkout, discount function). No run-time dependencies, no I/O.
// See types.ts for the contract and evaluate.ts for the rules it enforces.
export type * from "./types";
export { evaluate } from "./evaluate";
export { parseRuleset } from "./compile";
export { minorDigits, convertMinor, convertThreshold, percentOf, minorToDecimal, decimalToMinor } from "./money";
export { OFFER_LINE_PROPERTY, cartSubtotal, linesForOffer, shortId, variantGid } from "./cart";
export { PLACEMENTS } from "./schema";
