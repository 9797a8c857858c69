// Pixel events through the ingest route and the analytics page's report, against the real database.
import { describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { action as events } from "../../../app/routes/api.events";
import { ingestEventBatch, ShopRateLimiter } from "../../../app/analytics/events.server";
import { loadAnalytics, offersCsv } from "../../../app/analytics/report.server";
import { dayIn } from "../../../app/analytics/orders";
import { uniqueShop } from "../../support/webhooks";

const post = (body: unknown) => events({ request: new Request("https://cartlift.test/api/events", { method: "POST", body: JSON.stringify(body) }), params: {}, context: {} });

describe("pixel events", () => {
  it("counts a batch into the day's rollups, drops unknown offer ids and malformed events", async () => {
    const shop = uniqueShop("events");
    await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD" } });
    const offer = await prisma.offer.create({ data: { shop, name: "Case with phone", kind: "cross_sell", placements: ["cart"], definition: {} } });
    const response = await post({
      shop,
      events: [
        { type: "impression", offerId: offer.id, placement: "cart", group: "treatment" },
        { type: "click", offerId: offer.id, placement: "cart", group: "treatment" },
        { type: "accept", offerId: offer.id, placement: "cart", group: "treatment" },
        { type: "impression", offerId: "made-up", group: "treatment" },
        { type: "teleport", offerId: offer.id },
        { type: "session", group: "holdout" },
      ],
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 4, rejected: 2 });
    const report = await loadAnalytics(shop, { days: 7 });
    expect(report.offers).toEqual([expect.objectContaining({ offerId: offer.id, name: "Case with phone", impressions: 1, clicks: 1, accepts: 1, clickRate: 1, acceptRate: 1 })]);
    expect(report.groups.holdout.visitors).toBe(1);
    expect(report.to).toBe(dayIn(new Date(), "UTC"));
    expect(offersCsv(report, 2).split("\n")[2]).toBe(`${offer.id},Case with phone,1,1,1.0000,1,1.0000,0,0,0.00,0.00,0`);
  });

  it("refuses a shop where Cartlift is not installed, and a batch without a shop", async () => {
    expect((await post({ shop: uniqueShop("nowhere"), events: [{ type: "session" }] })).status).toBe(404);
    expect((await post({ events: [] })).status).toBe(400);
    const bad = await events({ request: new Request("https://cartlift.test/api/events", { method: "POST", body: "{" }), params: {}, context: {} });
    expect(bad.status).toBe(400);
  });

  it("limits batches per shop", async () => {
    const shop = uniqueShop("limited");
    await prisma.shop.create({ data: { shop } });
    const limiter = new ShopRateLimiter(1, 2, () => 1_000);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await ingestEventBatch({ shop, events: [{ type: "session" }] }, limiter)).status);
    expect(outcomes).toEqual([202, 202, 429]);
  });
});
