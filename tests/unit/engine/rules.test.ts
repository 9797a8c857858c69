// The finer rules: pop-up focus, limits and reasons, quantities, inputs left untouched.
import { describe, expect, it } from "vitest";
import { evaluate, parseRuleset } from "../../../app/engine";
import { NOW, makeCart, makeContext, makeLine, makeOffer, makeRuleset, viewing } from "./fixtures";

const skip = (e: ReturnType<typeof evaluate>, id: string) => e.skipped.find((s) => s.offerId == id)?.reason;

describe("add-to-cart pop-up", () => {
  const meal = makeOffer("bundle", { id: "meal", components: [{ variantId: "burger-1" }, { variantId: "fries-s" }, { variantId: "drink-1" }], discount: { kind: "percent", value: 15 } });
  const socks = makeOffer("quantity_break", { id: "socks", trigger: { products: ["socks"] }, tiers: [{ quantity: 3, discount: { kind: "percent", value: 10 } }] });
  const rs = makeRuleset({ offers: [meal, socks] });

  it("offers the bundle the added line belongs to, and not one it does not", () => {
    const burger = makeLine("burger-1");
    const sock = makeLine("socks-1");
    const cart = makeCart([burger, sock]);
    const afterBurger = evaluate(rs, cart, makeContext({ placement: "add_to_cart_popup", addedLineId: burger.id }));
    expect(afterBurger.offers.map((o) => o.id)).toEqual(["meal"]);
    expect(skip(afterBurger, "socks")).toBe("NO_TRIGGER");
  });

  it("offers the next quantity tier of the added line, counting every matching line", () => {
    const a = makeLine("socks-1");
    const b = makeLine("socks-2");
    const e = evaluate(rs, makeCart([a, b]), makeContext({ placement: "add_to_cart_popup", addedLineId: b.id }));
    const offer = e.offers.find((o) => o.id == "socks")!;
    expect(offer.lineId).toBe(b.id);
    expect(offer.items).toEqual([expect.objectContaining({ variantId: "socks-2", quantity: 1 })]);
  });
});

describe("limits and reasons", () => {
  it("reports why an offer past the limit would not have shown anyway, rather than LIMIT_REACHED", () => {
    const offers = [
      makeOffer("cross_sell", { id: "a", variants: ["film-1"] }),
      makeOffer("cross_sell", { id: "b", variants: ["charger-1"] }),
      makeOffer("cross_sell", { id: "c", variants: ["oven-1"] }),
      makeOffer("cross_sell", { id: "d", variants: ["brush-1"] }),
    ];
    const e = evaluate(makeRuleset({ offers, shop: { maxOffers: 2 } }), makeCart([makeLine("mug-1", { quantity: 2 })]), makeContext());
    expect(e.offers.map((o) => o.id)).toEqual(["a", "b"]);
    expect(e.skipped).toEqual([
      { offerId: "c", reason: "OVER_ANCHOR" },
      { offerId: "d", reason: "LIMIT_REACHED" },
    ]);
  });

  it("offers upgrades for the first matching line, each with its price difference", () => {
    const upgrade = makeOffer("upsell", { id: "up", trigger: { products: ["phone"] }, variants: ["phone-128"] });
    const has128 = makeLine("phone-128");
    const has64 = makeLine("phone-64");
    // The 128 GB line cannot be upgraded to itself; the 64 GB line can, but 128 GB is
    // already in the cart, so there is nothing to offer.
    expect(skip(evaluate(makeRuleset({ offers: [upgrade] }), makeCart([has128, has64]), makeContext()), "up")).toBe("ALREADY_IN_CART");
    const to256 = makeOffer("upsell", { id: "up", trigger: { products: ["phone"] }, variants: ["phone-128", "phone-256"], anchorShare: 1 });
    const e = evaluate(makeRuleset({ offers: [to256] }), makeCart([has64]), makeContext());
    expect(e.offers[0].items.map((i) => [i.variantId, i.difference])).toEqual([
      ["phone-128", 10000],
      ["phone-256", 20000],
    ]);
  });

  it("shows an offer on the thank-you page like anywhere else", () => {
    const rs = makeRuleset({ offers: [makeOffer("cross_sell", { id: "x", trigger: { products: ["grill"] }, variants: ["brush-1"], placements: ["thank_you"] })] });
    expect(evaluate(rs, makeCart(["grill-1"]), makeContext({ placement: "thank_you" })).offers).toHaveLength(1);
  });

  it("shows a cross-sell without a trigger to every cart, without a line to blame", () => {
    const rs = makeRuleset({ offers: [makeOffer("cross_sell", { id: "wrap", variants: ["brush-1"] })] });
    expect(evaluate(rs, makeCart(["grill-1"]), makeContext()).offers[0]).toMatchObject({ reason: "TRIGGERED", lineId: undefined });
  });

  it("stops the discount before its start as after its end", () => {
    const film = makeOffer("cross_sell", { id: "film", variants: ["film-1"], discount: { kind: "percent", value: 10 }, startsAt: "2025-07-01T00:00:00Z" });
    const e = evaluate(makeRuleset({ offers: [film] }), makeCart(["phone-64", makeLine("film-1", { offerId: "film" })]), makeContext());
    expect(e.discounts).toEqual([]);
    expect(skip(e, "film")).toBe("NOT_STARTED");
  });
});

describe("quantities", () => {
  it("offers the missing quantity of a bundle component, and earns the set when it is there", () => {
    const pair = makeOffer("bundle", { id: "pair", components: [{ variantId: "socks-1", quantity: 2 }, { variantId: "mug-1" }], discount: { kind: "percent", value: 20 } });
    const rs = makeRuleset({ offers: [pair] });
    const e = evaluate(rs, makeCart(["socks-1", "mug-1"]), makeContext());
    expect(e.offers[0].items).toEqual([expect.objectContaining({ variantId: "socks-1", quantity: 1, priceAfter: 800 })]);
    const socks = makeLine("socks-1", { quantity: 2 });
    const mug = makeLine("mug-1");
    expect(evaluate(rs, makeCart([socks, mug]), makeContext()).discounts).toEqual([
      expect.objectContaining({ lineId: socks.id, amount: 400 }),
      expect.objectContaining({ lineId: mug.id, amount: 1000 }),
    ]);
  });

  it("counts every line towards a quantity break without a trigger", () => {
    const rs = makeRuleset({ offers: [makeOffer("quantity_break", { id: "any3", tiers: [{ quantity: 3, discount: { kind: "percent", value: 10 } }] })] });
    const e = evaluate(rs, makeCart(["mug-1", "socks-1", "brush-1"]), makeContext());
    expect(e.discounts.map((d) => (d.kind == "lineDiscount" ? d.amount : 0))).toEqual([500, 100, 70]);
  });

  it("prices a 100% discount at zero, never below", () => {
    const rs = makeRuleset({ offers: [makeOffer("cross_sell", { id: "free", trigger: { products: ["grill"] }, variants: ["brush-1"], discount: { kind: "amount", value: 99999 } })] });
    expect(evaluate(rs, makeCart(["grill-1"]), makeContext()).offers[0].items[0]).toMatchObject({ priceBefore: 700, priceAfter: 0 });
  });
});

describe("inputs", () => {
  const deepFreeze = <T,>(x: T): T => {
    if (x && typeof x == "object") Object.values(Object.freeze(x)).forEach(deepFreeze);
    return x;
  };

  it("never modifies the ruleset, cart or context", () => {
    const rs = deepFreeze(
      makeRuleset({
        shop: { freeShipping: { amount: 5000 }, rewardTiers: [{ id: "t", label: "Tote", amount: 1000, gift: "tote-1" }] },
        offers: [
          makeOffer("cross_sell", { id: "a", trigger: { products: ["phone"] }, variants: ["film-1"], discount: { kind: "percent", value: 10 } }),
          makeOffer("bundle", { id: "b", components: [{ variantId: "burger-1" }, { variantId: "fries-s" }], discount: { kind: "percent", value: 10 } }),
          makeOffer("quantity_break", { id: "q", tiers: [{ quantity: 2, discount: { kind: "percent", value: 5 } }] }),
        ],
      }),
    );
    const cart = deepFreeze(makeCart(["phone-64", makeLine("film-1", { offerId: "a" }), "burger-1", "fries-s", "tote-1"]));
    const ctx = deepFreeze(makeContext({ product: viewing("grill-1"), dismissed: [] }));
    const before = JSON.stringify([rs, cart, ctx]);
    const e = evaluate(rs, cart, ctx);
    expect(e.diagnostics).toEqual([]);
    expect(e.discounts.length).toBeGreaterThan(0);
    expect(JSON.stringify([rs, cart, ctx])).toBe(before);
  });

  it("answers the same for a ruleset parsed from text as for the object", () => {
    const rs = makeRuleset({ offers: [makeOffer("cross_sell", { id: "a", trigger: { products: ["grill"] }, variants: ["brush-1"] })] });
    const parsed = parseRuleset(JSON.stringify(rs));
    if (!parsed.ok) throw new Error("invalid");
    const cart = makeCart(["grill-1"]);
    expect(evaluate(parsed.ruleset, cart, makeContext({ now: NOW }))).toEqual(evaluate(rs, cart, makeContext({ now: NOW })));
  });
});
