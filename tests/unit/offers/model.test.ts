import { describe, expect, it } from "vitest";
import { evaluate, parseRuleset } from "../../../app/engine";
import {
  coerceInput,
  displayStatus,
  fieldForPath,
  parseInput,
  recordToInput,
  toEngineOffer,
  validateInput,
} from "../../../app/offers/model";
import { TEMPLATES, templateInput } from "../../../app/offers/templates";
import { BURGER, CASE_BLACK, catalog, DRINK, FILM, FRIES, makeInput, PHONE_128, PHONE_64 } from "./fixtures";

describe("offer input validation (the engine's rules)", () => {
  it("accepts a frequently-bought-together offer and builds the engine offer from it", () => {
    const input = makeInput({ trigger: { variants: [PHONE_64] } as never, variants: [CASE_BLACK, FILM] });
    const result = validateInput(input, "USD", catalog());
    expect(result.ok).toBe(true);
    const offer = toEngineOffer("o1", result.fields);
    expect(offer).toEqual({ id: "o1", kind: "cross_sell", placements: ["product", "cart", "drawer"], trigger: { variants: [PHONE_64] }, variants: [CASE_BLACK, FILM] });
  });

  it("reports a missing name, no placements and no offered product next to their fields", () => {
    const result = validateInput(makeInput({ name: " ", placements: [] }), "USD", catalog());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.name).toMatch(/name/);
    expect(result.errors.placements).toMatch(/at least one place/);
    expect(result.errors.variants).toBe("Choose at least one product to offer.");
  });

  it("maps the engine's discount range error to discount.value", () => {
    const result = validateInput(makeInput({ variants: [FILM], discount: { kind: "percent", value: "150" } }), "USD", catalog());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors["discount.value"]).toMatch(/percentage/);
  });

  it("reads amounts in the shop currency's minor units", () => {
    const { fields, errors } = parseInput(makeInput({ variants: [FILM], discount: { kind: "amount", value: "2.50" } }), "USD");
    expect(errors).toEqual({});
    expect(fields.definition.discount).toEqual({ kind: "amount", value: 250 });
    expect(parseInput(makeInput({ variants: [FILM], discount: { kind: "amount", value: "500" } }), "JPY").fields.definition.discount).toEqual({ kind: "amount", value: 500 });
    expect(parseInput(makeInput({ discount: { kind: "amount", value: "abc" } }), "USD").errors["discount.value"]).toBe("Enter an amount like 5.00.");
  });

  it("reports a product that left the catalog", () => {
    const result = validateInput(makeInput({ variants: ["999999"] }), "USD", catalog());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.variants).toMatch(/no longer in your catalog/);
  });

  it("requires an upgrade's trigger", () => {
    const result = validateInput(makeInput({ kind: "upsell", variants: [PHONE_128] }), "USD", catalog());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.trigger).toMatch(/replaces/);
  });

  it("checks bundles: 2 to 4 different products and a discount", () => {
    const one = validateInput(makeInput({ kind: "bundle", components: [{ variantId: BURGER, quantity: "1" }], discount: { kind: "percent", value: "15" } }), "USD", catalog());
    expect(one.ok).toBe(false);
    if (!one.ok) expect(one.errors.components).toBe("A bundle needs 2 to 4 different products.");
    const noDiscount = validateInput(
      makeInput({ kind: "bundle", components: [{ variantId: BURGER, quantity: "1" }, { variantId: FRIES, quantity: "1" }], discount: { kind: "percent", value: "" } }),
      "USD",
      catalog(),
    );
    expect(noDiscount.ok).toBe(false);
    if (!noDiscount.ok) expect(noDiscount.errors["discount.value"]).toBeTruthy();
    const good = validateInput(
      makeInput({ kind: "bundle", components: [BURGER, FRIES, DRINK].map((variantId) => ({ variantId, quantity: "1" })), discount: { kind: "percent", value: "15" } }),
      "USD",
      catalog(),
    );
    expect(good.ok).toBe(true);
  });

  it("checks quantity-break tiers ascend and start at 2", () => {
    const result = validateInput(
      makeInput({
        kind: "quantity_break",
        tiers: [
          { quantity: "1", kind: "percent", value: "10" },
          { quantity: "3", kind: "percent", value: "15" },
          { quantity: "3", kind: "percent", value: "20" },
        ],
      }),
      "USD",
      catalog(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors["tiers[0].quantity"]).toBe("Quantity must be 2 or more.");
  });

  it("maps audience condition errors and schedule order to their fields", () => {
    const result = validateInput(
      makeInput({
        variants: [FILM],
        audience: { minSubtotal: "", maxSubtotal: "", minItems: "-1", customer: "any", customerTags: [], countries: [] },
        startsAt: "2026-12-01T00:00:00Z",
        endsAt: "2026-11-01T00:00:00Z",
      }),
      "USD",
      catalog(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors["audience.minItems"]).toBe("Enter 0 or more.");
    expect(result.errors.endsAt).toBe("The end must be after the start.");
  });

  it("maps ruleset paths to form fields", () => {
    expect(fieldForPath("offers[0].discount.value", [])).toBe("discount.value");
    expect(fieldForPath("offers[0].tiers[1].discount.value", [])).toBe("tiers[1].value");
    expect(fieldForPath("offers[0].components[2].quantity", [])).toBe("components[2].quantity");
    expect(fieldForPath("offers[0].conditions.all[1].value", ["audience.minSubtotal", "audience.countries"])).toBe("audience.countries");
    expect(fieldForPath("offers[0].variants[0]", [])).toBe("variants.variantId");
    expect(fieldForPath("offers[0].id", [])).toBe("form");
  });

  it("round-trips a stored offer through the form", () => {
    const input = makeInput({
      trigger: { products: ["1001"], tags: ["phone"] } as never,
      variants: [CASE_BLACK],
      discount: { kind: "amount", value: "5.00" },
      audience: { minSubtotal: "100.00", maxSubtotal: "", minItems: "2", customer: "returning", customerTags: ["vip"], countries: ["US", "CA"] },
      anchorShare: "40",
      endsAt: "2030-01-01T00:00:00.000Z",
    });
    const { fields, errors } = parseInput(input, "USD");
    expect(errors).toEqual({});
    const again = recordToInput(fields, "USD");
    expect(again).toEqual({ ...input, template: undefined });
  });

  it("coerces hostile JSON into blanks instead of throwing", () => {
    const input = coerceInput({ kind: "drop table", placements: ["nowhere", "cart"], trigger: { products: [1, null, "2"] }, tiers: "x" });
    expect(input.kind).toBe("cross_sell");
    expect(input.placements).toEqual(["cart"]);
    expect(input.trigger.products).toEqual(["1", "2"]);
    expect(input.tiers).toEqual([]);
    expect(coerceInput(null).name).toBe("");
  });
});

describe("new customers and guests", () => {
  // A cross-sell for new customers, evaluated for each kind of shopper on a cart with its trigger.
  const offerFor = (customer: "new" | "new_or_guest") => {
    const input = makeInput({
      trigger: { variants: [PHONE_64] } as never,
      variants: [FILM],
      audience: { minSubtotal: "", maxSubtotal: "", minItems: "", customer, customerTags: [], countries: [] },
    });
    const { fields, errors } = parseInput(input, "USD");
    expect(errors).toEqual({});
    expect(coerceInput(input).audience.customer).toBe(customer);
    expect(recordToInput(fields, "USD").audience.customer).toBe(customer);
    return toEngineOffer("o1", fields);
  };
  const shown = (customer: "new" | "new_or_guest", shopper: object | undefined) => {
    const parsed = parseRuleset({ schemaVersion: 1, revision: 1, shop: { currency: "USD" }, offers: [offerFor(customer)], products: catalog() });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const cart = { currency: "USD", lines: [{ id: "l1", productId: "1001", variantId: PHONE_64, quantity: 1, unitPrice: 69900 }] };
    return evaluate(parsed.ruleset, cart, { placement: "cart", now: 0, ...(shopper ? { customer: shopper as never } : {}) }).offers.map((o) => o.id);
  };

  it("“New customers” are logged-in customers without orders: a guest is not one", () => {
    expect(shown("new", { loggedIn: true, orderCount: 0 })).toEqual(["o1"]);
    expect(shown("new", { loggedIn: true, orderCount: 2 })).toEqual([]);
    expect(shown("new", undefined)).toEqual([]); // a returning customer who did not log in
  });

  it("“New, or a guest” includes guests explicitly", () => {
    expect(offerFor("new_or_guest").conditions).toEqual({ all: [{ any: [{ fact: "orderCount", op: "eq", value: 0 }, { fact: "loggedIn", op: "eq", value: false }] }] });
    expect(shown("new_or_guest", undefined)).toEqual(["o1"]);
    expect(shown("new_or_guest", { loggedIn: true, orderCount: 0 })).toEqual(["o1"]);
    expect(shown("new_or_guest", { loggedIn: true, orderCount: 2 })).toEqual([]);
  });
});

describe("display status", () => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  it("combines the stored status with the schedule", () => {
    expect(displayStatus({ status: "active", startsAt: null, endsAt: null }, now)).toBe("active");
    expect(displayStatus({ status: "active", startsAt: new Date(now + 1000), endsAt: null }, now)).toBe("scheduled");
    expect(displayStatus({ status: "paused", startsAt: null, endsAt: null }, now)).toBe("paused");
    expect(displayStatus({ status: "paused", startsAt: null, endsAt: new Date(now - 1) }, now)).toBe("expired");
  });
});

describe("templates", () => {
  it("every offer template becomes a valid offer once its products are chosen", () => {
    for (const template of TEMPLATES.filter((t) => t.kind)) {
      const input = templateInput(template.id, Date.parse("2026-06-01T00:00:00Z"));
      input.name ||= "From scratch";
      if (input.kind == "bundle") input.components = [BURGER, FRIES].map((variantId) => ({ variantId, quantity: "1" }));
      else if (input.kind == "quantity_break") input.trigger.products = ["1101"];
      else {
        input.trigger.variants = [PHONE_64];
        input.variants = input.kind == "upsell" ? [PHONE_128] : [CASE_BLACK];
      }
      const result = validateInput(input, "USD", catalog());
      expect(result.ok ? {} : result.errors, template.id).toEqual({});
    }
  });

  it("the free-shipping bar leads to the settings", () => {
    expect(TEMPLATES.find((t) => t.id == "free_shipping_bar")?.settingsUrl).toBe("/app/settings#free-shipping");
  });

  it("a frequently-bought-together offer offers the case and film with the 64 GB phone", () => {
    const input = templateInput("frequently_bought_together");
    input.trigger.variants = [PHONE_64];
    input.variants = [CASE_BLACK, FILM];
    const result = validateInput(input, "USD", catalog());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const parsed = parseRuleset({ schemaVersion: 1, revision: 1, shop: { currency: "USD" }, offers: [toEngineOffer("fbt", result.fields)], products: catalog() });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const evaluation = evaluate(
      parsed.ruleset,
      { currency: "USD", lines: [{ id: "l1", productId: "1001", variantId: PHONE_64, quantity: 1, unitPrice: 69900 }] },
      { placement: "cart", now: Date.now() },
    );
    expect(evaluation.offers[0].items.map((i) => i.variantId)).toEqual([CASE_BLACK, FILM]);
  });
});
