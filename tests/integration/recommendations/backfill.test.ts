// The 60-day backfill end to end: the app starts a bulk operation on the local shop, steps
// it to completion, reads the JSONL into the order tables and rebuilds the lists; one
// backfill per shop at a time, Shopify's refusals and failures become a clear state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { advanceBackfill, getBackfillProgress, runBackfill, startBackfill } from "../../../app/recommendations/backfill.server";
import { getStoredLists } from "../../../app/recommendations/lists.server";
import { configureBulkOperations, listBulkOperations } from "../../../localshop/admin-api/bulk";
import { getProductByHandle, listOrders, type LocalShopState } from "../../../localshop/state";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let state: LocalShopState;
const DAY = 86_400_000;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
});
afterAll(() => testShop.stop());
beforeEach(() => configureBulkOperations(state, { pageDelayMs: 1, maxConcurrent: 5, failNext: null }));

const productId = (handle: string) => getProductByHandle(state, handle)!.id;
const tail = (gid: string) => gid.split("/").pop()!;

// Each backfill stores ~1,700 orders and ~4,000 lines in the embedded Postgres (PGlite),
// which takes seconds on a busy machine: the tests wait on states, with a generous budget.
describe("order backfill", { timeout: 180_000 }, () => {
  it("reads the last 60 days of orders into the order tables and rebuilds the lists", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill"));
    const progress = await runBackfill(shop, admin, { pollMs: 25 });

    const expected = listOrders(state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY);
    expect(expected.length).toBeGreaterThan(1000);
    expect(progress).toMatchObject({ status: "completed", ordersRead: expected.length, ordersExpected: expected.length, ordersImported: expected.length, error: null });
    expect(await prisma.order.count({ where: { shop } })).toBe(expected.length);
    expect(await prisma.orderLine.count({ where: { shop } })).toBe(expected.reduce((n, o) => n + o.lineItems.length, 0));

    // What the recommender needs survives the trip: cancellations, refunds, offer lines.
    const cancelled = expected.filter((o) => o.cancelledAt).length;
    expect(cancelled).toBeGreaterThan(0);
    expect(await prisma.order.count({ where: { shop, cancelledAt: { not: null } } })).toBe(cancelled);
    const refunded = expected.find((o) => o.displayFinancialStatus == "REFUNDED")!;
    const refundedLines = await prisma.orderLine.findMany({ where: { shop, orderId: tail(refunded.id) } });
    expect(refundedLines.every((l) => l.refundedQuantity == l.quantity)).toBe(true);
    const offerLines = expected.flatMap((o) => o.lineItems).filter((l) => l.customAttributes.some((a) => a.key == "_cartlift_offer"));
    expect(await prisma.orderLine.count({ where: { shop, offerId: { not: null } } })).toBe(offerLines.length);
    const anyLine = expected[0]!.lineItems[0]!;
    const stored = await prisma.orderLine.findFirst({ where: { shop, lineId: tail(anyLine.id) } });
    // Stored as the order webhooks store ids (the GID's number), so both paths meet on one row.
    expect(stored).toMatchObject({ productId: tail(anyLine.productId!), variantId: tail(anyLine.variantId!), quantity: anyLine.quantity });
    expect(stored!.revenueMinor).toBe(Math.round(Number(anyLine.originalUnitPrice) * 100) * anyLine.quantity);

    // The lists: rebuilt when the import finished, with the demo's pairs.
    expect(progress.lastRebuiltAt).not.toBeNull();
    expect(progress.productsWithLists).toBeGreaterThan(20);
    const lists = await getStoredLists(shop);
    const phone = lists[productId("aurora-phone")]!.slice(0, 3).map((r) => r.productId);
    expect(phone).toContain(productId("aurora-phone-case"));
    expect(lists[productId("aurora-phone")]![0]!.orders).toBeGreaterThan(20);
  });

  it("a second backfill finds the orders already stored and adds none twice", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-twice"));
    await runBackfill(shop, admin, { pollMs: 25 });
    const count = await prisma.order.count({ where: { shop } });
    const again = await runBackfill(shop, admin, { pollMs: 25 });
    expect(again).toMatchObject({ status: "completed", ordersImported: 0 });
    expect(await prisma.order.count({ where: { shop } })).toBe(count);
  });

  it("runs one backfill per shop: a second start while running starts no second export", async () => {
    configureBulkOperations(state, { pageDelayMs: 200 });
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-once"));
    const before = listBulkOperations(state).length;
    const [a, b] = await Promise.all([startBackfill(shop, admin), startBackfill(shop, admin)]);
    expect([a.status, b.status]).toEqual(["running", "running"]);
    expect(listBulkOperations(state).length).toBe(before + 1);

    // While it runs, the progress shows orders read so far and an estimate of time left.
    let progress = await advanceBackfill(shop, admin);
    while (progress.status == "running" && progress.ordersRead == 0) {
      await new Promise((r) => setTimeout(r, 50));
      progress = await advanceBackfill(shop, admin);
    }
    if (progress.status == "running") {
      expect(progress.ordersRead).toBeLessThan(progress.ordersExpected);
      expect(progress.msLeft).toBeGreaterThanOrEqual(0);
    }
    configureBulkOperations(state, { pageDelayMs: 1 });
    const done = await runBackfill(shop, admin, { pollMs: 25 });
    expect(done.status).toBe("completed");
    expect(listBulkOperations(state).length).toBe(before + 1);
  });

  it("says so when Shopify refuses the export, and can start again later", async () => {
    configureBulkOperations(state, { maxConcurrent: 0 });
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-refused"));
    const refused = await startBackfill(shop, admin);
    expect(refused.status).toBe("failed");
    expect(refused.error).toMatch(/already running bulk exports/);
    configureBulkOperations(state, { maxConcurrent: 5 });
    expect((await runBackfill(shop, admin, { pollMs: 25 })).status).toBe("completed");
  });

  it("says so when the export fails, and stores nothing", async () => {
    configureBulkOperations(state, { failNext: "INTERNAL_SERVER_ERROR" });
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-failed"));
    const failed = await runBackfill(shop, admin, { pollMs: 25 });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/failed \(INTERNAL_SERVER_ERROR\)/);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
    expect((await getBackfillProgress(shop)).status).toBe("failed");
  });
});
