// Order webhooks through their routes (HMAC, the library), against the real database.
import { describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { action as ordersCreate } from "../../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../../app/routes/webhooks.orders.updated";
import { action as ordersCancelled } from "../../../app/routes/webhooks.orders.cancelled";
import { action as refundsCreate } from "../../../app/routes/webhooks.refunds.create";
import { uniqueShop, webhookRequest } from "../../support/webhooks";
import { orderPayload, refundPayload, type OrderInput } from "../../support/orders";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const routes: Record<string, Action> = {
  "orders/create": ordersCreate as Action,
  "orders/updated": ordersUpdated as Action,
  "orders/cancelled": ordersCancelled as Action,
  "refunds/create": refundsCreate as Action,
};

async function deliver(topic: string, shop: string, payload: unknown, options: { webhookId?: string; secret?: string } = {}): Promise<Response> {
  try {
    return await routes[topic]({ request: webhookRequest({ topic, shop, payload, ...options }), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function rollups(shop: string) {
  const rows = await prisma.analyticsDaily.findMany({ where: { shop }, orderBy: [{ day: "asc" }, { group: "asc" }, { offerId: "asc" }] });
  return rows.map((r) => ({ day: r.day, group: r.group, offerId: r.offerId, orders: r.orders, revenueMinor: Number(r.revenueMinor), refundedMinor: Number(r.refundedMinor), quantity: r.quantity }));
}

const phone = { id: 11, productId: 1071, variantId: 2001, price: "749.00", quantity: 1 };
const caseLine = { id: 12, productId: 1072, variantId: 2002, price: "29.00", quantity: 2, discount: "5.80", offer: "phone-accessories" };
const order = (extra: Partial<OrderInput> = {}): OrderInput => ({ id: 6120428961962, lines: [phone, caseLine], group: "treatment", ...extra });

describe("order webhooks", () => {
  it("orders/create stores the order and credits the offer with its lines' revenue after discounts", async () => {
    const shop = uniqueShop("orders");
    const response = await deliver("orders/create", shop, orderPayload(order()));
    expect(response.status).toBe(200);
    expect(await rollups(shop)).toEqual([
      { day: "2026-11-30", group: "treatment", offerId: "", orders: 1, revenueMinor: 80120, refundedMinor: 0, quantity: 3 },
      { day: "2026-11-30", group: "treatment", offerId: "phone-accessories", orders: 1, revenueMinor: 5220, refundedMinor: 0, quantity: 2 },
    ]);
    const lines = await prisma.orderLine.findMany({ where: { shop }, orderBy: { lineId: "asc" } });
    expect(lines.map((l) => [l.lineId, l.productId, l.variantId, l.quantity, l.revenueMinor, l.offerId])).toEqual([
      ["11", "1071", "2001", 1, 74900, null],
      ["12", "1072", "2002", 2, 5220, "phone-accessories"],
    ]);
  });

  it("refuses a forged signature and stores nothing", async () => {
    const shop = uniqueShop("orders-forged");
    const response = await deliver("orders/create", shop, orderPayload(order()), { secret: "someone-else" });
    expect(response.status).toBe(401);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
    expect(await rollups(shop)).toEqual([]);
  });

  it("a redelivered webhook (same id) changes nothing", async () => {
    const shop = uniqueShop("orders-redelivery");
    const webhookId = `redeliver-${shop}`;
    await deliver("orders/create", shop, orderPayload(order()), { webhookId });
    const once = await rollups(shop);
    const again = await deliver("orders/create", shop, orderPayload(order()), { webhookId });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    expect(await rollups(shop)).toEqual(once);
  });

  it("orders/updated for the same order state (another webhook id) counts it once", async () => {
    const shop = uniqueShop("orders-updated-same");
    await deliver("orders/create", shop, orderPayload(order()));
    await deliver("orders/updated", shop, orderPayload(order({ updatedAt: "2026-11-30T10:20:00-05:00" })));
    expect((await rollups(shop))[0]).toMatchObject({ orders: 1, revenueMinor: 80120 });
  });

  it("a refund lowers the offer's attributed revenue; the same refund inside orders/updated is not subtracted twice", async () => {
    const shop = uniqueShop("orders-refund");
    await deliver("orders/create", shop, orderPayload(order()));
    const refund = refundPayload({ id: 929361464, orderId: 6120428961962, lines: [{ lineId: 12, quantity: 1, subtotal: "26.10" }] });
    expect((await deliver("refunds/create", shop, refund)).status).toBe(200);
    await deliver("orders/updated", shop, orderPayload(order({ updatedAt: "2026-12-01T09:00:01-05:00", refunds: [refund] })));
    const rows = await rollups(shop);
    expect(rows.find((r) => r.offerId === "phone-accessories")).toMatchObject({ orders: 1, revenueMinor: 2610, refundedMinor: 2610, quantity: 1 });
    expect(rows.find((r) => r.offerId === "")).toMatchObject({ orders: 1, revenueMinor: 80120 - 2610, refundedMinor: 2610 });
    const line = await prisma.orderLine.findFirstOrThrow({ where: { shop, lineId: "12" } });
    expect([line.refundedQuantity, line.refundedMinor]).toEqual([1, 2610]);
  });

  it("a refund that arrives before its order is applied when the order comes", async () => {
    const shop = uniqueShop("orders-refund-first");
    await deliver("refunds/create", shop, refundPayload({ id: 5, orderId: 6120428961962, lines: [{ lineId: 12, quantity: 2, subtotal: "52.20" }] }));
    expect(await rollups(shop)).toEqual([]);
    await deliver("orders/create", shop, orderPayload(order()));
    const rows = await rollups(shop);
    expect(rows.find((r) => r.offerId === "phone-accessories")).toMatchObject({ orders: 1, revenueMinor: 0, refundedMinor: 5220 });
    expect(rows.find((r) => r.offerId === "")).toMatchObject({ orders: 1, revenueMinor: 74900 });
  });

  it("a cancellation reverses the order, and a late, older orders/updated does not bring it back", async () => {
    const shop = uniqueShop("orders-cancel");
    await deliver("orders/create", shop, orderPayload(order()));
    const cancelled = orderPayload(order({ cancelledAt: "2026-12-01T08:00:00-05:00", updatedAt: "2026-12-01T08:00:00-05:00" }));
    expect((await deliver("orders/cancelled", shop, cancelled)).status).toBe(200);
    await deliver("orders/updated", shop, orderPayload(order({ updatedAt: "2026-11-30T11:00:00-05:00" })));
    const rows = await rollups(shop);
    expect(rows.map((r) => [r.offerId, r.orders, r.revenueMinor])).toEqual([
      ["", 0, 0],
      ["phone-accessories", 0, 0],
    ]);
  });

  it("orders/updated arriving before orders/create counts the order once, at its newest state", async () => {
    const shop = uniqueShop("orders-out-of-order");
    await deliver("orders/updated", shop, orderPayload(order({ updatedAt: "2026-11-30T12:00:00-05:00", lines: [phone, { ...caseLine, quantity: 1, discount: "2.90" }] })));
    await deliver("orders/create", shop, orderPayload(order()));
    expect(await rollups(shop)).toEqual([
      { day: "2026-11-30", group: "treatment", offerId: "", orders: 1, revenueMinor: 74900 + 2610, refundedMinor: 0, quantity: 2 },
      { day: "2026-11-30", group: "treatment", offerId: "phone-accessories", orders: 1, revenueMinor: 2610, refundedMinor: 0, quantity: 1 },
    ]);
  });

  it("holdout orders and orders with no group are counted in their own groups", async () => {
    const shop = uniqueShop("orders-groups");
    await deliver("orders/create", shop, orderPayload({ id: 1, lines: [phone], group: "holdout" }));
    await deliver("orders/create", shop, orderPayload({ id: 2, lines: [phone], group: null }));
    expect((await rollups(shop)).map((r) => [r.group, r.orders])).toEqual([
      ["holdout", 1],
      ["none", 1],
    ]);
  });

  it("answers a payload it cannot read with 422 and the reason, storing nothing", async () => {
    const shop = uniqueShop("orders-bad");
    const response = await deliver("orders/create", shop, { id: 3, line_items: [] });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatch(/created_at/);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("concurrent deliveries of the same order and of other orders count each order once", async () => {
    const shop = uniqueShop("orders-concurrent");
    const payloads = Array.from({ length: 12 }, (_, i) => orderPayload({ id: 100 + (i % 4), lines: [phone], group: "treatment" }));
    await Promise.all(payloads.map((p, i) => deliver(i % 2 ? "orders/updated" : "orders/create", shop, p)));
    expect((await rollups(shop))[0]).toMatchObject({ orders: 4, revenueMinor: 4 * 74900 });
  });
});
