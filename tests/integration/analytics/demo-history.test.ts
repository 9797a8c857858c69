// `npm run demo`'s analytics history (scripts/demo-history.ts) through the app's own ingest:
// labelled as a demo, orders in both groups, offers credited, the pixel's counts beside
// them; seeded once, and never over a shop that has orders of its own.
import { describe, expect, test } from "vitest";
import prisma from "../../../app/db.server";
import { loadAnalytics } from "../../../app/analytics/report.server";
import { seedDemoHistory } from "../../../scripts/demo-history";
import { uniqueShop } from "../../support/webhooks";

async function demoShop(label: string) {
  const shop = uniqueShop(label);
  await prisma.shop.create({ data: { shop, timezone: "America/New_York", currency: "USD", settings: { holdout: { share: 0.2 } } } });
  for (const name of ["Phone accessories", "Burger meal", "Grill brush"]) await prisma.offer.create({ data: { shop, name, kind: "cross_sell", placements: ["cart"], definition: {} } });
  return shop;
}

describe("the demo's analytics history", () => {
  test("fills the page for both groups, credits the offers and is labelled as a demo, once", async () => {
    const shop = await demoShop("demo-history");
    const seeded = await seedDemoHistory({ shop, maxOrders: 400 });
    expect(seeded?.orders).toBeGreaterThan(300);
    expect(seeded?.events).toBeGreaterThan(seeded!.orders);
    const report = await loadAnalytics(shop, { days: 90 });
    expect(report.demo).toBe(true);
    expect(report.groups.treatment.orders).toBeGreaterThan(report.groups.holdout.orders);
    expect(report.groups.holdout.orders).toBeGreaterThan(20);
    expect(report.groups.none.orders).toBe(0);
    for (const g of [report.groups.treatment, report.groups.holdout]) {
      expect(g.visitors).toBeGreaterThan(g.orders * 20);
      expect(g.checkoutsStarted).toBeGreaterThan(g.checkoutsCompleted);
    }
    const credited = report.offers.filter((o) => o.revenue > 0);
    expect(credited.map((o) => o.name).sort()).toEqual(expect.arrayContaining(["Burger meal"]));
    for (const o of credited) expect(o).toMatchObject({ impressions: expect.any(Number), clickRate: expect.any(Number), acceptRate: expect.any(Number) });
    // Once: a second start changes nothing.
    expect(await seedDemoHistory({ shop, maxOrders: 400 })).toBeNull();
    expect((await loadAnalytics(shop, { days: 90 })).groups.treatment.orders).toBe(report.groups.treatment.orders);
  }, 120_000);

  test("never seeds a shop that has orders of its own", async () => {
    const shop = await demoShop("demo-history-real");
    const at = new Date();
    await prisma.order.create({ data: { shop, orderId: "1", received: true, createdAt: at, processedAt: at, day: "2026-12-01", sourceUpdatedAt: at, shopCurrency: "USD", currency: "USD", refunds: {} } });
    expect(await seedDemoHistory({ shop, maxOrders: 50 })).toBeNull();
    expect((await loadAnalytics(shop, { days: 90 })).demo).toBe(false);
  });
});
