// The engine ranks a cart's frequently-bought-together picks from the published lists as the
// recommender ranks them from its table (recommender.ts 7. and 8.; engine evaluate.ts
// fbtCandidates): the admin preview, the bench and the surfaces must agree on what a cart gets.
// Random shops (seeded), published through the real path (toStoredLists → metafieldValue →
// readTogether), random carts of one to four products.
import { describe, expect, it } from "vitest";
import { evaluate, readTogether, type CrossSellOffer } from "../../../app/engine";
import { buildRecommendations, recommendForCart, type RecommendationTable, type RecommenderOrder } from "../../../app/recommendations/recommender";
import { metafieldValue, toStoredLists } from "../../../app/recommendations/published-lists";
import { seededRandom } from "../../../localshop/seed/orders";
import { CATALOG, makeCart, makeContext, makeOffer, makeRuleset } from "../engine/fixtures";
import { NOW, makeOrder } from "./fixtures";

const PRODUCTS = CATALOG.filter((p) => Object.values(p.variants).every((v) => v.available !== false));
const firstVariant = new Map(PRODUCTS.map((p) => [p.productId, Object.keys(p.variants)[0]!]));

/** Orders from a few random "errands" (groups of products bought together) plus strays. */
function randomShop(seed: number): RecommenderOrder[] {
  const random = seededRandom(seed);
  const pick = () => PRODUCTS[Math.floor(random() * PRODUCTS.length)]!.productId;
  const errands = Array.from({ length: 5 }, () => [...new Set([pick(), pick(), pick()])]);
  return Array.from({ length: 400 }, () => {
    const errand = errands[Math.floor(random() * errands.length)]!;
    const basket = errand.filter(() => random() < 0.6);
    if (random() < 0.4) basket.push(pick());
    return makeOrder(basket.length ? [...new Set(basket)] : [pick()], { daysAgo: 1 + Math.floor(random() * 50) });
  });
}

/** The table as the surfaces read it: scores rounded as published. */
function published(table: RecommendationTable): { table: RecommendationTable; together: Record<string, ReturnType<typeof readTogether>> } {
  const stored = toStoredLists(table);
  const together = Object.fromEntries(Object.entries(stored).map(([id, picks]) => [id, readTogether(metafieldValue(picks, new Date(NOW)))]));
  const byProduct = new Map([...table.byProduct].map(([id, recs]) => [id, recs.map((r, i) => ({ ...r, score: stored[id]![i]!.score }))]));
  return { table: { ...table, byProduct }, together };
}

describe("engine and recommender agree on a cart's picks", () => {
  it.each([1, 2, 3, 4, 5, 6])("shop %i: 150 random carts", (seed) => {
    const { table, together } = published(buildRecommendations(randomShop(seed), NOW, { backoff: "on" }));
    const offer = makeOffer("cross_sell", { id: "fbt", source: "fbt", variants: [...firstVariant.values()], anchorShare: 1000 } as Omit<CrossSellOffer, "kind" | "id">);
    const rs = makeRuleset({ offers: [offer] });
    const random = seededRandom(seed * 7919);
    let compared = 0;
    let multi = 0;
    for (let n = 0; n < 150; n++) {
      const size = 1 + Math.floor(random() * 4);
      const cart = [...new Set(Array.from({ length: size }, () => PRODUCTS[Math.floor(random() * PRODUCTS.length)]!.productId))];
      const expected = recommendForCart(table, cart, 3).map((r) => r.productId);
      const e = evaluate(rs, makeCart(cart.map((p) => firstVariant.get(p)!)), makeContext({ placement: "cart", together }));
      const got = (e.offers.find((o) => o.id == "fbt")?.items ?? []).filter((i) => i.source == "mined").map((i) => i.productId);
      expect(got, `cart ${cart.join(", ")}`).toEqual(expected);
      compared += expected.length ? 1 : 0;
      multi += expected.length && cart.length > 1 ? 1 : 0;
    }
    // The comparison is about something: most carts get picks, many of them several items.
    expect(compared).toBeGreaterThan(75);
    expect(multi).toBeGreaterThan(40);
  });
});
