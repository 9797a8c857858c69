// Cartlift offer engine: the one pure module every surface imports (admin preview,
// publisher, storefront, checkout, discount function). No run-time dependencies, no I/O.
// See types.ts for the contract and evaluate.ts for the rules it enforces.
// The checkout extension bundles the engine for es6 (as Shopify CLI builds it), where esbuild
// lowers object spread ({ ...x }) and `?.`/`??` into helpers and temporaries (~400 bytes
// gzipped of its 16 KB budget): the code the extension bundles uses Object.assign and `&&`.
export type * from "./types";
export { evaluate } from "./evaluate";
export { parseRuleset } from "./compile";
export { minorDigits, convertMinor, convertThreshold, percentOf } from "./money";
export { shortId, variantGid, minorToDecimal, decimalToMinor } from "./wire";
export { OFFER_LINE_PROPERTY, DECLINED_CART_ATTRIBUTE, parseDeclined, withDeclined } from "./cart";
export { PLACEMENTS } from "./schema";
export { readTogether } from "./together";
