// Every path that stores a new order tells the recommendations' scheduler, once per order:
// the orders/create route (through the group commit) and a queue consumer's batch
// (ingestOrderDeliveries) alike, against the real database. Redeliveries, updates of an
// order already stored and a refund's placeholder are not new orders; an orders/updated
// that arrives before its orders/create is (and the create after it is not).
// The scheduler is the real one with an injected clock whose timers never fire: what is
// checked is what it was told (its pending count), not a rebuild.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { ingestOrderDeliveries, orderChangeOf, type ParsedDelivery } from "../../../app/analytics/ingest.server";
import { configureRebuildScheduler, type Clock, type RebuildScheduler } from "../../../app/recommendations/schedule.server";
import { action as ordersCreate } from "../../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../../app/routes/webhooks.orders.updated";
import { orderPayload, refundPayload } from "../../support/orders";
import { uniqueShop, webhookRequest } from "../../support/webhooks";

const stillClock: Clock = { now: () => Date.parse("2026-12-01T12:00:00Z"), setTimeout: () => 0, clearTimeout: () => undefined };
let scheduler: RebuildScheduler;
beforeEach(() => {
  scheduler = configureRebuildScheduler({
    clock: stillClock,
    adminFor: async () => {
      throw new Error("no rebuild in this test");
    },
    shops: async () => [],
    log: () => undefined,
  });
});
afterAll(() => scheduler.stop());

const line = (id: number) => ({ id: id * 10, productId: 1071, variantId: 2001, price: "749.00", quantity: 1 });
const order = (id: number, updatedAt?: string) => orderPayload({ id, lines: [line(id)], group: "treatment", updatedAt });
const delivery = (shop: string, webhookId: string, topic: string, payload: unknown): ParsedDelivery => ({
  delivery: { webhookId: `${shop}-${webhookId}`, shop, topic },
  change: orderChangeOf(topic, payload),
});

describe("new orders tell the recommendations' scheduler", () => {
  it("a queue consumer's batch notes each newly stored order once, whatever arrives with it", async () => {
    const shop = uniqueShop("notes-queue");
    const batch = [
      delivery(shop, "c1", "orders/create", order(1)),
      delivery(shop, "c1", "orders/create", order(1)), // redelivered in the same batch
      delivery(shop, "u1", "orders/updated", order(1, "2026-12-01T09:00:00-05:00")), // an update of a stored order
      delivery(shop, "r3", "refunds/create", refundPayload({ id: 31, orderId: 3, lines: [{ lineId: 30, quantity: 1, subtotal: "749.00" }] })), // a placeholder
      delivery(shop, "u2", "orders/updated", order(2, "2026-12-01T09:00:00-05:00")), // order 2's first delivery is an update
      delivery(shop, "c2", "orders/create", order(2)),
    ];
    const outcomes = await ingestOrderDeliveries(batch);
    expect(outcomes.map((o) => (o.duplicate ? "dup" : o.result.newOrder))).toEqual([true, "dup", false, false, true, false]);
    expect(scheduler.pendingOrders(shop)).toBe(2);

    // Order 3 arrives after its refund; the whole batch redelivered changes nothing.
    await ingestOrderDeliveries([delivery(shop, "c3", "orders/create", order(3))]);
    expect(scheduler.pendingOrders(shop)).toBe(3);
    expect((await ingestOrderDeliveries(batch)).every((o) => o.duplicate)).toBe(true);
    expect(scheduler.pendingOrders(shop)).toBe(3);
    expect(await prisma.order.count({ where: { shop, received: true } })).toBe(3);
  });

  it("batches of two instances racing on the same orders note each order once", async () => {
    const shop = uniqueShop("notes-race");
    const d = (i: number) => delivery(shop, `w${i}`, i % 2 ? "orders/updated" : "orders/create", order(100 + (i % 10)));
    const slices = [0, 1, 2, 3].map((k) => Array.from({ length: 15 }, (_, j) => d((k * 7 + j) % 30)));
    await Promise.all(slices.map((s) => ingestOrderDeliveries(s)));
    expect(await prisma.order.count({ where: { shop } })).toBe(10);
    expect(scheduler.pendingOrders(shop)).toBe(10);
  });

  it("the order routes note a new order once (not again for its redelivery or its update)", async () => {
    const shop = uniqueShop("notes-route");
    const post = (action: typeof ordersCreate, topic: string, payload: unknown, webhookId: string) =>
      action({ request: webhookRequest({ topic, shop, payload, webhookId }), params: {}, context: {} });
    expect((await post(ordersCreate, "orders/create", order(7), `${shop}-a`)).status).toBe(200);
    expect(scheduler.pendingOrders(shop)).toBe(1);
    expect(await (await post(ordersCreate, "orders/create", order(7), `${shop}-a`)).json()).toEqual({ duplicate: true });
    expect((await post(ordersUpdated, "orders/updated", order(7, "2026-12-01T09:00:00-05:00"), `${shop}-b`)).status).toBe(200);
    expect(scheduler.pendingOrders(shop)).toBe(1);
    // An order whose update comes first is new once, by its update.
    expect((await post(ordersUpdated, "orders/updated", order(8, "2026-12-01T09:00:00-05:00"), `${shop}-c`)).status).toBe(200);
    expect((await post(ordersCreate, "orders/create", order(8), `${shop}-d`)).status).toBe(200);
    expect(scheduler.pendingOrders(shop)).toBe(2);
  });
});
