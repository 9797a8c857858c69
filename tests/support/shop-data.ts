// Fills a shop with one row in every table that holds shop data, and counts them.
import prisma from "../../app/db.server";

export async function seedShopRows(shop: string, orderId = "1001") {
  await prisma.shop.create({ data: { shop, settings: { freeShipping: 7500 } } });
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "s", accessToken: "token", scope: "read_products" },
  });
  const offer = await prisma.offer.create({
    data: { shop, name: "Case with phone", kind: "cross_sell", placements: ["cart"], definition: {} },
  });
  await prisma.publishRecord.create({ data: { shop, revision: 1, status: "published" } });
  await prisma.offerEvent.create({ data: { shop, offerId: offer.id, type: "impression", placement: "cart", group: "treatment" } });
  const at = new Date("2026-11-30T15:00:00Z");
  await prisma.order.create({
    data: {
      shop, orderId, createdAt: at, processedAt: at, day: "2026-11-30", sourceUpdatedAt: at, shopCurrency: "USD", currency: "USD",
      group: "treatment", totalMinor: 74900,
      lines: { create: [{ lineId: "1", productId: "1071", variantId: "2001", quantity: 1, revenueMinor: 2900, offerId: offer.id }] },
    },
  });
  await prisma.analyticsDaily.create({ data: { shop, day: "2026-11-30", group: "treatment", offerId: "", orders: 1, revenueMinor: 74900n } });
  await prisma.webhookDelivery.create({ data: { webhookId: `seed-${shop}`, shop, topic: "app/scopes_update" } });
  return { offerId: offer.id };
}

export async function countShopRows(shop: string): Promise<Record<string, number>> {
  const where = { where: { shop } };
  return {
    shops: await prisma.shop.count(where),
    sessions: await prisma.session.count(where),
    offers: await prisma.offer.count(where),
    publishes: await prisma.publishRecord.count(where),
    events: await prisma.offerEvent.count(where),
    orders: await prisma.order.count(where),
    orderLines: await prisma.orderLine.count(where),
    rollups: await prisma.analyticsDaily.count(where),
    deliveries: await prisma.webhookDelivery.count(where),
  };
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
