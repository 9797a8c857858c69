import { describe, expect, it } from "vitest";
import { guardrailWarnings } from "../../../app/offers/guardrails";
import { recordToInput, validateInput } from "../../../app/offers/model";
import { templateInput } from "../../../app/offers/templates";
import { BURGER, CASE_BLACK, catalog, DRINK, FILM, FRIES, makeInput, makeRecord, PHONE_128, PHONE_64 } from "./fixtures";

const errorsOf = (input: Parameters<typeof validateInput>[0]) => {
  const result = validateInput(input, "USD", catalog());
  return result.ok ? {} : result.errors;
};

describe("guardrails: what blocks a save", () => {
  it("refuses a fixed discount at or above an offered item's price, naming the item", () => {
    // The film costs $15.00: $15.00 off shows it at $0.00.
    const errors = errorsOf(makeInput({ trigger: { variants: [PHONE_64] } as never, variants: [CASE_BLACK, FILM], discount: { kind: "amount", value: "15.00" } }));
    expect(errors["discount.value"]).toBe(
      "A $15.00 discount is at least the price of Aurora Screen Film (2-pack) ($15.00): it would be free. Use a smaller amount or a percentage.",
    );
  });

  it("accepts a fixed discount below every offered item's price", () => {
    expect(errorsOf(makeInput({ trigger: { variants: [PHONE_64] } as never, variants: [CASE_BLACK, FILM], discount: { kind: "amount", value: "14.99" } }))).toEqual({});
  });

  it("refuses a bundle's fixed discount that gives a component away", () => {
    const input = makeInput({ kind: "bundle", components: [{ variantId: BURGER, quantity: "1" }, { variantId: FRIES, quantity: "1" }, { variantId: DRINK, quantity: "1" }], discount: { kind: "amount", value: "2.00" } });
    expect(errorsOf(input)["discount.value"]).toMatch(/price of Fountain Drink \(\$2\.00\)/);
  });

  it("refuses quantity tiers whose discount falls as the quantity rises", () => {
    const input = makeInput({
      kind: "quantity_break",
      trigger: { variants: [BURGER] } as never,
      tiers: [
        { quantity: "2", kind: "percent", value: "15" },
        { quantity: "3", kind: "percent", value: "10" },
      ],
    });
    expect(errorsOf(input)).toEqual({ "tiers[1].value": "Buying 3 would save less (10%) than buying 2 (15%): raise it, or drop the tier." });
  });

  it("accepts rising tiers, and tiers of different kinds side by side", () => {
    const input = makeInput({
      kind: "quantity_break",
      trigger: { variants: [BURGER] } as never,
      tiers: [
        { quantity: "2", kind: "percent", value: "10" },
        { quantity: "3", kind: "amount", value: "1.00" },
        { quantity: "4", kind: "percent", value: "20" },
      ],
    });
    expect(errorsOf(input)).toEqual({});
  });

  it("asks before a quantity break discounts every product in the store, as the template would", () => {
    const input = { ...templateInput("quantity_breaks", Date.now()), name: "Quantity breaks" };
    expect(errorsOf(input).trigger).toMatch(/every product in your store/);
    expect(errorsOf({ ...input, everyProduct: true })).toEqual({});
    expect(errorsOf({ ...input, trigger: { ...input.trigger, products: ["1101"] } })).toEqual({});
  });

  it("keeps a saved store-wide quantity break confirmed when it is edited again", () => {
    const record = makeRecord({ kind: "quantity_break", definition: { tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }] } });
    const input = recordToInput(record, "USD");
    expect(input.everyProduct).toBe(true);
    expect(errorsOf(input)).toEqual({});
  });
});

describe("guardrails: what the merchant is told but may mean", () => {
  it("says plainly that an upgrade's discount is open to anyone who adds the upgraded variant", () => {
    const input = makeInput({ kind: "upsell", trigger: { variants: [PHONE_64] } as never, variants: [PHONE_128], discount: { kind: "percent", value: "10" } });
    expect(guardrailWarnings(input).discount).toMatch(/Anyone who adds the upgraded variant through this offer gets this discount/);
    expect(errorsOf(input)).toEqual({});
  });

  it("has nothing to say about an upgrade at its regular price, or a discounted cross-sell", () => {
    expect(guardrailWarnings(makeInput({ kind: "upsell", variants: [PHONE_128] }))).toEqual({});
    expect(guardrailWarnings(makeInput({ variants: [FILM], discount: { kind: "percent", value: "10" } }))).toEqual({});
  });
});
