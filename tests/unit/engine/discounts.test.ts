// The discounts a cart earns as it is: what the discount function applies. Re-derived
// from the ruleset and the cart's products only.
import { describe, expect, it } from "vitest";
import { evaluate, type CartDiscount } from "../../../app/engine";
import { NOW, makeCart, makeContext, makeLine, makeOffer, makeRuleset } from "./fixtures";

const lineDiscounts = (ds: CartDiscount[]) => ds.flatMap((d) => (d.kind == "lineDiscount" ? [[d.lineId, d.source, d.amount]] : []));

describe("offer-line discounts", () => {
  const film = makeOffer("cross_sell", { id: "film", title: "Protect your screen", trigger: { products: ["phone"] }, variants: ["film-1"], discount: { kind: "percent", value: 20 } });
  const upgrade = makeOffer("upsell", { id: "upgrade", trigger: { variants: ["phone-64"] }, variants: ["phone-128"], discount: { kind: "amount", value: 2000 } });
  const rs = makeRuleset({ offers: [film, upgrade] });

  it("discounts a line added through the offer while its parent is in the cart", () => {
    const filmLine = makeLine("film-1", { offerId: "film", quantity: 2 });
    const e = evaluate(rs, makeCart(["phone-64", filmLine]), makeContext());
    expect(e.discounts).toEqual([{ kind: "lineDiscount", lineId: filmLine.id, offerId: "film", source: "offer", amount: 600, message: "Protect your screen" }]);
  });

  it("removes the discount when the parent leaves the cart", () => {
    const e = evaluate(rs, makeCart([makeLine("film-1", { offerId: "film" })]), makeContext());
    expect(e.discounts).toEqual([]);
  });

  it("gives nothing to a forged offer id on a product the offer does not offer", () => {
    const e = evaluate(rs, makeCart(["phone-64", makeLine("grill-1", { offerId: "film" }), makeLine("mug-1", { offerId: "no-such-offer" })]), makeContext());
    expect(e.discounts).toEqual([]);
  });

  it("gives nothing to a line without the offer's id", () => {
    expect(evaluate(rs, makeCart(["phone-64", "film-1"]), makeContext()).discounts).toEqual([]);
  });

  it("stops when the offer ends or its conditions fail, but not because of placement or dismissal", () => {
    const cart = makeCart(["phone-64", makeLine("film-1", { offerId: "film" })]);
    const ended = makeRuleset({ offers: [{ ...film, endsAt: "2025-06-01T00:00:00Z" }] });
    const gated = makeRuleset({ offers: [{ ...film, conditions: { fact: "loggedIn", op: "eq", value: true } }] });
    const elsewhere = makeRuleset({ offers: [{ ...film, placements: ["product"] }] });
    expect(evaluate(ended, cart, makeContext()).discounts).toEqual([]);
    expect(evaluate(gated, cart, makeContext()).discounts).toEqual([]);
    expect(evaluate(elsewhere, cart, makeContext({ dismissed: ["film"] })).discounts).toHaveLength(1);
  });

  it("discounts the upgraded variant, per unit, never below zero", () => {
    const line = makeLine("phone-128", { offerId: "upgrade", quantity: 2 });
    expect(lineDiscounts(evaluate(rs, makeCart([line]), makeContext()).discounts)).toEqual([[line.id, "offer", 4000]]);
    const cheap = makeLine("phone-128", { offerId: "upgrade", unitPrice: 1500 });
    expect(lineDiscounts(evaluate(rs, makeCart([cheap]), makeContext()).discounts)).toEqual([[cheap.id, "offer", 1500]]);
    const wrongVariant = makeLine("phone-64", { offerId: "upgrade" });
    expect(evaluate(rs, makeCart([wrongVariant]), makeContext()).discounts).toEqual([]);
  });

  it("charges exactly the price the offer showed", () => {
    const shown = evaluate(rs, makeCart(["phone-64"]), makeContext()).offers.find((o) => o.id == "film")!.items[0];
    const line = makeLine("film-1", { offerId: "film" });
    const [d] = evaluate(rs, makeCart(["phone-64", line]), makeContext()).discounts as Extract<CartDiscount, { kind: "lineDiscount" }>[];
    expect(line.unitPrice - d.amount).toBe(shown.priceAfter);
  });
});

describe("bundle discounts", () => {
  const meal = makeOffer("bundle", { id: "meal", components: [{ variantId: "burger-1" }, { variantId: "fries-s" }, { variantId: "drink-1" }], discount: { kind: "percent", value: 15 } });
  const rs = makeRuleset({ offers: [meal] });

  it("earns 15% off each component of a complete bundle", () => {
    const lines = [makeLine("burger-1"), makeLine("fries-s"), makeLine("drink-1")];
    expect(lineDiscounts(evaluate(rs, makeCart(lines), makeContext()).discounts)).toEqual([
      [lines[0].id, "bundle", 120],
      [lines[1].id, "bundle", 45],
      [lines[2].id, "bundle", 30],
    ]);
  });

  it("earns nothing for a partial bundle", () => {
    expect(evaluate(rs, makeCart(["burger-1", "fries-s"]), makeContext()).discounts).toEqual([]);
  });

  it("discounts complete sets only: 3 burgers and 2 fries and 2 drinks are 2 meals", () => {
    const lines = [makeLine("burger-1", { quantity: 3 }), makeLine("fries-s", { quantity: 2 }), makeLine("drink-1", { quantity: 2 })];
    expect(lineDiscounts(evaluate(rs, makeCart(lines), makeContext()).discounts)).toEqual([
      [lines[0].id, "bundle", 240],
      [lines[1].id, "bundle", 90],
      [lines[2].id, "bundle", 60],
    ]);
  });

  it("takes a fixed amount off each item of a complete set, never below zero", () => {
    const fixed = makeRuleset({ offers: [{ ...meal, discount: { kind: "amount", value: 250 } }] });
    const lines = [makeLine("burger-1", { quantity: 2 }), makeLine("fries-s"), makeLine("drink-1")];
    expect(lineDiscounts(evaluate(fixed, makeCart(lines), makeContext()).discounts)).toEqual([
      [lines[0].id, "bundle", 250], // one burger is in the set, the other is not
      [lines[1].id, "bundle", 250],
      [lines[2].id, "bundle", 200], // a $2 drink cannot lose $2.50
    ]);
  });
});

describe("quantity-break discounts", () => {
  const socks = makeOffer("quantity_break", {
    id: "socks",
    trigger: { products: ["socks"] },
    tiers: [
      { quantity: 2, discount: { kind: "percent", value: 10 } },
      { quantity: 3, discount: { kind: "percent", value: 15 } },
    ],
  });
  const rs = makeRuleset({ offers: [socks] });

  it.each([
    [1, 0],
    [2, 200],
    [3, 450],
    [5, 750],
  ])("applies the highest tier reached: %i pairs → %i off", (quantity, amount) => {
    const e = evaluate(rs, makeCart([makeLine("socks-1", { quantity })]), makeContext());
    expect(e.discounts.map((d) => (d.kind == "lineDiscount" ? d.amount : 0))).toEqual(amount ? [amount] : []);
  });
});

describe("one discount per line", () => {
  it("keeps the largest when offers overlap", () => {
    const tenPercent = makeOffer("quantity_break", { id: "qb", tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }] });
    const meal = makeOffer("bundle", { id: "meal", components: [{ variantId: "burger-1" }, { variantId: "fries-s" }], discount: { kind: "percent", value: 15 } });
    const lines = [makeLine("burger-1"), makeLine("fries-s")];
    const e = evaluate(makeRuleset({ offers: [tenPercent, meal] }), makeCart(lines), makeContext());
    expect(lineDiscounts(e.discounts)).toEqual([
      [lines[0].id, "bundle", 120],
      [lines[1].id, "bundle", 45],
    ]);
  });
});

describe("free shipping and reward tiers", () => {
  const rs = makeRuleset({
    shop: { freeShipping: { amount: 7500 }, rewardTiers: [{ id: "tote", label: "Free tote bag", amount: 10000, gift: "tote-1" }] },
  });
  const cartOf = (cents: number) => makeCart([makeLine("mug-1", { unitPrice: cents })]);

  it.each([
    [0, 7500, 0, false],
    [5000, 2500, 5000 / 7500, false],
    [7499, 1, 7499 / 7500, false],
    [7500, 0, 1, true],
    [9000, 0, 1, true],
  ])("a $%i cart: %i remaining, progress %f, reached %s", (cents, remaining, progress, reached) => {
    const e = evaluate(rs, cents ? cartOf(cents) : makeCart([]), makeContext());
    expect(e.freeShipping).toEqual({ threshold: 7500, remaining, progress, reached });
    expect(e.discounts.some((d) => d.kind == "freeShipping")).toBe(reached);
  });

  it("measures the goal after the cart's discounts", () => {
    const film = makeOffer("cross_sell", { id: "film", variants: ["film-1"], discount: { kind: "percent", value: 100 } });
    const withFilm = makeRuleset({ ...rs, offers: [film] });
    const e = evaluate(withFilm, makeCart([makeLine("mug-1", { unitPrice: 7000 }), makeLine("film-1", { offerId: "film" })]), makeContext());
    expect(e.freeShipping).toMatchObject({ remaining: 500, reached: false });
  });

  it("names the gift once the tier is reached, then gives it free without it counting toward the tier", () => {
    const reached = evaluate(rs, cartOf(10000), makeContext());
    expect(reached.rewardTiers).toEqual([{ id: "tote", label: "Free tote bag", gift: "tote-1", threshold: 10000, remaining: 0, progress: 1, reached: true }]);
    const tote = makeLine("tote-1", { offerId: "tote" });
    const withGift = evaluate(rs, makeCart([makeLine("mug-1", { unitPrice: 10000 }), tote]), makeContext());
    expect(withGift.discounts).toContainEqual({ kind: "lineDiscount", lineId: tote.id, offerId: "tote", source: "gift", amount: 1500, message: "Free tote bag" });
    const short = evaluate(rs, makeCart([makeLine("mug-1", { unitPrice: 9000 }), tote]), makeContext());
    expect(short.rewardTiers[0]).toMatchObject({ reached: false, remaining: 1000 });
    expect(short.discounts.filter((d) => d.kind == "lineDiscount")).toEqual([]);
  });

  it("counts a gift bought at full price toward free shipping until its tier is reached (then it is free and counts nothing)", () => {
    // A $65 jacket and a $15 tote that is the $100 tier's gift: $80 paid, over the $75 goal.
    const jacket = makeLine("mug-1", { unitPrice: 6500 });
    const tote = makeLine("tote-1", { unitPrice: 1500 });
    const bought = evaluate(rs, makeCart([jacket, tote]), makeContext());
    expect(bought.rewardTiers[0]).toMatchObject({ reached: false, remaining: 3500 }); // never helps its own tier
    expect(bought.freeShipping).toEqual({ threshold: 7500, remaining: 0, progress: 1, reached: true });
    expect(bought.discounts).toEqual([{ kind: "freeShipping", message: "Free shipping" }]);
    // $70 jacket + $15 tote: $85 paid, free shipping reached; the tier ($100 without the tote) not.
    const short = evaluate(rs, makeCart([makeLine("mug-1", { unitPrice: 7000 }), tote]), makeContext());
    expect(short.freeShipping).toMatchObject({ reached: true, remaining: 0 });
    // Once the tier is reached the tote is free: it counts nothing, and the rest still counts.
    const given = evaluate(rs, makeCart([makeLine("mug-1", { unitPrice: 10000 }), tote]), makeContext());
    expect(given.rewardTiers[0]).toMatchObject({ reached: true });
    expect(given.freeShipping).toMatchObject({ reached: true, progress: 1 });
    const twoTotes = evaluate(
      makeRuleset({ shop: { freeShipping: { amount: 11000 }, rewardTiers: [{ id: "tote", label: "Free tote bag", amount: 10000, gift: "tote-1" }] } }),
      makeCart([makeLine("mug-1", { unitPrice: 10000 }), makeLine("tote-1", { unitPrice: 1500, quantity: 2 })]),
      makeContext(),
    );
    // $100 + one tote paid ($15) + one free: $115 paid, over $110.
    expect(twoTotes.freeShipping).toMatchObject({ reached: true, remaining: 0 });
  });
});

describe("multi-currency (USD shop)", () => {
  const rs = makeRuleset({
    shop: { freeShipping: { amount: 7500, amounts: { EUR: 7000 } } },
    offers: [makeOffer("cross_sell", { id: "brush", trigger: { products: ["grill"] }, variants: ["brush-1"], discount: { kind: "amount", value: 100 } })],
  });
  const grill = (currency: string, unitPrice: number) => makeCart([makeLine("grill-1", { unitPrice })], currency);

  it("uses the explicit EUR threshold over a converted one", () => {
    const e = evaluate(rs, grill("EUR", 6500), makeContext({ rate: 0.92 }));
    expect(e.currency).toBe("EUR");
    expect(e.freeShipping).toMatchObject({ threshold: 7000, remaining: 500 });
  });

  it("converts and rounds up the JPY threshold to ¥100", () => {
    const e = evaluate(rs, grill("JPY", 35600), makeContext({ rate: 151.37 }));
    expect(e.freeShipping).toMatchObject({ threshold: 11400, remaining: 0, reached: true });
    expect(e.discounts).toContainEqual({ kind: "freeShipping", message: "Free shipping" });
  });

  it("converts and rounds up the KRW threshold to ₩1,000", () => {
    const e = evaluate(rs, grill("KRW", 100000), makeContext({ rate: 1376.5 }));
    expect(e.freeShipping).toMatchObject({ threshold: 104000, remaining: 4000, reached: false });
  });

  it("prices offered products in the cart's currency, converting amount discounts", () => {
    const e = evaluate(rs, grill("JPY", 35600), makeContext({ rate: 151.37 }));
    // $7 → ¥1,060 (1059.59 rounded half up); $1 off → ¥151
    expect(e.offers[0].items[0]).toMatchObject({ priceBefore: 1060, priceAfter: 909 });
    expect(e.offers[0].discount).toEqual({ kind: "amount", value: 151 });
  });

  it("applies a converted amount discount to a line in the cart's currency", () => {
    const brush = makeLine("brush-1", { unitPrice: 1060, offerId: "brush" });
    const e = evaluate(rs, makeCart([makeLine("grill-1", { unitPrice: 35600 }), brush], "JPY"), makeContext({ rate: 151.37 }));
    expect(lineDiscounts(e.discounts)).toEqual([[brush.id, "offer", 151]]);
  });

  it("fails closed when the cart's currency differs and no rate is given", () => {
    const e = evaluate(rs, grill("EUR", 21900), makeContext());
    expect(e).toMatchObject({ offers: [], discounts: [], freeShipping: null, diagnostics: [{ code: "MISSING_RATE" }] });
  });
});

describe("failing closed", () => {
  const rs = makeRuleset({
    shop: { freeShipping: { amount: 100 } },
    offers: [makeOffer("cross_sell", { id: "film", variants: ["film-1"], discount: { kind: "percent", value: 50 } })],
  });
  const cart = makeCart(["phone-64", makeLine("film-1", { offerId: "film" })]);

  it("answers an invalid ruleset with diagnostics and no offers or discounts", () => {
    const e = evaluate({ ...rs, schemaVersion: 2 } as never, cart, makeContext());
    expect(e).toEqual({ currency: "USD", offers: [], freeShipping: null, rewardTiers: [], discounts: [], skipped: [], diagnostics: [{ code: "INVALID_RULESET", path: "schemaVersion", message: "must be one of: 1" }] });
  });

  it("answers a missing ruleset (no metafield) the same way", () => {
    const e = evaluate(undefined as never, cart, makeContext());
    expect(e.discounts).toEqual([]);
    expect(e.diagnostics[0].code).toBe("INVALID_RULESET");
  });

  it.each([
    [{ ...cart, currency: "usd" }, "currency"],
    [{ ...cart, lines: [{ ...cart.lines[0], quantity: 0 }] }, "lines[0].quantity"],
    [{ ...cart, lines: [cart.lines[0], cart.lines[0]] }, "lines[1].id"],
    [{ ...cart, lines: [{ ...cart.lines[0], unitPrice: "699.00" }] }, "lines[0].unitPrice"],
  ])("rejects a malformed cart (%#) at %s", (bad, path) => {
    const e = evaluate(rs, bad as never, makeContext());
    expect(e).toMatchObject({ offers: [], discounts: [], diagnostics: [{ code: "INVALID_CART", path }] });
  });

  it.each([
    [{ placement: "footer", now: NOW }, "placement"],
    [{ placement: "cart" }, "now"],
    [{ placement: "cart", now: NOW, rate: -1 }, "rate"],
    [{ placement: "cart", now: NOW, customer: { tags: [] } }, "customer.loggedIn"],
  ])("rejects a malformed context (%#) at %s", (bad, path) => {
    const e = evaluate(rs, cart, bad as never);
    expect(e).toMatchObject({ offers: [], discounts: [], diagnostics: [{ code: "INVALID_CONTEXT", path }] });
  });
});
