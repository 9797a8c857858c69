// Frequently bought together (cross-sell `source: "fbt"`): mined picks from the surface's
// data, then the merchant's picks, then Shopify's recommendations; the guards every offer
// has; social proof only above the merchant's threshold; discounts only where the plan
// can know them.
import { describe, expect, it } from "vitest";
import { evaluate, readTogether, type Context, type CrossSellOffer, type RecommendedProduct, type TogetherPick } from "../../../app/engine";
import { planDiscounts } from "../../../app/engine/plan";
import { makeCart, makeContext, makeLine, makeOffer, makeRuleset, viewing } from "./fixtures";

const fbt = (over: Partial<CrossSellOffer> = {}) =>
  makeOffer("cross_sell", { id: "fbt", source: "fbt", variants: ["case-black", "film-1", "charger-1", "earbuds-1", "brush-1", "lamp-1", "mug-1"], picks: ["mug-1"], ...over } as never);
const pick = (productId: string, score: number, orders = 10, recent = 6): TogetherPick => ({ productId, score, orders, recent });
const together: Context["together"] = {
  phone: [pick("case", 0.6, 40, 25), pick("film", 0.5, 30, 3), pick("charger", 0.2, 12, 8), pick("earbuds", 0.1)],
  grill: [pick("brush", 0.7, 20, 9)],
};
const rec = (productId: string, price = 1000, available = true): RecommendedProduct => ({ productId, variantId: productId + "-v", title: "Rec " + productId, handle: productId, price, available });
const itemsOf = (e: ReturnType<typeof evaluate>, id = "fbt") => e.offers.find((o) => o.id == id)?.items ?? [];
const ids = (e: ReturnType<typeof evaluate>) => itemsOf(e).map((i) => `${i.source}:${i.productId}`);

describe("frequently bought together", () => {
  it("offers the viewed product's mined picks, best first, at most three, with the counts that explain them", () => {
    const rs = makeRuleset({ offers: [fbt()] });
    const e = evaluate(rs, makeCart(), makeContext({ placement: "product", product: viewing("phone-64"), together }));
    expect(ids(e)).toEqual(["mined:case", "mined:film", "mined:charger"]);
    expect(itemsOf(e)[0]).toMatchObject({ variantId: "case-black", priceBefore: 2900, together: { orders: 40, recent: 25 }, proof: 25 });
    // 3 this month is under the default threshold (5): no social proof for the film.
    expect(itemsOf(e)[1].proof).toBeUndefined();
    expect(itemsOf(e)[1].together).toEqual({ orders: 30, recent: 3 });
  });

  it("shows social proof only from the merchant's threshold", () => {
    const rs = makeRuleset({ offers: [fbt({ proofMin: 9 })] });
    const e = evaluate(rs, makeCart(), makeContext({ placement: "product", product: viewing("phone-64"), together }));
    expect(itemsOf(e).map((i) => i.proof)).toEqual([25, undefined, undefined]);
  });

  it("never offers what is in the cart, unavailable, excluded or over the anchoring share", () => {
    const rs = makeRuleset({ offers: [fbt({ exclude: ["charger"] })] });
    const e = evaluate(rs, makeCart(["phone-64", "case-red"]), makeContext({ together }));
    expect(ids(e)).toEqual(["mined:film", "mined:earbuds", "pick:mug"]);
    // Anchoring at 10 % of the $235 grill: the $50 mug (the merchant's pick) is too much, the $7 brush is not.
    const grill = evaluate(makeRuleset({ offers: [fbt({ picks: ["mug-1"], anchorShare: 0.1 })] }), makeCart(["grill-1"]), makeContext({ together }));
    expect(ids(grill)).toEqual(["mined:brush"]);
    expect(grill.skipped).toEqual([]);
  });

  it("skips mined products the ruleset does not hold (excluded at publish, or newer than it)", () => {
    const rs = makeRuleset({ offers: [fbt({ variants: ["film-1", "mug-1"], picks: ["mug-1"] })] });
    const e = evaluate(rs, makeCart(["phone-64"]), makeContext({ together }));
    expect(ids(e)).toEqual(["mined:film", "pick:mug"]);
  });

  it("combines a cart's lists as the recommender does (a mixture; back-off picks after significant ones)", () => {
    const rs = makeRuleset({ offers: [fbt()] });
    const t = { phone: [pick("film", 0.4), pick("charger", 0.6)], grill: [pick("film", 0.3), pick("brush", 0.1)] };
    const e = evaluate(rs, makeCart(["phone-64", "grill-1"]), makeContext({ together: t }));
    // film: (0.4 + 0.3) / 2 = 0.35… summed 0.7 > charger 0.6 > brush 0.1 (a noisy-or would rank film 0.58 < charger)
    expect(ids(e)).toEqual(["mined:film", "mined:charger", "mined:brush"]);
    // A back-off pick (the pair failed the significance test) comes after every significant one, whatever its score.
    const backOff = { phone: [{ ...pick("earbuds", 0.9), significant: false }, pick("charger", 0.2)] };
    const b = evaluate(rs, makeCart(["phone-64"]), makeContext({ together: backOff }));
    expect(ids(b)).toEqual(["mined:charger", "mined:earbuds", "pick:mug"]);
  });

  it("falls back to the merchant's picks, then Shopify's recommendations (complementary first), then nothing", () => {
    const rs = makeRuleset({ offers: [fbt({ picks: ["mug-1"] })] });
    const recommended = { oven: [rec("cmp1", 4000), rec("gone", 500, false), rec("cmp2"), rec("mug"), rec("rel1")] };
    const e = evaluate(rs, makeCart(), makeContext({ placement: "product", product: viewing("oven-1"), recommended }));
    expect(ids(e)).toEqual(["pick:mug", "shopify:cmp1", "shopify:cmp2"]);
    const shopify = itemsOf(e)[1];
    expect(shopify).toMatchObject({ variantId: "cmp1-v", priceBefore: 4000, priceAfter: 4000, product: { title: "Rec cmp1", handle: "cmp1" } });
    const none = evaluate(makeRuleset({ offers: [fbt({ picks: [], variants: [] })] }), makeCart(), makeContext({ placement: "product", product: viewing("oven-1") }));
    expect(none.offers).toEqual([]);
  });

  it("discounts mined and picked products, never Shopify's (the plan cannot know them), and the plan agrees", () => {
    const rs = makeRuleset({ offers: [fbt({ discount: { kind: "percent", value: 10 } })] });
    const recommended = { phone: [rec("cmp1", 1000)] };
    const e = evaluate(rs, makeCart(["phone-64"]), makeContext({ together: { phone: [pick("case", 0.5)] }, recommended }));
    expect(itemsOf(e).map((i) => [i.source, i.priceBefore, i.priceAfter])).toEqual([
      ["mined", 2900, 2610],
      ["pick", 5000, 4500],
      ["shopify", 1000, 1000],
    ]);
    // Shopify recommending a product the ruleset holds: priced as the function will price it.
    const held = evaluate(rs, makeCart(["phone-64"]), makeContext({ recommended: { phone: [rec("film", 1500)] } }));
    expect(itemsOf(held).map((i) => [i.source, i.variantId, i.priceAfter])).toEqual([["pick", "mug-1", 4500], ["shopify", "film-1", 1350]]);
    const cart = makeCart(["phone-64", makeLine("case-black", { offerId: "fbt" }), makeLine("film-1", { offerId: "fbt" })]);
    const discounts = evaluate(rs, cart, makeContext()).discounts;
    expect(discounts.map((d) => d.kind == "lineDiscount" && d.amount)).toEqual([290, 150]);
    const planned = planDiscounts(rs, cart, { placement: "checkout" }, "2025-06-01");
    expect(planned?.lines.map((d) => [d.lineId, d.amount])).toEqual(discounts.map((d) => d.kind == "lineDiscount" && [d.lineId, d.amount]));
  });

  it("reads malformed surface data as nothing, never crashing", () => {
    const rs = makeRuleset({ offers: [fbt({ picks: [] })] });
    const bad = { phone: [null, { productId: 5 }, { productId: "case", score: "high" }, pick("film", 0.4)] } as unknown as Context["together"];
    const e = evaluate(rs, makeCart(["phone-64"]), makeContext({ together: bad, recommended: { phone: "x" } as never }));
    expect(e.diagnostics).toEqual([]);
    expect(ids(e)).toEqual(["mined:film"]);
  });

  it("rejects picks that are not offered variants (the discount plan would not know them)", () => {
    const e = evaluate(makeRuleset({ offers: [fbt({ variants: ["film-1"], picks: ["mug-1"] })] }), makeCart(), makeContext());
    expect(e.diagnostics[0]).toMatchObject({ code: "INVALID_RULESET", path: "offers[0].picks" });
    const manual = evaluate(makeRuleset({ offers: [makeOffer("cross_sell", { variants: [] })] }), makeCart(), makeContext());
    expect(manual.diagnostics[0]).toMatchObject({ path: "offers[0].variants" });
  });
});

describe("readTogether (the metafield's format)", () => {
  it("reads v1 picks into engine ids (a back-off pick keeps its flag) and refuses what it cannot read", () => {
    const value = { v: 1, windowDays: 60, recentDays: 30, picks: [{ product: "gid://shopify/Product/1003", score: 0.52, orders: 61, recent: 40 }, { product: "gid://shopify/Product/1004", score: 0.1, orders: 2, recent: 1, sig: false }] };
    expect(readTogether(value)).toEqual([
      { productId: "1003", score: 0.52, orders: 61, recent: 40, significant: true },
      { productId: "1004", score: 0.1, orders: 2, recent: 1, significant: false },
    ]);
    expect(readTogether(JSON.stringify(value))).toHaveLength(2);
    expect(readTogether({ v: 2, picks: [] })).toEqual([]);
    expect(readTogether({ v: 1, picks: "x" })).toEqual([]);
    expect(readTogether("{oops")).toEqual([]);
    expect(readTogether(null)).toEqual([]);
  });

  it("passes malformed entries on for the engine to skip, never crashing it", () => {
    const rs = makeRuleset({ offers: [fbt({ picks: [] })] });
    const read = readTogether({ v: 1, picks: [{ product: "gid://shopify/Product/phone" }, { product: "gid://shopify/Product/film", score: 0.4, orders: 3, recent: 1 }, null] });
    expect(read).toEqual([]); // a null entry makes the whole value unreadable
    const partial = readTogether({ v: 1, picks: [{ product: "gid://shopify/Product/case", score: "high", orders: 3, recent: 1 }, { product: "gid://shopify/Product/film", score: 0.4, orders: 3, recent: 1 }] });
    const e = evaluate(rs, makeCart(["phone-64"]), makeContext({ together: { phone: partial } }));
    expect(e.diagnostics).toEqual([]);
    expect(ids(e)).toEqual(["mined:film"]);
  });
});
