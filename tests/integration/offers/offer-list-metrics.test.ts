// The offers list's analytics columns (impressions, click rate, accept rate, attributed
// revenue net of refunds and cancellations), read from rollups that real events and real
// order webhooks produced, and its sorting by them; and the publish status's short cache
// of what Shopify holds (forgotten on publish). Real database, local shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { ingestEventBatch, ShopRateLimiter, forgetShop } from "../../../app/analytics/events.server";
import { ingestOrderWebhook } from "../../../app/analytics/ingest.server";
import { offerMetrics } from "../../../app/analytics/offer-metrics.server";
import { listOffersWithMetrics } from "../../../app/offers/offer-list.server";
import { publishShop, publishStatus } from "../../../app/offers/publisher.server";
import type { AdminApi } from "../../../app/shopify.server";
import { orderPayload, refundPayload } from "../../support/orders";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "./support";

const limiter = new ShopRateLimiter(1e6, 1e6);
const today = new Date().toISOString().slice(0, 10);
const at = (day: string) => `${day}T12:00:00+00:00`;

async function offer(shop: string, name: string, updatedAt: Date) {
  return prisma.offer.create({ data: { shop, name, kind: "cross_sell", placements: ["cart"], definition: {}, updatedAt } });
}

async function events(shop: string, offerId: string, counts: { impression: number; click: number; accept: number }) {
  const list = Object.entries(counts).flatMap(([type, n]) => Array.from({ length: n }, () => ({ type, offerId, placement: "cart", group: "treatment" })));
  const outcome = await ingestEventBatch({ shop, events: list }, limiter);
  expect(outcome).toMatchObject({ status: 202, accepted: list.length });
}

let n = 0;
async function order(shop: string, id: number, lines: Array<{ offer?: string; price: string; quantity?: number }>, day = today) {
  const payload = orderPayload({
    id,
    group: "treatment",
    createdAt: at(day),
    updatedAt: at(day),
    lines: lines.map((l, i) => ({ id: id * 10 + i, productId: 1000 + i, variantId: 2000 + i, price: l.price, quantity: l.quantity ?? 1, offer: l.offer })),
  });
  return ingestOrderWebhook({ webhookId: `metrics-${shop}-${id}-${n++}`, shop, topic: "orders/create" }, payload, "UTC");
}

describe("offers list analytics columns", () => {
  it("shows each offer's impressions, rates and revenue net of refunds and cancellations, over the last 30 days only", async () => {
    const shop = uniqueShop("list-metrics");
    await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD" } });
    const a = await offer(shop, "Case with phone", new Date("2026-01-01"));
    const b = await offer(shop, "Film with phone", new Date("2026-01-02"));
    const c = await offer(shop, "Never shown", new Date("2026-01-03"));
    forgetShop(shop);
    await events(shop, a.id, { impression: 10, click: 4, accept: 2 });
    await events(shop, b.id, { impression: 4, click: 1, accept: 1 });
    await order(shop, 501, [{ price: "700.00" }, { offer: a.id, price: "29.00", quantity: 2 }]);
    await order(shop, 502, [{ offer: b.id, price: "12.00" }]);
    await order(shop, 503, [{ offer: b.id, price: "40.00" }]);
    // Outside the period: 40 days ago.
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await order(shop, 504, [{ offer: a.id, price: "999.00" }], old);
    // A refund of one case, and order 503 cancelled.
    const refund = refundPayload({ id: 9001, orderId: 501, lines: [{ lineId: 5011, quantity: 1, subtotal: "29.00" }] });
    expect((await ingestOrderWebhook({ webhookId: `refund-${shop}`, shop, topic: "refunds/create" }, refund, "UTC")).duplicate).toBe(false);
    const cancelled = orderPayload({ id: 503, group: "treatment", createdAt: at(today), updatedAt: `${today}T13:00:00+00:00`, cancelledAt: `${today}T13:00:00+00:00`, lines: [{ id: 5030, productId: 1000, variantId: 2000, price: "40.00", quantity: 1, offer: b.id }] });
    await ingestOrderWebhook({ webhookId: `cancel-${shop}`, shop, topic: "orders/cancelled" }, cancelled, "UTC");

    const metrics = await offerMetrics(shop, { timezone: "UTC" });
    expect(metrics.get(a.id)).toEqual({ impressions: 10, clicks: 4, accepts: 2, clickRate: 0.4, acceptRate: 0.2, revenue: 2900 });
    expect(metrics.get(b.id)).toEqual({ impressions: 4, clicks: 1, accepts: 1, clickRate: 0.25, acceptRate: 0.25, revenue: 1200 });
    expect(metrics.has(c.id)).toBe(false);
    // 90 days include the old order.
    expect((await offerMetrics(shop, { timezone: "UTC", days: 90 })).get(a.id)?.revenue).toBe(2900 + 99900);

    const byUpdated = await listOffersWithMetrics(shop, { sort: "updated" }, { timezone: "UTC" });
    expect(byUpdated.offers.map((o) => o.name)).toEqual(["Never shown", "Film with phone", "Case with phone"]);
    expect(byUpdated.metrics[a.id]?.revenue).toBe(2900);
    expect(byUpdated.metrics[c.id]).toBeUndefined();

    const names = async (sort: "revenue" | "impressions" | "clickRate" | "acceptRate") =>
      (await listOffersWithMetrics(shop, { sort }, { timezone: "UTC" })).offers.map((o) => o.name);
    expect(await names("revenue")).toEqual(["Case with phone", "Film with phone", "Never shown"]);
    expect(await names("impressions")).toEqual(["Case with phone", "Film with phone", "Never shown"]);
    expect(await names("clickRate")).toEqual(["Case with phone", "Film with phone", "Never shown"]);
    expect(await names("acceptRate")).toEqual(["Film with phone", "Case with phone", "Never shown"]);

    // Sorted by a metric, pages and filters still hold.
    const second = await listOffersWithMetrics(shop, { sort: "revenue", pageSize: 2, page: 2 }, { timezone: "UTC" });
    expect(second).toMatchObject({ total: 3, page: 2, pageCount: 2, shopTotal: 3 });
    expect(second.offers.map((o) => o.name)).toEqual(["Never shown"]);
    const filtered = await listOffersWithMetrics(shop, { sort: "revenue", query: "film" }, { timezone: "UTC" });
    expect(filtered.offers.map((o) => o.name)).toEqual(["Film with phone"]);
    expect(Object.keys(filtered.metrics)).toEqual([b.id]);
  });

  it("never shows another shop's figures", async () => {
    const shop = uniqueShop("list-metrics-own");
    const other = uniqueShop("list-metrics-other");
    await prisma.shop.createMany({ data: [{ shop, timezone: "UTC" }, { shop: other, timezone: "UTC" }] });
    const mine = await offer(shop, "Mine", new Date());
    forgetShop(other);
    // Events naming my offer id at another shop are not that shop's offer: refused as unknown.
    expect(await ingestEventBatch({ shop: other, events: [{ type: "impression", offerId: mine.id }] }, limiter)).toMatchObject({ accepted: 0, rejected: 1 });
    await ingestOrderWebhook({ webhookId: `other-${other}`, shop: other, topic: "orders/create" }, orderPayload({ id: 77, createdAt: at(today), lines: [{ id: 770, productId: 1, variantId: 2, price: "10.00", quantity: 1, offer: mine.id }] }), "UTC");
    expect((await listOffersWithMetrics(shop, {}, { timezone: "UTC" })).metrics).toEqual({});
  });
});

describe("publish status on the offers list", () => {
  let testShop: TestShop;
  beforeAll(async () => {
    testShop = await startTestShop();
  });
  afterAll(async () => {
    await testShop.stop();
  });

  /** An Admin API client that counts the calls it makes. */
  function counting(admin: AdminApi) {
    const calls: string[] = [];
    const graphql: AdminApi["graphql"] = (query, options) => {
      calls.push(/(?:query|mutation)\s+(\w+)/.exec(String(query))?.[1] ?? "anonymous");
      return admin.graphql(query, options);
    };
    return { admin: { ...admin, graphql } as AdminApi, calls };
  }

  it("reuses what Shopify holds for a short time, and reads it again after a publish", async () => {
    const scope = await testShop.scopeFor(uniqueShop("status-cache"));
    const { admin, calls } = counting(scope.admin);
    expect(await publishStatus(admin, scope.shop, { cacheMs: 30_000 })).toMatchObject({ state: "none" });
    const first = calls.length;
    expect(first).toBeGreaterThan(0);
    expect(await publishStatus(admin, scope.shop, { cacheMs: 30_000 })).toMatchObject({ state: "none" });
    expect(calls.length).toBe(first);

    // Saved offers are read from the database every time: the status says "not published".
    await prisma.offer.create({ data: { shop: scope.shop, name: "FBT", kind: "cross_sell", placements: ["cart"], definition: { trigger: { variants: ["2001"] }, variants: ["2005"] } } });
    expect(await publishStatus(admin, scope.shop, { cacheMs: 30_000 })).toMatchObject({ state: "stale", reason: "Your offers were saved but never published." });
    expect(calls.length).toBe(first);

    // A publish forgets the cached state: the next status shows it live.
    const published = await publishShop(scope.admin, scope.shop);
    expect(published.status).toBe("published");
    expect(await publishStatus(admin, scope.shop, { cacheMs: 30_000 })).toMatchObject({ state: "live", live: { revision: published.revision } });
    expect(calls.length).toBeGreaterThan(first);

    // Past its age, or without cacheMs, Shopify is asked again.
    const before = calls.length;
    await publishStatus(admin, scope.shop, { cacheMs: 30_000, now: () => Date.now() + 31_000 });
    expect(calls.length).toBeGreaterThan(before);
    const again = calls.length;
    await publishStatus(admin, scope.shop);
    expect(calls.length).toBeGreaterThan(again);
  });
});
