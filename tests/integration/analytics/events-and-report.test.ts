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

describe("pixel events sent again", () => {
  /** The shop's counts for one offer (impressions, clicks) and the visitors, from the rollups, and its raw rows. */
  async function counts(shop: string, offerId: string) {
    const rows = await prisma.analyticsDaily.findMany({ where: { shop } });
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
    return {
      impressions: sum((r) => (r.offerId === offerId ? r.impressions : 0)),
      clicks: sum((r) => (r.offerId === offerId ? r.clicks : 0)),
      sessions: sum((r) => r.sessions),
      raw: await prisma.offerEvent.count({ where: { shop } }),
    };
  }
  async function shopWithOffer(label: string) {
    const shop = uniqueShop(label);
    await prisma.shop.create({ data: { shop, timezone: "America/New_York" } });
    const offer = await prisma.offer.create({ data: { shop, name: "Case with phone", kind: "cross_sell", placements: ["cart"], definition: {} } });
    return { shop, offerId: offer.id };
  }
  const batch = (shop: string, offerId: string, prefix: string) => ({
    shop,
    events: [
      { id: `sh-${prefix}-1`, type: "impression", offerId, placement: "cart", group: "treatment" },
      { id: `sh-${prefix}-2`, type: "click", offerId, placement: "cart", group: "treatment" },
      { id: `sh-${prefix}-3`, type: "session", group: "treatment" },
    ],
  });

  it("the same batch twice (its answer was lost) is stored and counted once", async () => {
    const { shop, offerId } = await shopWithOffer("events-resent");
    expect((await post(batch(shop, offerId, "a"))).status).toBe(202);
    expect(await counts(shop, offerId)).toEqual({ impressions: 1, clicks: 1, sessions: 1, raw: 3 });
    expect((await post(batch(shop, offerId, "a"))).status).toBe(202);
    expect(await counts(shop, offerId)).toEqual({ impressions: 1, clicks: 1, sessions: 1, raw: 3 });
    // The pixel's retry carries the lost batch with newer events behind it: only those count.
    const retry = batch(shop, offerId, "a");
    retry.events.push({ id: "sh-b-1", type: "impression", offerId, placement: "drawer", group: "treatment" });
    expect((await post(retry)).status).toBe(202);
    expect(await counts(shop, offerId)).toEqual({ impressions: 2, clicks: 1, sessions: 1, raw: 4 });
  });

  it("copies sent at the same moment (written in one group commit, or by racing requests) count once", async () => {
    const { shop, offerId } = await shopWithOffer("events-racing");
    const limiter = new ShopRateLimiter(1e6, 1e6);
    // Eight copies at once: the group commit writes some together, the rest race them.
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => ingestEventBatch(batch(shop, offerId, "r"), limiter)));
    expect(outcomes.every((o) => o.status === 202)).toBe(true);
    // The same id twice inside one batch is one event too.
    const doubled = batch(shop, offerId, "d");
    doubled.events.push({ ...doubled.events[0] });
    await ingestEventBatch(doubled, limiter);
    expect(await counts(shop, offerId)).toEqual({ impressions: 2, clicks: 2, sessions: 2, raw: 6 });
  });

  it("ids are the shop's own: another shop's event with the same id counts, and events without an id always do", async () => {
    const one = await shopWithOffer("events-id-one");
    const two = await shopWithOffer("events-id-two");
    await post(batch(one.shop, one.offerId, "same"));
    await post(batch(two.shop, two.offerId, "same"));
    expect(await counts(two.shop, two.offerId)).toEqual({ impressions: 1, clicks: 1, sessions: 1, raw: 3 });
    // An older pixel (no ids), or an id that is not one (too long): counted each time, as before.
    const plain = { shop: one.shop, events: [{ type: "impression", offerId: one.offerId, placement: "cart", group: "treatment" }, { id: "x".repeat(65), type: "click", offerId: one.offerId, group: "treatment" }] };
    await post(plain);
    await post(plain);
    expect(await counts(one.shop, one.offerId)).toEqual({ impressions: 3, clicks: 3, sessions: 1, raw: 7 });
  });
});
