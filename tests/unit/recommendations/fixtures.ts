// Fixture builders for the recommender's tables: orders named by their products, placed a
// number of days before NOW.
import type { RecommenderOrder, RecommenderOrderLine } from "../../../app/recommendations/recommender";

export const NOW = Date.parse("2026-11-30T12:00:00Z");
export const DAY = 86_400_000;

let seq = 0;

/** A line: a product id, or `{ productId, fromOffer }`. */
export type LineSpec = string | (Partial<RecommenderOrderLine> & { productId: string });

export function makeOrder(
  products: LineSpec[],
  opts: { daysAgo?: number; cancelled?: boolean; fullyRefunded?: boolean; id?: string } = {},
): RecommenderOrder {
  return {
    id: opts.id ?? `order-${++seq}`,
    createdAtMs: NOW - (opts.daysAgo ?? 1) * DAY,
    cancelled: opts.cancelled,
    fullyRefunded: opts.fullyRefunded,
    lines: products.map((p) => (typeof p === "string" ? { productId: p, quantity: 1 } : { quantity: 1, ...p })),
  };
}

/** `n` copies of the same basket, spread over days `daysAgo`, `daysAgo + 1`, ... */
export function repeat(n: number, products: LineSpec[], opts: { daysAgo?: number; cancelled?: boolean; fullyRefunded?: boolean } = {}): RecommenderOrder[] {
  return Array.from({ length: n }, (_, i) => makeOrder(products, { ...opts, daysAgo: (opts.daysAgo ?? 1) + (i % 20) }));
}

/** Background orders of single unrelated products, so the 2×2 tables have a "neither" cell. */
export function noise(n: number, daysAgo = 2): RecommenderOrder[] {
  return Array.from({ length: n }, (_, i) => makeOrder([`noise-${i % 40}`], { daysAgo: daysAgo + (i % 25) }));
}
