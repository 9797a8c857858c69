// The quality protocol of issue 13 item 6, shared by the bench (test split) and the
// parameter choice (validation split inside the training period, bench/recs-tune.ts).
//
// Orders are sorted by time; a split trains on the first share and tests on the rest. Each
// kept test order (not cancelled, not fully refunded) with at least two products hides one
// of them (seeded choice) and asks each method for three products given the rest.
//   hit3  = share of test orders whose hidden product is among the three
//   ndcg3 = mean of 1 / log2(rank + 1) for the hidden product at rank 1–3 (0 otherwise;
//           one relevant item, so the ideal DCG is 1)
// Every method fills up to three with the most popular products it knows, so each always
// answers three.
import {
  buildRecommendations,
  popularProducts,
  recommendForCart,
  type RecommendationTable,
  type RecommenderOptions,
  type RecommenderOrder,
} from "../app/recommendations/recommender";
import { seededRandom, type HistoryOrder } from "../localshop/seed/orders";

export const toRecommenderOrders = (orders: HistoryOrder[]): RecommenderOrder[] =>
  orders.map((o, i) => ({
    id: String(i),
    createdAtMs: o.createdAtMs,
    cancelled: o.cancelled,
    fullyRefunded: o.fullyRefunded,
    lines: o.lines.map((l) => ({ productId: l.product, quantity: l.quantity, fromOffer: l.fromOffer })),
  }));

export type Method = (given: string[]) => string[];

/** Plain counts over kept training orders (cancelled and refunded left out, as for the recommender). */
export function baselines(train: RecommenderOrder[]): { popularity: Method; cooccurrence: Method } {
  const count = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const o of train) {
    if (o.cancelled || o.fullyRefunded) continue;
    const basket = [...new Set(o.lines.map((l) => l.productId!))];
    for (const a of basket) {
      count.set(a, (count.get(a) ?? 0) + 1);
      let row = pairs.get(a);
      if (!row) pairs.set(a, (row = new Map()));
      for (const b of basket) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const byPopularity = [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || (a < b ? -1 : 1));
  const fill = (picked: string[], given: Set<string>) => {
    for (const p of byPopularity) {
      if (picked.length >= 3) break;
      if (!given.has(p) && !picked.includes(p)) picked.push(p);
    }
    return picked;
  };
  return {
    popularity: (given) => fill([], new Set(given)),
    cooccurrence: (given) => {
      const g = new Set(given);
      const sums = new Map<string, number>();
      for (const a of g) for (const [b, n] of pairs.get(a) ?? []) if (!g.has(b)) sums.set(b, (sums.get(b) ?? 0) + n);
      const ranked = [...sums.keys()].sort((a, b) => sums.get(b)! - sums.get(a)! || count.get(b)! - count.get(a)! || (a < b ? -1 : 1));
      return fill(ranked.slice(0, 3), g);
    },
  };
}

/** The recommender as the surfaces use it: the cart's picks, then the most popular. */
export function cartliftMethod(table: RecommendationTable): Method {
  return (given) => {
    const picked = recommendForCart(table, given, 3).map((r) => r.productId);
    const skip = new Set([...given, ...picked]);
    return [...picked, ...popularProducts(table, 3 - picked.length, skip)];
  };
}

export interface Query {
  given: string[];
  hidden: string;
}

export function testQueries(test: RecommenderOrder[], seed: number, hideAll = false): Query[] {
  const random = seededRandom(seed);
  const out: Query[] = [];
  for (const o of test) {
    if (o.cancelled || o.fullyRefunded) continue;
    const basket = [...new Set(o.lines.map((l) => l.productId!))];
    if (basket.length < 2) continue;
    if (hideAll) {
      basket.forEach((hidden, h) => out.push({ hidden, given: basket.filter((_, i) => i !== h) }));
      continue;
    }
    const h = Math.floor(random() * basket.length);
    out.push({ hidden: basket[h]!, given: basket.filter((_, i) => i !== h) });
  }
  return out;
}

export function score(method: Method, queries: Query[]): { hit3: number; ndcg3: number; hits: number } {
  let hits = 0;
  let gain = 0;
  for (const q of queries) {
    const rank = method(q.given).slice(0, 3).indexOf(q.hidden);
    if (rank >= 0) {
      hits++;
      gain += 1 / Math.log2(rank + 2);
    }
  }
  return { hit3: hits / queries.length, ndcg3: gain / queries.length, hits };
}

export interface Split {
  train: RecommenderOrder[];
  test: RecommenderOrder[];
  /** The recommender is built as of the last training order. */
  trainedAt: number;
}

/** The first `share` of the orders (by time) train, the rest test. */
export function timeSplit(orders: RecommenderOrder[], share = 0.8): Split {
  const sorted = [...orders].sort((a, b) => a.createdAtMs - b.createdAtMs);
  const cut = Math.floor(sorted.length * share);
  const train = sorted.slice(0, cut);
  return { train, test: sorted.slice(cut), trainedAt: train[train.length - 1]!.createdAtMs };
}

/** The validation split: inside the training 80 %, its first 80 % train and its last 20 % validate. The test 20 % is never read. */
export const validationSplit = (orders: RecommenderOrder[]): Split => timeSplit(timeSplit(orders, 0.8).train, 0.8);

export function evaluate(split: Split, options: Partial<RecommenderOptions> = {}, seed = 99, hideAll = false) {
  const table = buildRecommendations(split.train, split.trainedAt, options);
  const queries = testQueries(split.test, seed, hideAll);
  const base = baselines(split.train);
  return {
    table,
    queries,
    results: {
      cartlift: score(cartliftMethod(table), queries),
      popularity: score(base.popularity, queries),
      cooccurrence: score(base.cooccurrence, queries),
    },
  };
}
