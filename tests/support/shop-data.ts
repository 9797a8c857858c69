// Fills a shop with one row in every table that holds shop data, and counts them.
import prisma from "../../app/db.server";

export async function seedShopRows(shop: string, customerId = "7001") {
  await prisma.shop.create({ data: { shop, settings: { freeShipping: 7500 } } });
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "s", accessToken: "token", scope: "read_products" },
  });
  const offer = await prisma.offer.create({
    data: { shop, name: "Case with phone", kind: "cross_sell", placements: ["cart"], definition: {} },
  });
  await prisma.publishRecord.create({ data: { shop, revision: 1, status: "published" } });
  await prisma.offerEvent.create({ data: { shop, offerId: offer.id, type: "impression", placement: "cart", customerId } });
  await prisma.orderAttribution.create({
    data: { shop, orderId: `${shop}-1001`, orderName: "#1001", customerId, currency: "USD", totalMinor: 74900, offerIds: [offer.id], offerMinor: 2900 },
  });
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
    orders: await prisma.orderAttribution.count(where),
    deliveries: await prisma.webhookDelivery.count(where),
  };
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
