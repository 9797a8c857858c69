// The published form of the frequently-bought-together lists, pure (no I/O), shared by the
// publisher (./publish.server.ts), the rebuild (./lists.server.ts) and the bench: what is
// stored per product, the two metafield values, and when a rebuilt list counts as changed.
import type { RecommendationTable } from "./recommender";

/** What is stored per product: the picks, best first (scores rounded to 4 digits). */
export type StoredLists = Record<string, { productId: string; score: number; orders: number; recentOrders: number; significant?: boolean }[]>;

export const METAFIELD_KEY = "frequently_bought_together";
export const PRODUCTS_METAFIELD_KEY = "frequently_bought_together_products";
export const PICKS_PER_PRODUCT = 10;
/** Format of the published metafields: 1 = json only, 2 = list.product_reference + json. */
export const LISTS_FORMAT = 2;

/** A table's lists as stored and published (back-off picks keep `significant: false`). */
export function toStoredLists(table: RecommendationTable): StoredLists {
  const out: StoredLists = {};
  for (const [productId, recs] of table.byProduct) {
    out[productId] = recs.map((r) => ({
      productId: r.productId,
      score: Math.round(r.score * 1e4) / 1e4,
      orders: r.orders,
      recentOrders: r.recentOrders,
      ...(r.significant ? {} : { significant: false }),
    }));
  }
  return out;
}

export function metafieldValue(picks: StoredLists[string], builtAt: Date, windowDays = 60, recentDays = 30): string {
  return JSON.stringify({
    v: 1,
    windowDays,
    recentDays,
    builtAt: builtAt.toISOString(),
    // A back-off pick (the pair did not pass the significance test; recommender 8.) says so.
    picks: picks
      .slice(0, PICKS_PER_PRODUCT)
      .map((p) => ({ product: p.productId, score: p.score, orders: p.orders, recent: p.recentOrders, ...(p.significant === false ? { sig: false } : {}) })),
  });
}

/** The picks as a list.product_reference value: product GIDs, best first. */
export function productsValue(picks: StoredLists[string]): string {
  return JSON.stringify(picks.slice(0, PICKS_PER_PRODUCT).map((p) => p.productId));
}

/** Scores drift a little with every rebuild (decay); a list is rewritten only when its
 *  picks, their order or their counts change, or a score moved by SCORE_TOLERANCE. */
export const SCORE_TOLERANCE = 0.01;

export function sameList(a: StoredLists[string] | undefined, b: StoredLists[string] | undefined): boolean {
  const x = (a ?? []).slice(0, PICKS_PER_PRODUCT);
  const y = (b ?? []).slice(0, PICKS_PER_PRODUCT);
  return (
    x.length == y.length &&
    x.every((p, i) => {
      const q = y[i]!;
      return (
        p.productId == q.productId &&
        p.orders == q.orders &&
        p.recentOrders == q.recentOrders &&
        (p.significant ?? true) == (q.significant ?? true) &&
        Math.abs(p.score - q.score) < SCORE_TOLERANCE
      );
    })
  );
}

