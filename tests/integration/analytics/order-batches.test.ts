// Order deliveries applied in batches (the group commit behind the route, or a queue
// consumer's pulled batch), against the real database: the same rows and rollups as one
// delivery at a time, redeliveries inside and across batches counted once, and batches
// running at the same time (two app instances) on overlapping orders counting each order
// exactly once.
import { describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { ingestOrderDeliveries, orderChangeOf, type OrderChange, type ParsedDelivery } from "../../../app/analytics/ingest.server";
import { orderPayload, refundPayload } from "../../support/orders";
import { uniqueShop } from "../../support/webhooks";

/** The rollup rows that hold something (a row of zeros and no row read the same). */
async function rollups(shop: string) {
  const rows = await prisma.analyticsDaily.findMany({ where: { shop }, orderBy: [{ day: "asc" }, { group: "asc" }, { offerId: "asc" }] });
  return rows.map((r) => ({ day: r.day, group: r.group, offerId: r.offerId, orders: r.orders, revenueMinor: Number(r.revenueMinor), refundedMinor: Number(r.refundedMinor), quantity: r.quantity, revenueSq: r.revenueSq })).filter((r) => r.orders || r.revenueMinor || r.refundedMinor || r.quantity || r.revenueSq);
}
async function stored(shop: string) {
  const orders = await prisma.order.findMany({ where: { shop }, orderBy: { orderId: "asc" }, include: { lines: { orderBy: { lineId: "asc" } } } });
  return orders.map(({ shop: _s, ...o }) => ({ ...o, lines: o.lines.map(({ shop: _l, ...l }) => l) }));
}

const phone = { id: 11, productId: 1071, variantId: 2001, price: "749.00", quantity: 1 };
const caseLine = { id: 12, productId: 1072, variantId: 2002, price: "29.00", quantity: 2, discount: "5.80", offer: "phone-accessories" };

/** A mixed history: orders, updates, refunds (one before its order), a cancellation, redeliveries. */
function history(shop: string): ParsedDelivery[] {
  const d = (webhookId: string, topic: string, payload: unknown): ParsedDelivery => ({ delivery: { webhookId: `${shop}-${webhookId}`, shop, topic }, change: orderChangeOf(topic, payload) });
  const refund = refundPayload({ id: 31, orderId: 3, lines: [{ lineId: 32, quantity: 1, subtotal: "26.10" }] });
  return [
    d("r0", "refunds/create", refundPayload({ id: 41, orderId: 4, lines: [{ lineId: 42, quantity: 2, subtotal: "52.20" }] })),
    d("c1", "orders/create", orderPayload({ id: 1, lines: [{ ...phone, id: 11 }, { ...caseLine, id: 12 }], group: "treatment" })),
    d("c1", "orders/create", orderPayload({ id: 1, lines: [{ ...phone, id: 11 }, { ...caseLine, id: 12 }], group: "treatment" })),
    d("c2", "orders/create", orderPayload({ id: 2, lines: [{ ...phone, id: 21 }], group: "holdout" })),
    d("c3", "orders/create", orderPayload({ id: 3, lines: [{ ...phone, id: 31 }, { ...caseLine, id: 32 }], group: "treatment" })),
    d("f3", "refunds/create", refund),
    d("u3", "orders/updated", orderPayload({ id: 3, lines: [{ ...phone, id: 31 }, { ...caseLine, id: 32 }], group: "treatment", updatedAt: "2026-12-01T09:00:00-05:00", refunds: [refund] })),
    d("c4", "orders/create", orderPayload({ id: 4, lines: [{ ...phone, id: 41 }, { ...caseLine, id: 42 }], group: "none" })),
    d("x2", "orders/cancelled", orderPayload({ id: 2, lines: [{ ...phone, id: 21 }], group: "holdout", cancelledAt: "2026-12-01T08:00:00-05:00", updatedAt: "2026-12-01T08:00:00-05:00" })),
    d("u2", "orders/updated", orderPayload({ id: 2, lines: [{ ...phone, id: 21 }], group: "holdout", updatedAt: "2026-11-30T11:00:00-05:00" })),
    d("c1", "orders/create", orderPayload({ id: 1, lines: [{ ...phone, id: 11 }, { ...caseLine, id: 12 }], group: "treatment" })),
  ];
}

describe("order deliveries in batches", () => {
  it("one batch gives the same orders, lines and rollups as one delivery at a time; redeliveries are duplicates", async () => {
    const one = uniqueShop("batch-one");
    const all = uniqueShop("batch-all");
    const singles = [];
    for (const item of history(one)) singles.push(...(await ingestOrderDeliveries([item])));
    const batched = await ingestOrderDeliveries(history(all));
    expect(batched).toEqual(singles);
    expect(batched.map((o) => o.duplicate)).toEqual([false, false, true, false, false, false, false, false, false, false, true]);
    expect(await rollups(all)).toEqual(await rollups(one));
    expect(await stored(all)).toEqual(await stored(one));
    expect((await rollups(all)).filter((r) => r.offerId === "")).toEqual([
      { day: "2026-11-30", group: "none", offerId: "", orders: 1, revenueMinor: 74900, refundedMinor: 5220, quantity: 3, revenueSq: 74900 * 74900 },
      { day: "2026-11-30", group: "treatment", offerId: "", orders: 2, revenueMinor: 80120 * 2 - 2610, refundedMinor: 2610, quantity: 6, revenueSq: 80120 * 80120 + (80120 - 2610) ** 2 },
    ]);
    // The whole history again (every webhook id already recorded) changes nothing.
    const before = await rollups(all);
    expect((await ingestOrderDeliveries(history(all))).every((o) => o.duplicate)).toBe(true);
    expect(await rollups(all)).toEqual(before);
  });

  it("batches written at the same time on overlapping orders and webhook ids count each order once", async () => {
    const shop = uniqueShop("batch-race");
    const d = (i: number, webhookId = `${shop}-w${i}`): ParsedDelivery => ({
      delivery: { webhookId, shop, topic: i % 2 ? "orders/updated" : "orders/create" },
      change: orderChangeOf("orders/create", orderPayload({ id: 100 + (i % 10), lines: [{ ...phone, id: 1000 + (i % 10) }], group: "treatment" })),
    });
    // Four "instances", each given an overlapping slice (the same webhook ids redelivered to several).
    const slices = [0, 1, 2, 3].map((k) => Array.from({ length: 20 }, (_, j) => d((k * 7 + j) % 30)));
    const outcomes = (await Promise.all(slices.map((s) => ingestOrderDeliveries(s)))).flat();
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(30);
    const rows = await rollups(shop);
    expect(rows).toEqual([{ day: "2026-11-30", group: "treatment", offerId: "", orders: 10, revenueMinor: 10 * 74900, refundedMinor: 0, quantity: 10, revenueSq: 10 * 74900 * 74900 }]);
    expect(await prisma.order.count({ where: { shop } })).toBe(10);
    expect(await prisma.orderLine.count({ where: { shop } })).toBe(10);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(30);
  });

  it("a batch that fails writes nothing (no webhook id recorded), so the redelivery applies", async () => {
    const shop = uniqueShop("batch-fail");
    const good = history(shop).slice(1, 2);
    // An order total too large for its integer column: the database refuses the batch.
    const change = good[0].change as Extract<OrderChange, { kind: "order" }>;
    const bad: ParsedDelivery = { delivery: { webhookId: `${shop}-bad`, shop, topic: "orders/create" }, change: { ...change, order: { ...change.order, orderId: "999", totalMinor: 2 ** 40 } } };
    await expect(ingestOrderDeliveries([...good, bad])).rejects.toThrow();
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
    expect(await rollups(shop)).toEqual([]);
    expect((await ingestOrderDeliveries(good))[0].duplicate).toBe(false);
    expect((await rollups(shop))[0]).toMatchObject({ orders: 1, revenueMinor: 80120 });
  });
});
