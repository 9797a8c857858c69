// Money: the one place the engine rounds. Amounts are integer minor units of an ISO 4217
// currency. Invariants: every helper returns a non-negative integer for non-negative
// input; halves round up (away from zero), so every surface derives the same cent.
// Formatting is not the engine's job: surfaces format with the shop's money format.

// Currencies whose minor unit is not 1/100 (ISO 4217 exponents). Everything else: 2.
const ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
const THREE = "BHD IQD JOD KWD LYD OMR TND";

/** Decimal places of a currency's minor unit: JPY 0, USD 2, KWD 3 (anything else: 2). */
export function minorDigits(currency: string): number {
  return currency.length != 3 ? 2 : ZERO.includes(currency) ? 0 : THREE.includes(currency) ? 3 : 2;
}

const pow10 = (n: number): number => 10 ** n;

/** Minor units of `from` → minor units of `to`, with `rate` units of `to` per unit of
 *  `from`. Rounds half up; never negative. */
export function convertMinor(amount: number, from: string, to: string, rate: number): number {
  if (from == to) return amount;
  return Math.max(0, Math.floor(amount * rate * pow10(minorDigits(to) - minorDigits(from)) + 0.5));
}

/** Converts a threshold and rounds it UP to a clean figure, so a shopper never sees
 *  "$75 → €68.37". The step is the largest power of ten (in cart minor units) that is at
 *  most one shop-currency unit, but never less than one whole cart-currency unit:
 *  USD→EUR rounds to 1 €, USD→JPY to ¥100, USD→KRW to ₩1,000, USD→INR to ₹10. Rounding
 *  thus adds less than one shop-currency unit (or one cart-currency unit, when that is
 *  worth more: JPY→USD rounds to $1). Explicit amounts skip this. */
export function convertThreshold(amount: number, from: string, to: string, rate: number): number {
  const converted = convertMinor(amount, from, to, rate);
  if (from == to) return converted;
  const unit = rate * pow10(minorDigits(to));
  let step = pow10(minorDigits(to));
  while (step * 10 <= unit) step *= 10;
  return Math.ceil(converted / step) * step;
}

/** `percent`% of `amount`, rounded half up, clamped to 0..amount. */
export function percentOf(amount: number, percent: number): number {
  return Math.min(amount, Math.max(0, Math.floor((amount * percent + 50) / 100)));
}
