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

describe("pixel events for a new offer", () => {
  it("counts an offer created after the shop's facts were cached, without waiting for them to expire", async () => {
    const shop = uniqueShop("events-new-offer");
    await prisma.shop.create({ data: { shop, timezone: "UTC" } });
    const first = await prisma.offer.create({ data: { shop, name: "First", kind: "cross_sell", placements: ["cart"], definition: {} } });
    const limiter = new ShopRateLimiter(1e6, 1e6);
    expect(await ingestEventBatch({ shop, events: [{ type: "impression", offerId: first.id }] }, limiter)).toMatchObject({ accepted: 1 });
    const later = await prisma.offer.create({ data: { shop, name: "Later", kind: "cross_sell", placements: ["cart"], definition: {} } });
    // The facts reload on an unknown id (at most every 2 s): the new offer's impression counts soon.
    await expect
      .poll(async () => {
        const outcome = await ingestEventBatch({ shop, events: [{ type: "impression", offerId: later.id }] }, limiter);
        return outcome.status === 202 && outcome.accepted;
      }, { timeout: 15_000, interval: 250 })
      .toBe(1);
    // A made-up id is still refused.
    expect(await ingestEventBatch({ shop, events: [{ type: "impression", offerId: "made-up" }] }, limiter)).toMatchObject({ accepted: 0, rejected: 1 });
  });
});
