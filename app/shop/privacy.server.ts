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
  /** Cartlift's events carry no customer id, so none can be tied to the customer. */
  offerEvents: never[];
  /** The requested orders as Cartlift keeps them (no name, address or contact). */
  orders: Array<{
    orderId: string;
    processedAt: string;
    currency: string;
    totalMinor: number;
    group: string;
    cancelled: boolean;
    lines: Array<{ productId: string | null; variantId: string | null; quantity: number; revenueMinor: number; refundedMinor: number; offerId: string | null }>;
  }>;
}

/**
 * Everything Cartlift keeps about a customer: the analytics rows of the orders Shopify
 * lists in the request (orders hold no customer id, so the request's order ids are the
 * link). Events are anonymous and cannot be tied to anyone.
 */
export async function exportCustomerData(shop: string, customerId: string, orderIds: string[] = [], db: Db = prisma): Promise<CustomerDataExport> {
  const orders = orderIds.length
    ? await db.order.findMany({
        where: { shop, orderId: { in: orderIds }, received: true },
        include: { lines: { orderBy: { lineId: "asc" } } },
        orderBy: { processedAt: "asc" },
      })
    : [];
  return {
    shop,
    customerId,
    offerEvents: [],
    orders: orders.map((order) => ({
      orderId: order.orderId,
      processedAt: order.processedAt.toISOString(),
      currency: order.shopCurrency,
      totalMinor: order.totalMinor,
      group: order.group,
      cancelled: order.cancelledAt !== null,
      lines: order.lines.map((line) => ({
        productId: line.productId,
        variantId: line.variantId,
        quantity: line.quantity,
        revenueMinor: line.revenueMinor,
        refundedMinor: line.refundedMinor,
        offerId: line.offerId,
      })),
    })),
  };
}

/**
 * Erases a customer's orders from Cartlift: the rows of the orders Shopify names go
 * (their lines with them). The daily rollups are sums over many orders and stay, so the
 * merchant's revenue figures do not change.
 */
export async function redactCustomer(shop: string, _customerId: string, orderIds: string[], db: Db = prisma) {
  if (!orderIds.length) return { events: 0, orders: 0 };
  const orders = await db.order.deleteMany({ where: { shop, orderId: { in: orderIds } } });
  return { events: 0, orders: orders.count };
}

/** Deletes everything Cartlift holds for one shop: sessions, offers, publishes, analytics. */
export async function deleteShopData(shop: string, db: Db = prisma) {
  const counts = {
    sessions: (await db.session.deleteMany({ where: { shop } })).count,
    offers: (await db.offer.deleteMany({ where: { shop } })).count,
    publishes: (await db.publishRecord.deleteMany({ where: { shop } })).count,
    events: (await db.offerEvent.deleteMany({ where: { shop } })).count,
    orderLines: (await db.orderLine.deleteMany({ where: { shop } })).count,
    orders: (await db.order.deleteMany({ where: { shop } })).count,
    rollups: (await db.analyticsDaily.deleteMany({ where: { shop } })).count,
    recommender: (await db.recommenderState.deleteMany({ where: { shop } })).count,
    deliveries: (await db.webhookDelivery.deleteMany({ where: { shop } })).count,
    shops: (await db.shop.deleteMany({ where: { shop } })).count,
  };
  return counts;
}
