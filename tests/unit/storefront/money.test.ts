import { describe, expect, it } from "vitest";
import { formatMinor, formatMoney, fromCents, toCents } from "../../../storefront/money";

describe("formatMoney (Shopify money formats)", () => {
  it.each([
    ["${{amount}}", 123456789, "$1,234,567.89"],
    ["${{amount}}", 5, "$0.05"],
    ["{{amount_no_decimals}} kr", 123450, "1,235 kr"],
    ["{{amount_no_decimals}} kr", 123449, "1,234 kr"],
    ["€{{amount_with_comma_separator}}", 6900, "€69,00"],
    ["€{{amount_with_comma_separator}}", 123456, "€1.234,56"],
    ["{{amount_no_decimals_with_comma_separator}}", 123456789, "1.234.568"],
    ["CHF {{amount_with_apostrophe_separator}}", 123456789, "CHF 1'234'567.89"],
    ["{{amount_no_decimals_with_space_separator}} Ft", 123456789, "1 234 568 Ft"],
    ["{{amount_with_space_separator}} zł", 123456, "1 234,56 zł"],
    ["{{amount_with_period_and_space_separator}}", 123456, "1 234.56"],
    ["¥{{amount_no_decimals}}", 1136400, "¥11,364"],
    ["{{ amount }} USD", 100, "1.00 USD"],
  ])("%s formats %i cents as %s", (format, cents, expected) => {
    expect(formatMoney(cents, format)).toBe(expected);
  });

  it("puts the sign before the digits", () => {
    expect(formatMoney(-1250, "${{amount}}")).toBe("$-12.50");
  });
});

describe("cents and engine minor units", () => {
  it("multiplies zero-decimal currencies by 100, as Liquid and cart.js do", () => {
    expect(toCents(11400, "JPY")).toBe(1140000);
    expect(fromCents(1140000, "JPY")).toBe(11400);
    expect(toCents(104000, "KRW")).toBe(10400000);
  });
  it("leaves two-decimal currencies alone", () => {
    expect(toCents(6900, "EUR")).toBe(6900);
    expect(fromCents(7500, "USD")).toBe(7500);
  });
  it("formats engine minor units with the shop's format", () => {
    expect(formatMinor(11400, "JPY", "¥{{amount_no_decimals}}")).toBe("¥11,400");
    expect(formatMinor(4232, "EUR", "€{{amount_with_comma_separator}}")).toBe("€42,32");
  });
});
