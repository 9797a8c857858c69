// Cartlift offer engine: the one pure module every surface imports. See types.ts for the
// contract. No run-time dependencies, no I/O.
import type { Cart, Context, Evaluation, ParseResult, Ruleset, CartLine } from "./types";

export type * from "./types";

/** Line property key surfaces tag an offer's lines with (underscore: hidden at checkout). */
export const OFFER_LINE_PROPERTY = "_cartlift_offer";

/** Decide offers, goals and discounts. Never throws; invalid input → diagnostics only. */
export function evaluate(ruleset: Ruleset, cart: Cart, context: Context): Evaluation {
  void ruleset; void context;
  return { currency: cart.currency, offers: [], freeShipping: null, rewardTiers: [], discounts: [], skipped: [], diagnostics: [] };
}

/** Validate published/edited JSON (or a JSON string). Never throws. */
export function parseRuleset(json: unknown): ParseResult {
  void json;
  return { ok: false, errors: [{ path: "", message: "not implemented" }] };
}

// Money (stubs in this commit; signatures are final)
export declare function minorDigits(currency: string): number;
export declare function convertMinor(amount: number, from: string, to: string, rate: number): number;
export declare function convertThreshold(amount: number, from: string, to: string, rate: number): number;
export declare function percentOf(amount: number, percent: number): number;
export declare function minorToDecimal(amount: number, currency: string): string;
export declare function decimalToMinor(amount: string | number, currency: string): number;
// Cart helpers
export declare function cartSubtotal(cart: Cart): number;
export declare function itemCount(cart: Cart): number;
export declare function linesForOffer(cart: Cart, offerId: string): CartLine[];
export declare function shortId(id: string | number): string;
export declare function variantGid(id: string): string;
