import { describe, expect, it } from "vitest";
import { parseRuleset } from "../../../app/engine";
import { makeOffer, makeRuleset } from "./fixtures";

const errorsOf = (json: unknown) => {
  const r = parseRuleset(json);
  return r.ok ? [] : r.errors;
};

describe("parseRuleset", () => {
  it("accepts a valid ruleset and returns it", () => {
    const rs = makeRuleset({
      shop: { freeShipping: { amount: 7500, amounts: { EUR: 7000 } }, rewardTiers: [{ id: "gift", label: "Free tote", amount: 10000, gift: "tote-1" }] },
      offers: [
        makeOffer("cross_sell", { trigger: { products: ["phone"] }, variants: ["case-black"], discount: { kind: "percent", value: 10 } }),
        makeOffer("upsell", { trigger: { variants: ["phone-64"] }, variants: ["phone-128"] }),
        makeOffer("bundle", { components: [{ variantId: "burger-1" }, { variantId: "fries-s" }], discount: { kind: "percent", value: 15 } }),
        makeOffer("quantity_break", { tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }], conditions: { all: [{ fact: "subtotal", op: "gte", value: 1000 }, { any: [{ fact: "loggedIn", op: "eq", value: true }, { fact: "country", op: "in", value: ["US"] }] }] } }),
      ],
    });
    expect(parseRuleset(rs)).toEqual({ ok: true, ruleset: rs });
  });

  it("parses a JSON string, as the storefront reads it from the page", () => {
    const rs = makeRuleset();
    expect(parseRuleset(JSON.stringify(rs))).toEqual({ ok: true, ruleset: rs });
  });

  it("rejects text that is not JSON", () => {
    expect(errorsOf("{nope")).toEqual([{ path: "", message: "is not valid JSON" }]);
  });

  it("locates an invalid discount value by path", () => {
    const rs = makeRuleset({
      offers: [
        makeOffer("cross_sell", { variants: ["case-black"] }),
        makeOffer("cross_sell", { variants: ["film-1"] }),
        makeOffer("cross_sell", { variants: ["charger-1"], discount: { kind: "percent", value: 120 } }),
      ],
    });
    expect(errorsOf(rs)).toEqual([{ path: "offers[2].discount.value", message: expect.stringContaining("percentage") }]);
  });

  it.each([["50"], [true], [[50]], ["1e2"], [null]])("accepts only numbers as a percentage, not %j", (value) => {
    const rs = makeRuleset({ offers: [makeOffer("cross_sell", { variants: ["case-black"], discount: { kind: "percent", value: value as unknown as number } })] });
    expect(errorsOf(rs)).toEqual([{ path: "offers[0].discount.value", message: expect.stringContaining("percentage") }]);
  });

  it("accepts only numbers as a fixed amount and as a quantity tier's discount", () => {
    const rs = makeRuleset({
      offers: [
        makeOffer("cross_sell", { variants: ["case-black"], discount: { kind: "amount", value: "500" as unknown as number } }),
        makeOffer("quantity_break", { tiers: [{ quantity: 2, discount: { kind: "percent", value: "10" as unknown as number } }] }),
      ],
    });
    expect(errorsOf(rs).map((e) => e.path)).toEqual(["offers[0].discount.value", "offers[1].tiers[0].discount.value"]);
  });

  it("reports every problem, each with its field", () => {
    const paths = errorsOf({
      schemaVersion: 2,
      revision: -1,
      shop: { currency: "usd", anchorShare: 0, freeShipping: { amount: 0, amounts: { EUR: 0 } } },
      products: { p: { title: "P", handle: "p", variants: { v: { price: 1.5 } } } },
      offers: [
        { id: "a", kind: "cross_sell", variants: ["nope"], placements: ["footer"] },
        { id: "a", kind: "teleport" },
        { id: "b", kind: "upsell", trigger: {}, variants: ["v"], startsAt: "2025-02-01", endsAt: "2025-01-01" },
        { id: "c", kind: "bundle", components: [{ variantId: "v" }, { variantId: "v" }], discount: { kind: "amount", value: 2.5 } },
        { id: "d", kind: "quantity_break", tiers: [{ quantity: 3, discount: { kind: "percent", value: 10 } }, { quantity: 2, discount: { kind: "percent", value: 5 } }] },
        { id: "e", kind: "cross_sell", variants: ["v"], conditions: { all: [{ fact: "moon", op: "eq", value: 1 }] } },
      ],
    }).map((e) => e.path);
    expect(paths).toEqual([
      "schemaVersion",
      "revision",
      "products.p.variants.v.price",
      "shop.currency",
      "shop.anchorShare",
      "shop.freeShipping.amount",
      "shop.freeShipping.amounts.EUR",
      "offers[0].placements[0]",
      "offers[0].variants[0]",
      "offers[1].id",
      "offers[1].kind",
      "offers[2].endsAt",
      "offers[2].trigger",
      "offers[3].components",
      "offers[3].discount.value",
      "offers[4].tiers",
      "offers[5].conditions.all[0].fact",
    ]);
  });

  it("requires the fields each offer kind needs", () => {
    const rs = makeRuleset({ offers: [{ id: "x", kind: "bundle" } as never] });
    expect(errorsOf(rs)).toEqual([
      { path: "offers[0].components", message: "is required" },
      { path: "offers[0].discount", message: "is required" },
    ]);
  });

  it("rejects a gift or offer that names a variant missing from the snapshot", () => {
    const rs = makeRuleset({ shop: { rewardTiers: [{ id: "t", label: "Gift", amount: 100, gift: "ghost" }] } });
    expect(errorsOf(rs)).toEqual([{ path: "shop.rewardTiers[0].gift", message: "must be a variant in products" }]);
  });

  it("rejects conditions nested deeper than any rule needs, without overflowing the stack", () => {
    let c: object = { fact: "itemCount", op: "gte", value: 1 };
    for (let i = 0; i < 5000; i++) c = { all: [c] };
    const errors = errorsOf(makeRuleset({ offers: [makeOffer("cross_sell", { variants: ["mug-1"], conditions: c as never })] }));
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe("is nested too deeply");
  });

  it.each([null, 42, "null", [], { schemaVersion: 1 }])("rejects %j with errors rather than throwing", (json) => {
    expect(parseRuleset(json).ok).toBe(false);
  });
});
