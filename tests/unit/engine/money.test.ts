import { describe, expect, it } from "vitest";
import { convertMinor, convertThreshold, minorDigits, percentOf } from "../../../app/engine";
import { decimalToMinor, minorToDecimal, shortId, variantGid } from "../../../app/engine/wire";

describe("money", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["KWD", 3],
    ["", 2],
    ["PY", 2],
  ])("knows %s has %i minor digits", (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });

  it("converts between currencies with different minor units", () => {
    expect(convertMinor(7500, "USD", "EUR", 0.92)).toBe(6900);
    expect(convertMinor(7500, "USD", "JPY", 151.37)).toBe(11353); // 11352.75 rounds half up
    expect(convertMinor(11353, "JPY", "USD", 1 / 151.37)).toBe(7500);
    expect(convertMinor(1999, "USD", "USD", 2)).toBe(1999);
  });

  it("rounds converted thresholds up to a clean unit of the cart currency", () => {
    expect(convertThreshold(7500, "USD", "EUR", 0.9137)).toBe(6900); // €68.53 → €69
    expect(convertThreshold(7500, "USD", "JPY", 151.37)).toBe(11400); // ¥11,353 → ¥11,400
    expect(convertThreshold(7500, "USD", "KRW", 1376.5)).toBe(104000); // ₩103,238 → ₩104,000
    expect(convertThreshold(7500, "USD", "INR", 83.37)).toBe(626000); // ₹6,252.75 → ₹6,260
    expect(convertThreshold(10000, "JPY", "USD", 0.0066)).toBe(6600); // $66 exactly stays
  });

  it("takes percentages rounding halves up and never goes negative or above the amount", () => {
    expect(percentOf(1999, 15)).toBe(300); // 299.85
    expect(percentOf(10, 15)).toBe(2); // 1.5 → 2
    expect(percentOf(10, 5)).toBe(1); // 0.5 → 1
    expect(percentOf(1000, 100)).toBe(1000);
    expect(percentOf(1000, 150)).toBe(1000);
    expect(percentOf(1000, -5)).toBe(0);
  });

  it("formats minor units as the decimal strings Shopify Functions take", () => {
    expect(minorToDecimal(1250, "USD")).toBe("12.50");
    expect(minorToDecimal(5, "USD")).toBe("0.05");
    expect(minorToDecimal(123456789012, "USD")).toBe("1234567890.12");
    expect(minorToDecimal(1250, "KWD")).toBe("1.250");
    expect(minorToDecimal(1250, "JPY")).toBe("1250");
    expect(minorToDecimal(-1250, "USD")).toBe("-12.50");
  });

  it("parses Shopify's decimal strings exactly", () => {
    expect(decimalToMinor("12.5", "USD")).toBe(1250);
    expect(decimalToMinor("0.29", "USD")).toBe(29); // 0.29 * 100 = 28.999… as a float
    expect(decimalToMinor("1250.0", "JPY")).toBe(1250);
    expect(decimalToMinor("0.125", "KWD")).toBe(125);
    expect(decimalToMinor(19.99, "USD")).toBe(1999);
    expect(decimalToMinor("abc", "USD")).toBeNaN();
  });

  it("round-trips every cent between minor units and decimal strings", () => {
    for (let cents = 0; cents < 100000; cents += 7) expect(decimalToMinor(minorToDecimal(cents, "USD"), "USD")).toBe(cents);
  });

  it("converts between GIDs and the short ids the engine compares", () => {
    expect(shortId("gid://shopify/ProductVariant/40123")).toBe("40123");
    expect(shortId("gid://shopify/CartLine/abc?cart=xyz")).toBe("abc");
    expect(shortId(40123)).toBe("40123");
    expect(variantGid("40123")).toBe("gid://shopify/ProductVariant/40123");
  });
});
