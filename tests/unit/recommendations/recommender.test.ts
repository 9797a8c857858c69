// The recommender's decisions, as tables of small order histories (fixtures.ts).
import { describe, expect, it } from "vitest";
import {
  buildRecommendations,
  cartWeights,
  logLikelihoodRatio,
  popularProducts,
  recommendForCart,
  recommendForProduct,
  resolveOptions,
  type RecommenderOrder,
} from "../../../app/recommendations/recommender";
import { NOW, makeOrder, noise, repeat } from "./fixtures";

const ids = (rs: { productId: string }[]) => rs.map((r) => r.productId);
const build = (orders: RecommenderOrder[], opts = {}) => buildRecommendations(orders, NOW, opts);

describe("Dunning's log-likelihood ratio", () => {
  it.each([
    // k11, k12, k21, k22, G² (reference values of Mahout's LogLikelihood tests and by hand)
    [1, 0, 0, 1, 2.772589],
    [10, 0, 0, 10, 27.725887],
    [10, 20, 30, 60, 0], // independent: 10/30 = 30/90
    [0, 0, 0, 0, 0],
  ])("G²(%d, %d, %d, %d) = %d", (k11, k12, k21, k22, expected) => {
    expect(logLikelihoodRatio(k11, k12, k21, k22)).toBeCloseTo(expected, 5);
  });

  it("is symmetric in the two products and grows with the evidence", () => {
    expect(logLikelihoodRatio(5, 20, 3, 300)).toBeCloseTo(logLikelihoodRatio(5, 3, 20, 300), 10);
    expect(logLikelihoodRatio(50, 200, 30, 3000)).toBeGreaterThan(logLikelihoodRatio(5, 20, 3, 300));
  });
});

describe("baskets", () => {
  const base = [...repeat(8, ["phone", "case"]), ...repeat(4, ["phone"]), ...repeat(6, ["grill", "brush"]), ...noise(60)];

  it("recommends what is bought together, both ways", () => {
    const t = build(base);
    expect(ids(recommendForProduct(t, "phone"))).toEqual(["case"]);
    expect(ids(recommendForProduct(t, "case"))).toEqual(["phone"]);
    expect(ids(recommendForProduct(t, "grill"))).toEqual(["brush"]);
    expect(recommendForProduct(t, "phone")[0]).toMatchObject({ orders: 8, recentOrders: 8 });
  });

  it("leaves out cancelled and fully refunded orders, keeps the rest", () => {
    const t = build([...base, ...repeat(9, ["phone", "film"], { cancelled: true }), ...repeat(9, ["phone", "charger"], { fullyRefunded: true })]);
    expect(ids(recommendForProduct(t, "phone"))).toEqual(["case"]);
    expect(t.ordersExcluded).toBe(18);
    expect(t.ordersUsed).toBe(base.length);
  });

  it("counts a product once per order whatever its lines and quantities", () => {
    const orders = [
      ...repeat(3, ["phone", "case", "case", { productId: "case", quantity: 5 }]),
      ...noise(40),
    ];
    expect(recommendForProduct(build(orders), "phone")[0]).toMatchObject({ productId: "case", orders: 3 });
  });

  it("ignores lines without a product (custom items, deleted products) and empty orders", () => {
    const orders = [...repeat(3, ["phone", "case"]), makeOrder([{ productId: null as unknown as string }]), ...noise(40)];
    const t = build(orders);
    expect(ids(recommendForProduct(t, "phone"))).toEqual(["case"]);
    expect(t.ordersExcluded).toBe(1);
  });

  it("never recommends a product for itself", () => {
    const t = build([...repeat(5, ["phone", "phone", "case"]), ...noise(40)]);
    expect(ids(recommendForProduct(t, "phone"))).not.toContain("phone");
  });
});

describe("lines Cartlift added", () => {
  const offered = (productId: string) => ({ productId, fromOffer: true });

  it("weighs a pair made by an offer down so offers do not feed themselves", () => {
    const organic = build([...repeat(6, ["phone", "case"]), ...repeat(6, ["phone", offered("film")]), ...noise(60)]);
    const [first, second] = recommendForProduct(organic, "phone");
    expect(first).toMatchObject({ productId: "case", orders: 6 });
    expect(second).toMatchObject({ productId: "film", orders: 6 });
    expect(second!.score).toBeLessThan(first!.score);
  });

  it("counts offer lines fully when their weight is set to 1", () => {
    const t = build([...repeat(6, ["phone", "case"]), ...repeat(6, ["phone", offered("film")]), ...noise(60)], { offerLineWeight: 1 });
    const [a, b] = recommendForProduct(t, "phone");
    expect(a!.score).toBeCloseTo(b!.score, 10);
  });

  it("drops offer-only pairs entirely at weight 0", () => {
    const t = build([...repeat(6, ["phone", "case"]), ...repeat(6, ["phone", offered("film")]), ...noise(60)], { offerLineWeight: 0 });
    expect(ids(recommendForProduct(t, "phone"))).toEqual(["case"]);
  });
});

describe("time", () => {
  // The same number of co-purchases, five days old for the case, fifty for the film.
  const orders = [...repeat(6, ["phone", "case"], { daysAgo: 5 }), ...Array.from({ length: 6 }, () => makeOrder(["phone", "film"], { daysAgo: 50 })), ...noise(80)];

  it("ranks recent co-purchases above old ones (half-life 30 days)", () => {
    const [a, b] = recommendForProduct(build(orders), "phone");
    expect([a!.productId, b!.productId]).toEqual(["case", "film"]);
    expect(b!.score).toBeLessThan(a!.score);
  });

  it("half-life is configurable: a very long one makes age irrelevant", () => {
    const [a, b] = recommendForProduct(build(orders, { halfLifeDays: 1e9 }), "phone");
    expect(a!.score).toBeCloseTo(b!.score, 6);
  });

  it("ignores orders outside the window and in the future", () => {
    const t = build([...repeat(6, ["phone", "film"], { daysAgo: 61 }), ...Array.from({ length: 6 }, () => makeOrder(["phone", "case"], { daysAgo: -2 })), ...noise(40)]);
    expect(recommendForProduct(t, "phone")).toEqual([]);
    expect(t.ordersExcluded).toBe(12);
  });

  it("counts this month's orders apart for social proof", () => {
    const t = build([...repeat(4, ["phone", "case"], { daysAgo: 3 }), ...Array.from({ length: 3 }, () => makeOrder(["phone", "case"], { daysAgo: 45 })), ...noise(40)]);
    expect(recommendForProduct(t, "phone")[0]).toMatchObject({ orders: 7, recentOrders: 4 });
  });
});

describe("significance and support", () => {
  it("needs the minimum support in distinct orders", () => {
    const once = [makeOrder(["phone", "case"]), ...noise(200)];
    expect(recommendForProduct(build(once), "phone")).toEqual([]);
    expect(ids(recommendForProduct(build(once, { minSupport: 1, minLlr: 0 }), "phone"))).toEqual(["case"]);
  });

  it("drops pairs no more frequent together than apart (popular products meeting by chance)", () => {
    // Tote and mug are each in half the orders; together exactly as often as chance says.
    const orders = [...repeat(10, ["tote", "mug"]), ...repeat(10, ["tote", "x"]), ...repeat(10, ["mug", "y"]), ...repeat(10, ["z"])];
    expect(ids(recommendForProduct(build(orders, { halfLifeDays: 1e9 }), "tote"))).not.toContain("mug");
  });

  it("drops pairs seen together less often than chance, however significant", () => {
    const orders = [...repeat(2, ["tote", "mug"]), ...repeat(40, ["tote"]), ...repeat(40, ["mug"])];
    expect(ids(recommendForProduct(build(orders, { minLlr: 0 }), "tote"))).toEqual([]);
  });

  it("drops pairs below the G² threshold", () => {
    // 4 together where chance predicts 3.85: positive, but only just.
    const orders = [...repeat(4, ["phone", "case"]), ...repeat(6, ["phone"]), ...repeat(6, ["case"]), ...noise(10)];
    const t = build(orders, { halfLifeDays: 1e9, minLlr: 0 });
    const llr = recommendForProduct(t, "phone")[0]!.llr;
    expect(llr).toBeGreaterThan(0);
    expect(recommendForProduct(build(orders, { halfLifeDays: 1e9, minLlr: llr + 0.01 }), "phone")).toEqual([]);
    expect(recommendForProduct(build(orders, { halfLifeDays: 1e9, minLlr: llr - 0.01 }), "phone")).toHaveLength(1);
  });
});

describe("ranking", () => {
  it("shrinks a rare anchor's confidence toward popularity so two orders do not beat fifty", () => {
    const orders = [
      ...repeat(30, ["phone", "case"]),
      ...repeat(20, ["phone"]),
      ...repeat(2, ["sticker", "keychain"]),
      ...noise(100),
    ];
    const t = build(orders, { halfLifeDays: 1e9 });
    const stickerToKeychain = recommendForProduct(t, "sticker")[0]!;
    const phoneToCase = recommendForProduct(t, "phone")[0]!;
    expect(stickerToKeychain.score).toBeLessThan(phoneToCase.score); // plain confidence: 1.0 against 0.6
    expect(ids(recommendForCart(t, ["sticker", "phone"], 2))).toEqual(["case", "keychain"]);
    const plain = build(orders, { halfLifeDays: 1e9, priorOrders: 0 });
    expect(recommendForProduct(plain, "sticker")[0]!.score).toBeCloseTo(1, 6);
    expect(recommendForProduct(plain, "phone")[0]!.score).toBeCloseTo(0.6, 6);
  });

  it("keeps the top k per product, best first, ties broken by orders then id", () => {
    const orders = [
      ...repeat(9, ["phone", "case"]),
      ...repeat(6, ["phone", "film"]),
      ...repeat(4, ["phone", "charger"]),
      ...repeat(4, ["phone", "cable"]),
      ...noise(100),
    ];
    const t = build(orders, { halfLifeDays: 1e9, topK: 3 });
    expect(ids(recommendForProduct(t, "phone"))).toEqual(["case", "film", "cable"]);
    expect(ids(recommendForProduct(t, "phone", 1))).toEqual(["case"]);
    const scores = recommendForProduct(t, "phone").map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s).toBeGreaterThan(0), expect(s).toBeLessThanOrEqual(1);
  });

  it("lists products by decayed popularity for the fallback", () => {
    const t = build([...repeat(5, ["a"], { daysAgo: 1 }), ...repeat(5, ["b"], { daysAgo: 40 }), ...repeat(3, ["c"], { daysAgo: 1 })]);
    expect(popularProducts(t, 3)).toEqual(["a", "c", "b"]);
    expect(popularProducts(t, 2, new Set(["a"]))).toEqual(["c", "b"]);
  });
});

describe("carts", () => {
  const orders = [
    ...repeat(10, ["burger", "fries"]),
    ...repeat(6, ["burger", "drink"]),
    ...repeat(8, ["fries", "drink"]),
    ...repeat(5, ["burger", "sauce"]),
    ...repeat(8, ["phone", "case"]),
    ...noise(100),
  ];
  const t = build(orders, { halfLifeDays: 1e9 });

  it("never recommends what is already in the cart", () => {
    const recs = recommendForCart(t, ["burger", "fries"], 5);
    expect(ids(recs)).not.toContain("burger");
    expect(ids(recs)).not.toContain("fries");
  });

  it("combines the items' lists: a product two items call for beats one only one calls for", () => {
    const pair = recommendForCart(t, ["burger", "fries"], 5);
    expect(ids(pair)[0]).toBe("drink");
    expect(pair[0]!.because).toEqual(["fries", "burger"]);
  });

  it("a cart's score is the mean of its items' scores (mixture, and coherent when the items weigh alike), an item that does not list the product adding 0", () => {
    const score = (anchor: string, product: string) => recommendForProduct(t, anchor, 10).find((r) => r.productId == product)?.score ?? 0;
    const pair = recommendForCart(t, ["burger", "fries"], 5);
    expect(pair.find((r) => r.productId == "drink")!.score).toBeCloseTo((score("burger", "drink") + score("fries", "drink")) / 2, 12);
    expect(pair.find((r) => r.productId == "sauce")!.score).toBeCloseTo(score("burger", "sauce") / 2, 12);
    for (const r of pair) expect(r.score).toBeLessThanOrEqual(1);
  });

  it("coherent (default): the items that belong together outweigh a stray one", () => {
    // Coffee and a dripper, bought together, and a curl spray bought beside them: filters
    // complete the coffee and the dripper; shampoo completes only the spray.
    const errands = [
      ...repeat(12, ["coffee", "dripper"]),
      ...repeat(6, ["coffee", "filters"]),
      ...repeat(6, ["dripper", "filters"]),
      ...repeat(10, ["spray", "shampoo"]),
      ...repeat(2, ["spray"]),
      ...noise(100),
    ];
    const cart = ["coffee", "dripper", "spray"];
    const mixture = build(errands, { halfLifeDays: 1e9, cartCombination: "mixture" });
    const coherent = build(errands, { halfLifeDays: 1e9 });
    expect(coherent.options.cartCombination).toBe("coherent");
    // The plain mean puts the spray's shampoo first (one strong pair against two weaker ones).
    expect(ids(recommendForCart(mixture, cart, 2))).toEqual(["shampoo", "filters"]);
    expect(ids(recommendForCart(coherent, cart, 2))).toEqual(["filters", "shampoo"]);
    // The weights: 1 + the strongest significant score with another cart item; the stray spray 1.
    const link = recommendForProduct(coherent, "coffee").find((r) => r.productId == "dripper")!.score;
    const weights = cartWeights(coherent, new Set(cart));
    expect(weights.get("spray")).toBe(1);
    expect(weights.get("coffee")).toBeCloseTo(1 + Math.max(link, recommendForProduct(coherent, "dripper").find((r) => r.productId == "coffee")!.score), 12);
    const score = (anchor: string, product: string) => recommendForProduct(coherent, anchor, 10).find((r) => r.productId == product)?.score ?? 0;
    const total = weights.get("coffee")! + weights.get("dripper")! + 1;
    expect(recommendForCart(coherent, cart, 2)[0]!.score).toBeCloseTo((weights.get("coffee")! * score("coffee", "filters") + weights.get("dripper")! * score("dripper", "filters")) / total, 12);
    // One item, or items that belong with nothing else in the cart: every weight is 1.
    expect([...cartWeights(coherent, new Set(["coffee", "spray"])).values()]).toEqual([1, 1]);
    expect(ids(recommendForCart(coherent, ["spray"], 3))).toEqual(ids(recommendForProduct(coherent, "spray", 3)));
  });

  it("with cartCombination noisyOr, the previous combination 1 − Π(1 − score)", () => {
    const n = build(orders, { halfLifeDays: 1e9, cartCombination: "noisyOr" });
    const s = (anchor: string) => recommendForProduct(n, anchor, 10).find((r) => r.productId == "drink")!.score;
    expect(recommendForCart(n, ["burger", "fries"], 5).find((r) => r.productId == "drink")!.score).toBeCloseTo(1 - (1 - s("burger")) * (1 - s("fries")), 12);
  });

  it("a one-item cart gets that item's list", () => {
    expect(ids(recommendForCart(t, ["phone"], 3))).toEqual(ids(recommendForProduct(t, "phone", 3)));
  });

  it("leaves out excluded products and stops at the limit", () => {
    expect(ids(recommendForCart(t, ["burger"], 3, new Set(["fries"])))).toEqual(["drink", "sauce"]);
    expect(recommendForCart(t, ["burger"], 1)).toHaveLength(1);
  });

  it("answers nothing for an unknown or empty cart", () => {
    expect(recommendForCart(t, [], 3)).toEqual([]);
    expect(recommendForCart(t, ["never-sold"], 3)).toEqual([]);
  });
});

describe("back-off (8.): pairs that failed the test, after the significant ones", () => {
  // phone+case is significant; phone+strap was bought together once (support 1).
  const orders = [...repeat(8, ["phone", "case"]), makeOrder(["phone", "strap"]), ...noise(60)];

  it("off: significant picks only", () => {
    expect(ids(recommendForProduct(build(orders, { backoff: "off" }), "phone"))).toEqual(["case"]);
  });

  it("on: the pairs that failed follow the significant ones, marked", () => {
    const list = recommendForProduct(build(orders, { backoff: "on" }), "phone");
    expect(list.map((r) => [r.productId, r.significant, r.orders])).toEqual([
      ["case", true, 8],
      ["strap", false, 1],
    ]);
  });

  it("never puts a back-off pick above a significant one in a cart, whatever its score", () => {
    // A rare item bought once with "y": a high shrunk score on one order; phone→case is significant but diluted.
    const t = build([...repeat(8, ["phone", "case"]), ...repeat(60, ["phone"]), makeOrder(["rare", "y"]), ...noise(60)], { backoff: "on" });
    const y = recommendForProduct(t, "rare")[0]!;
    const kase = recommendForProduct(t, "phone")[0]!;
    expect(y).toMatchObject({ productId: "y", significant: false });
    expect(y.score).toBeGreaterThan(kase.score);
    expect(ids(recommendForCart(t, ["phone", "rare"], 3))).toEqual(["case", "y"]);
  });

  // Eighty rare pairs, each bought once long ago and once again in the shop's latest orders.
  const pairs = (recentAgain: boolean) => [
    ...Array.from({ length: 80 }, (_, i) => makeOrder([`a${i}`, `b${i}`], { daysAgo: 40 })),
    ...noise(240, 20),
    ...Array.from({ length: 80 }, (_, i) => makeOrder(recentAgain ? [`a${i}`, `b${i}`] : [`a${i}`, `b${(i + 7) % 80}`], { daysAgo: 1 })),
  ];

  it("auto: used when the shop's own latest orders show the back-off finds more", () => {
    const t = build(pairs(true));
    expect(t.backoff).toMatchObject({ used: true, decidedBy: "validation", queries: 160 });
    expect(t.backoff.hitsWith).toBeGreaterThan(t.backoff.hitsWithout);
  });

  it("auto: not used when it finds no more than the significant picks and the popular products", () => {
    const t = build(pairs(false));
    expect(t.backoff).toMatchObject({ used: false, decidedBy: "validation" });
    expect(t.backoff.hitsWith).toBeLessThanOrEqual(t.backoff.hitsWithout);
  });

  it("auto: significant picks only while the shop has too few orders to tell", () => {
    expect(build(orders).backoff).toMatchObject({ used: false, decidedBy: "too few orders" });
    expect(ids(recommendForProduct(build(orders), "phone"))).toEqual(["case"]);
  });
});

describe("options", () => {
  it.each([
    [{ halfLifeDays: 0 }, /halfLifeDays/],
    [{ topK: -1 }, /topK/],
    [{ minSupport: Number.NaN }, /minSupport/],
    [{ offerLineWeight: 2 }, /offerLineWeight/],
    [{ backoff: "maybe" as "on" }, /backoff/],
    [{ cartCombination: "max" as "mixture" }, /cartCombination/],
  ])("refuses %o", (opts, message) => {
    expect(() => resolveOptions(opts)).toThrow(message);
  });

  it("builds an empty table from no orders", () => {
    const t = build([]);
    expect(t.byProduct.size).toBe(0);
    expect(t.popular).toEqual([]);
    expect(recommendForCart(t, ["phone"])).toEqual([]);
  });
});
