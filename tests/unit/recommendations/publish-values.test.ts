// What a product's published list looks like, and when a rebuilt list counts as changed.
import { describe, expect, it } from "vitest";
import { METAFIELD_KEY, PICKS_PER_PRODUCT, PRODUCTS_METAFIELD_KEY, metafieldValue, productsValue, sameList } from "../../../app/recommendations/publish.server";

const pick = (productId: string, score = 0.5, orders = 10, recentOrders = 4) => ({ productId, score, orders, recentOrders });

describe("published list", () => {
  it("holds product GIDs with score and counts, at most ten, in a small json value", () => {
    const picks = Array.from({ length: 14 }, (_, i) => pick(`gid://shopify/Product/${1000 + i}`, 0.9 - i / 100, 100 - i, 50 - i));
    const value = JSON.parse(metafieldValue(picks, new Date("2026-12-01T00:00:00Z")));
    expect(METAFIELD_KEY).toBe("frequently_bought_together");
    expect(value).toMatchObject({ v: 1, windowDays: 60, recentDays: 30, builtAt: "2026-12-01T00:00:00.000Z" });
    expect(value.picks).toHaveLength(PICKS_PER_PRODUCT);
    expect(value.picks[0]).toEqual({ product: "gid://shopify/Product/1000", score: 0.9, orders: 100, recent: 50 });
    expect(metafieldValue(picks, new Date()).length).toBeLessThan(2048);
  });
});

describe("back-off picks", () => {
  it("say so with sig:false after the significant ones; significant picks carry no flag", () => {
    const value = JSON.parse(metafieldValue([pick("gid://shopify/Product/1"), { ...pick("gid://shopify/Product/2", 0.2, 1, 1), significant: false }], new Date()));
    expect(value.picks).toEqual([
      { product: "gid://shopify/Product/1", score: 0.5, orders: 10, recent: 4 },
      { product: "gid://shopify/Product/2", score: 0.2, orders: 1, recent: 1, sig: false },
    ]);
  });
});

describe("published product references", () => {
  it("are the same picks' GIDs in the same order, at most ten (a list holds 128)", () => {
    const picks = Array.from({ length: 14 }, (_, i) => pick(`gid://shopify/Product/${1000 + i}`, 0.9 - i / 100));
    const refs = JSON.parse(productsValue(picks));
    expect(PRODUCTS_METAFIELD_KEY).toBe("frequently_bought_together_products");
    expect(refs).toEqual(JSON.parse(metafieldValue(picks, new Date())).picks.map((p: { product: string }) => p.product));
    expect(refs).toHaveLength(PICKS_PER_PRODUCT);
  });
});

describe("sameList", () => {
  const base = [pick("a", 0.5), pick("b", 0.3)];
  it.each([
    ["identical", base, true],
    ["a score drifting by less than 0.01", [pick("a", 0.505), pick("b", 0.3)], true],
    ["a score moving by 0.01 or more", [pick("a", 0.51), pick("b", 0.3)], false],
    ["another order of picks", [pick("b", 0.3), pick("a", 0.5)], false],
    ["a new co-purchase count", [pick("a", 0.5, 11), pick("b", 0.3)], false],
    ["a new recent count", [pick("a", 0.5, 10, 5), pick("b", 0.3)], false],
    ["a pick more", [...base, pick("c", 0.1)], false],
    ["a pick becoming a back-off pick", [{ ...pick("a", 0.5), significant: false }, pick("b", 0.3)], false],
    ["no list", undefined, false],
  ])("%s → %s", (_name, next, same) => {
    expect(sameList(next, base)).toBe(same);
  });
});
