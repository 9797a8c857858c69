// `npm run demo`'s analytics history: 60 days of the demo shop's orders (the local shop's
// seeded history, localshop/seed/orders.ts: the same catalog, missions and seasons) in both
// groups, with the pixel's events, so the analytics page has something to show on first
// run. Clearly labelled: the shop's settings get `analyticsDemo: true` and the page says
// "Demo history". Only for the demo shop, only once, only while it has no orders of its own;
// the end-to-end tests start without it (CARTLIFT_DEMO_OFFERS=0, or CARTLIFT_DEMO_HISTORY=0).
//
// It goes through the app's own ingest: each order is the REST payload the local shop's
// webhooks send (orderPayload), parsed and applied by app/analytics/ingest.server.ts
// (attribution, refunds, cancellations, rollups); the events go through storeEvents. What it
// makes up: the group of each order (the holdout share of the settings), which offer a line
// the history says came "from an offer" belongs to (by product), that held-out shoppers
// bought some of those items anyway (40 %), and the pixel's counts around the orders
// (sessions at about 3 % conversion, checkouts started 1.45× completed, about 1.3 clicks and
// 9 impressions per accept, 4 % of impressions dismissed).
import { LOCAL_SHOP_DOMAIN } from "../app/local-shop.server";
import { createLocalShop, type OrderRecord } from "../localshop/state";
import { demoOrderRecords, seededRandom } from "../localshop/seed/orders";
import { orderPayload, type RefundRecord } from "../localshop/webhooks";

/** Which demo offer (by name, scripts/demo-offers.ts) a product added "from an offer" belongs to. */
const OFFER_OF_PRODUCT: Record<string, string> = {
  "aurora-phone-case": "Phone accessories",
  "aurora-screen-film": "Phone accessories",
  "usb-c-charger-20w": "Phone accessories",
  "grill-brush": "Grill brush",
  "crispy-fries": "Burger meal",
  "fountain-drink": "Burger meal",
};

export async function seedDemoHistory(options: { now?: number; shop?: string; maxOrders?: number } = {}): Promise<{ orders: number; events: number } | null> {
  const now = options.now ?? Date.now();
  const { default: prisma } = await import("../app/db.server");
  const { orderChangeOf, ingestOrderDeliveries } = await import("../app/analytics/ingest.server");
  const { storeEvents } = await import("../app/analytics/events.server");
  const { readSettings } = await import("../app/settings/settings");
  const shop = options.shop ?? LOCAL_SHOP_DOMAIN;

  const row = await prisma.shop.findUnique({ where: { shop } });
  const settingsJson = (row?.settings ?? {}) as Record<string, unknown>;
  if (!row || settingsJson.analyticsDemo === true || (await prisma.order.count({ where: { shop } })) > 0) return null;
  const timezone = row.timezone ?? "UTC";
  const share = readSettings(settingsJson).holdout.share;
  const offers = await prisma.offer.findMany({ where: { shop }, select: { id: true, name: true } });
  const offerId = new Map(offers.map((o) => [o.name, o.id]));

  // The same catalog and history the local shop serves (an in-memory copy of its seed).
  const local = createLocalShop();
  const handleOf = new Map(local.data.products.map((p) => [p.id, p.handle]));
  const random = seededRandom(20261202);
  const records = demoOrderRecords(local.data, now).slice(-(options.maxOrders ?? Infinity));

  type DayCounts = { orders: number; accepts: Map<string, number> };
  const days = new Map<string, { treatment: DayCounts; holdout: DayCounts; at: Date }>();
  const dayOf = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));

  let placed = 0;
  for (let i = 0; i < records.length; i += 200) {
    const chunk = records.slice(i, i + 200);
    const deliveries: Parameters<typeof ingestOrderDeliveries>[0] = [];
    for (const source of chunk) {
      const group = random() < share ? "holdout" : "treatment";
      const order: OrderRecord = structuredClone(source);
      order.customAttributes = [{ key: "_cartlift_group", value: group }];
      order.lineItems = order.lineItems.flatMap((line) => {
        if (!line.customAttributes.length) return [line];
        // Held out: no offer was shown; some bought the item anyway, untagged.
        if (group == "holdout") return random() < 0.4 ? [{ ...line, customAttributes: [] }] : [];
        const id = offerId.get(OFFER_OF_PRODUCT[handleOf.get(line.productId ?? "") ?? ""] ?? "");
        return [{ ...line, customAttributes: id ? [{ key: "_cartlift_offer", value: id }] : [] }];
      });
      if (!order.lineItems.length) continue;
      const refunds: RefundRecord[] =
        source.displayFinancialStatus == "REFUNDED"
          ? [{ id: 9_100_000 + placed, orderId: order.id, createdAt: order.createdAt, lines: order.lineItems.map((l) => ({ lineItemId: l.id, quantity: l.quantity, subtotal: (Number(l.originalUnitPrice) * l.quantity).toFixed(2) })) }]
          : [];
      // As the queue consumer takes webhooks (ingestOrderDeliveries), with ids of its own.
      deliveries.push({ delivery: { webhookId: `demo-history-${order.id}`, shop, topic: "orders/create" }, change: orderChangeOf("orders/create", orderPayload(local, order, refunds), timezone) });
      placed++;
      if (order.cancelledAt) continue;
      const day = dayOf(order.createdAt);
      const entry = days.get(day) ?? { treatment: { orders: 0, accepts: new Map() }, holdout: { orders: 0, accepts: new Map() }, at: new Date(order.createdAt) };
      entry[group].orders++;
      for (const line of order.lineItems) {
        const id = line.customAttributes.find((a) => a.key == "_cartlift_offer")?.value;
        if (id) entry[group].accepts.set(id, (entry[group].accepts.get(id) ?? 0) + 1);
      }
      days.set(day, entry);
    }
    await ingestOrderDeliveries(deliveries);
  }

  // The pixel's view of the same days.
  let events = 0;
  const round = (x: number) => Math.max(0, Math.round(x + (random() - 0.5)));
  for (const { treatment, holdout, at } of days.values()) {
    const batch: Parameters<typeof storeEvents>[1] = [];
    const add = (type: Parameters<typeof storeEvents>[1][number]["type"], group: "treatment" | "holdout", n: number, offer = "", placement = "") => {
      for (let k = 0; k < n; k++) batch.push({ type, offerId: offer, placement, group, at });
    };
    for (const [group, counts, conversion] of [["treatment", treatment, 0.032], ["holdout", holdout, 0.03]] as const) {
      add("session", group, round(counts.orders / conversion), "", "");
      add("checkout_started", group, round(counts.orders * 1.45));
      add("checkout_completed", group, counts.orders);
      for (const [offer, accepts] of counts.accepts) {
        if (group == "holdout") continue;
        const clicks = round(accepts * 1.3);
        const impressions = round(clicks * 9);
        add("impression", group, impressions, offer, "cart");
        add("click", group, clicks, offer, "cart");
        add("accept", group, accepts, offer, "cart");
        add("dismiss", group, round(impressions * 0.04), offer, "cart");
      }
    }
    for (let k = 0; k < batch.length; k += 5000) await storeEvents(shop, batch.slice(k, k + 5000), timezone);
    events += batch.length;
  }

  await prisma.shop.update({ where: { shop }, data: { settings: { ...settingsJson, analyticsDemo: true } } });
  return { orders: placed, events };
}
