// Money on the storefront: Shopify's money formats, and the bridge between the engine's
// minor units and the "cents" that Liquid and the Ajax Cart API use.
//
// Invariants:
// - Liquid and cart.js express every currency in hundredths of its major unit, even JPY
//   and KRW (¥1,500 is 150000); the engine uses true ISO 4217 minor units (¥1,500 is
//   1500). `toCents` / `fromCents` are the only conversions between the two.
// - `formatMoney` follows Shopify's money format placeholders exactly ({{amount}},
//   {{amount_no_decimals}}, {{amount_with_comma_separator}}, …), rounding half up, so
//   the script prints what the `money` filter prints.
import { minorDigits } from "../app/engine/money";

/** Engine minor units → Liquid/cart.js cents. */
export function toCents(minor: number, currency: string): number {
  const d = 2 - minorDigits(currency);
  return d >= 0 ? minor * 10 ** d : Math.round(minor / 10 ** -d);
}

/** Liquid/cart.js cents → engine minor units. */
export function fromCents(cents: number, currency: string): number {
  const d = 2 - minorDigits(currency);
  return d >= 0 ? Math.round(cents / 10 ** d) : cents * 10 ** -d;
}

// placeholder → [decimals, thousands separator, decimal separator]
const STYLES: Record<string, [number, string, string]> = {
  amount: [2, ",", "."],
  amount_no_decimals: [0, ",", "."],
  amount_with_comma_separator: [2, ".", ","],
  amount_no_decimals_with_comma_separator: [0, ".", ","],
  amount_with_apostrophe_separator: [2, "'", "."],
  amount_no_decimals_with_space_separator: [0, " ", ""],
  amount_with_space_separator: [2, " ", ","],
  amount_with_period_and_space_separator: [2, " ", "."],
};
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/;

/** Formats cents with a Shopify money format such as "${{amount}}" or "€{{amount_with_comma_separator}}". */
export function formatMoney(cents: number, format: string): string {
  const m = PLACEHOLDER.exec(format);
  if (!m) return format;
  const [decimals, thousands, point] = STYLES[m[1]] || STYLES.amount;
  const abs = Math.abs(Math.round(cents));
  // Integer arithmetic: half up, no float drift.
  const whole = decimals ? Math.floor(abs / 100) : Math.floor((abs + 50) / 100);
  const frac = decimals ? point + String(abs % 100).padStart(2, "0") : "";
  const digits = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  return format.replace(PLACEHOLDER, (cents < 0 && abs ? "-" : "") + digits + frac);
}

/** Formats engine minor units of `currency`. */
export const formatMinor = (minor: number, currency: string, format: string): string =>
  formatMoney(toCents(minor, currency), format);
