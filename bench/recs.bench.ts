// Recommender benchmark: quality on a time split, rebuild time, lookup time.
//
// Quality, on two seeded histories (localshop/seed/orders.ts): the demo shop's 60 days,
// and a second shop with a different structure the recommender was not tuned on. Orders
// are sorted by time; the first 80 % train, the last 20 % test. Each test order that was
// kept (not cancelled, not fully refunded) and has at least two products hides one of
// them (seeded choice) and asks each method for three products given the rest.
//   hit3  = share of test orders whose hidden product is among the three
//   ndcg3 = mean of 1 / log2(rank + 1) for the hidden product at rank 1–3 (0 otherwise)
// RECS_HIDE=all hides every product of each test order in turn (more queries, less
// variance; not the default protocol).
// Methods (each fills up to three with the most popular products it knows, so every
// method always answers three):
//   cartlift     app/recommendations/recommender.ts with its default options
//   popularity   the most-ordered products of the training orders
//   cooccurrence plain pair counts summed over the given products
// The recommender's defaults were chosen from first principles (see its header), not by
// searching on these splits; the test 20 % is never looked at while training.
//
// Time: rebuild of 10,000 and 100,000 orders (second generator, 60 days; median of 3),
// and lookup per cart (recommendForCart on the demo's test carts, median of 5 rounds).
//   figure <name> <value> <unit>
import { performance } from "node:perf_hooks";
import {
  buildRecommendations,
  popularProducts,
  recommendForCart,
  type RecommendationTable,
  type RecommenderOrder,
} from "../app/recommendations/recommender";
import { generateDemoHistory, generateSecondHistory, seededRandom, type HistoryOrder } from "../localshop/seed/orders";

const END = Date.parse("2026-11-30T23:00:00Z");

const toRecommenderOrders = (orders: HistoryOrder[]): RecommenderOrder[] =>
  orders.map((o, i) => ({
    id: String(i),
    createdAtMs: o.createdAtMs,
    cancelled: o.cancelled,
    fullyRefunded: o.fullyRefunded,
    lines: o.lines.map((l) => ({ productId: l.product, quantity: l.quantity, fromOffer: l.fromOffer })),
  }));

type Method = (given: string[]) => string[];

interface Baselines {
  popularity: Method;
  cooccurrence: Method;
}

/** Plain counts over kept training orders (cancelled and refunded left out, as for the recommender). */
function baselines(train: RecommenderOrder[]): Baselines {
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

function cartlift(table: RecommendationTable): Method {
  return (given) => {
    const picked = recommendForCart(table, given, 3).map((r) => r.productId);
    const skip = new Set([...given, ...picked]);
    return [...picked, ...popularProducts(table, 3 - picked.length, skip)];
  };
}

interface Query {
  given: string[];
  hidden: string;
}

function testQueries(test: RecommenderOrder[], seed: number): Query[] {
  const random = seededRandom(seed);
  const out: Query[] = [];
  for (const o of test) {
    if (o.cancelled || o.fullyRefunded) continue;
    const basket = [...new Set(o.lines.map((l) => l.productId!))];
    if (basket.length < 2) continue;
    if (process.env.RECS_HIDE === "all") {
      basket.forEach((hidden, h) => out.push({ hidden, given: basket.filter((_, i) => i !== h) }));
      continue;
    }
    const h = Math.floor(random() * basket.length);
    out.push({ hidden: basket[h]!, given: basket.filter((_, i) => i !== h) });
  }
  return out;
}

function score(method: Method, queries: Query[]): { hit3: number; ndcg3: number } {
  let hits = 0;
  let gain = 0;
  for (const q of queries) {
    const rank = method(q.given).slice(0, 3).indexOf(q.hidden);
    if (rank >= 0) {
      hits++;
      gain += 1 / Math.log2(rank + 2);
    }
  }
  return { hit3: hits / queries.length, ndcg3: gain / queries.length };
}

const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const round = (x: number, digits: number) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function evaluateHistory(name: string, history: HistoryOrder[]): Query[] & { table?: RecommendationTable } {
  const orders = toRecommenderOrders(history);
  const cut = Math.floor(orders.length * 0.8);
  const train = orders.slice(0, cut);
  const test = orders.slice(cut);
  const trainedAt = train[train.length - 1]!.createdAtMs;
  const table = buildRecommendations(train, trainedAt);
  const queries = testQueries(test, 99);
  const base = baselines(train);
  const methods: [string, Method][] = [
    ["cartlift", cartlift(table)],
    ["popularity", base.popularity],
    ["cooccurrence", base.cooccurrence],
  ];
  console.error(`# ${name}: ${orders.length} orders, ${train.length} train, ${queries.length} test queries, ${table.byProduct.size} products with lists`);
  for (const [method, fn] of methods) {
    const s = score(fn, queries);
    figure(`recs.hit3.${name}.${method}`, round(s.hit3, 4), "ratio");
    figure(`recs.ndcg3.${name}.${method}`, round(s.ndcg3, 4), "ratio");
  }
  return Object.assign(queries, { table });
}

const demoQueries = evaluateHistory("demo", generateDemoHistory({ endMs: END }));
evaluateHistory("second", generateSecondHistory({ endMs: END }));

for (const [label, n] of [["10k", 10_000], ["100k", 100_000]] as const) {
  const orders = toRecommenderOrders(generateSecondHistory({ endMs: END, ordersPerDay: n / 60, seed: 5 }));
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    buildRecommendations(orders, END);
    times.push(performance.now() - t0);
  }
  console.error(`# rebuild ${label}: ${orders.length} orders`);
  figure(`recs.rebuild_ms.${label}`, round(median(times), 1), "ms");
}

{
  const table = demoQueries.table!;
  const carts = demoQueries.map((q) => q.given);
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) for (const cart of carts) sink += recommendForCart(table, cart, 3).length;
    rounds.push((performance.now() - t0) / (20 * carts.length));
  }
  if (sink < 0) console.error(sink);
  figure("recs.lookup_ms", round(median(rounds), 5), "ms");
}
