// The seeded order histories: deterministic, shaped as their headers say, and mined by
// the recommender into the pairs the demo is built on.
import { describe, expect, it } from "vitest";
import { buildRecommendations, recommendForProduct } from "../../../app/recommendations/recommender";
import { DEMO_HISTORY_PRODUCTS, generateDemoHistory, generateSecondHistory, type HistoryOrder } from "../../../localshop/seed/orders";

const END = Date.parse("2026-11-30T23:00:00Z");
const DAY = 86_400_000;
const toOrders = (h: HistoryOrder[]) =>
  h.map((o, i) => ({ id: String(i), createdAtMs: o.createdAtMs, cancelled: o.cancelled, fullyRefunded: o.fullyRefunded, lines: o.lines.map((l) => ({ productId: l.product, quantity: l.quantity, fromOffer: l.fromOffer })) }));
const share = (h: HistoryOrder[], f: (o: HistoryOrder) => boolean) => h.filter(f).length / h.length;
const has = (o: HistoryOrder, p: string) => o.lines.some((l) => l.product == p);

describe("demo history", () => {
  const history = generateDemoHistory({ endMs: END });

  it("is the same for the same seed and end, different for another seed", () => {
    expect(generateDemoHistory({ endMs: END })).toEqual(history);
    expect(generateDemoHistory({ endMs: END, seed: 2 })).not.toEqual(history);
  });

  it("spans 60 days up to its end, sorted, over the active catalog only", () => {
    expect(history.length).toBeGreaterThan(1000);
    expect(history[0]!.createdAtMs).toBeGreaterThanOrEqual(END - 60 * DAY);
    expect(history.at(-1)!.createdAtMs).toBeLessThanOrEqual(END);
    expect(history.every((o, i) => i == 0 || o.createdAtMs >= history[i - 1]!.createdAtMs)).toBe(true);
    const sold = new Set(history.flatMap((o) => o.lines.map((l) => l.product)));
    for (const p of sold) expect(DEMO_HISTORY_PRODUCTS).toContain(p);
    expect(sold).not.toContain("aurora-phone-pro");
  });

  it("has cancelled, refunded and offer-tagged orders in small shares", () => {
    expect(share(history, (o) => o.cancelled)).toBeGreaterThan(0.01);
    expect(share(history, (o) => o.cancelled)).toBeLessThan(0.05);
    expect(share(history, (o) => o.fullyRefunded)).toBeGreaterThan(0.005);
    expect(history.some((o) => o.lines.some((l) => l.fromOffer))).toBe(true);
  });

  it("fades the grill over the season and peaks food on weekends", () => {
    const firstHalf = history.filter((o) => o.createdAtMs < END - 30 * DAY);
    const secondHalf = history.filter((o) => o.createdAtMs >= END - 30 * DAY);
    const grill = (o: HistoryOrder) => has(o, "ember-gas-grill");
    expect(share(firstHalf, grill)).toBeGreaterThan(1.3 * share(secondHalf, grill));
    const weekend = history.filter((o) => [5, 6].includes(new Date(o.createdAtMs).getUTCDay()));
    const weekday = history.filter((o) => [1, 2, 3].includes(new Date(o.createdAtMs).getUTCDay()));
    const burger = (o: HistoryOrder) => has(o, "classic-burger") || has(o, "veggie-burger");
    expect(share(weekend, burger)).toBeGreaterThan(share(weekday, burger));
  });

  it("mines into the demo's pairs: phone → case and film, grill → brush and cover, burger → fries and drink", () => {
    const t = buildRecommendations(toOrders(history), END);
    const top = (p: string, n = 3) => recommendForProduct(t, p, n).map((r) => r.productId);
    expect(top("aurora-phone")).toEqual(expect.arrayContaining(["aurora-phone-case", "aurora-screen-film"]));
    expect(top("ember-gas-grill")).toEqual(expect.arrayContaining(["grill-brush", "grill-cover"]));
    expect(top("classic-burger", 2).sort()).toEqual(["crispy-fries", "fountain-drink"]);
    expect(recommendForProduct(t, "aurora-phone")[0]!.orders).toBeGreaterThan(20);
  });
});

describe("second history", () => {
  const history = generateSecondHistory({ endMs: END });

  it("is deterministic and scales with the daily volume", () => {
    expect(generateSecondHistory({ endMs: END })).toEqual(history);
    const big = generateSecondHistory({ endMs: END, ordersPerDay: 1000 });
    expect(big.length).toBeGreaterThan(55_000);
    expect(big.length).toBeLessThan(65_000);
  });

  it("has popular products far above the median one (Zipf), and multi-item baskets", () => {
    const counts = new Map<string, number>();
    for (const o of history) for (const l of o.lines) counts.set(l.product, (counts.get(l.product) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]!).toBeGreaterThan(10 * sorted[Math.floor(sorted.length / 2)]!);
    expect(share(history, (o) => o.lines.length >= 2)).toBeGreaterThan(0.3);
  });
});
