// What Cartlift keeps about shops and customers, and how it is answered and erased for
// Shopify's compliance webhooks. Every statement filters by shop: a shop's request can
// never reach another shop's rows.
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";

type Db = Prisma.TransactionClient | typeof prisma;

/** Shopify sends numeric ids in compliance payloads and GIDs elsewhere; keep the number. */
export function customerKey(id: unknown): string | null {
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  if (typeof id !== "string" || id === "") return null;
  const match = /(\d+)$/.exec(id);
  return match ? match[1] : null;
}

export interface CustomerDataExport {
  shop: string;
  customerId: string;
  offerEvents: Array<{ offerId: string; type: string; placement: string; at: string }>;
  orders: Array<{ orderId: string; orderName: string | null; currency: string; totalMinor: number; offerIds: string[]; at: string }>;
}

export async function exportCustomerData(shop: string, customerId: string, db: Db = prisma): Promise<CustomerDataExport> {
  const [events, orders] = await Promise.all([
    db.offerEvent.findMany({ where: { shop, customerId }, orderBy: { createdAt: "asc" } }),
    db.orderAttribution.findMany({ where: { shop, customerId }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    shop,
    customerId,
    offerEvents: events.map((event) => ({
      offerId: event.offerId,
      type: event.type,
      placement: event.placement,
      at: event.createdAt.toISOString(),
    })),
    orders: orders.map((order) => ({
      orderId: order.orderId,
      orderName: order.orderName,
      currency: order.currency,
      totalMinor: order.totalMinor,
      offerIds: order.offerIds,
      at: order.createdAt.toISOString(),
    })),
  };
}

/** Erases a customer's personal link: their events and attributed orders lose the customer id. */
export async function redactCustomer(shop: string, customerId: string, orderIds: string[], db: Db = prisma) {
  const events = await db.offerEvent.updateMany({ where: { shop, customerId }, data: { customerId: null, sessionKey: null } });
  const orders = await db.orderAttribution.updateMany({
    where: { shop, OR: [{ customerId }, ...(orderIds.length ? [{ orderId: { in: orderIds } }] : [])] },
    data: { customerId: null, orderName: null },
  });
  return { events: events.count, orders: orders.count };
}

/** Deletes everything Cartlift holds for one shop: sessions, offers, publishes, analytics. */
export async function deleteShopData(shop: string, db: Db = prisma) {
  const counts = {
    sessions: (await db.session.deleteMany({ where: { shop } })).count,
    offers: (await db.offer.deleteMany({ where: { shop } })).count,
    publishes: (await db.publishRecord.deleteMany({ where: { shop } })).count,
    events: (await db.offerEvent.deleteMany({ where: { shop } })).count,
    orders: (await db.orderAttribution.deleteMany({ where: { shop } })).count,
    deliveries: (await db.webhookDelivery.deleteMany({ where: { shop } })).count,
    shops: (await db.shop.deleteMany({ where: { shop } })).count,
  };
  return counts;
}
