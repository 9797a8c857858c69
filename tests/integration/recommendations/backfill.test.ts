// The 60-day backfill end to end: the app starts a bulk operation on the local shop, steps
// it to completion, reads the JSONL into the order tables and rebuilds the lists; one
// backfill per shop at a time, Shopify's refusals and failures become a clear state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { advanceBackfill, getBackfillProgress, progressOf, runBackfill, startBackfill, type BackfillProgress, type ImportBatch } from "../../../app/recommendations/backfill.server";
import { action as ordersCreate } from "../../../app/routes/webhooks.orders.create";
import { getStoredLists } from "../../../app/recommendations/lists.server";
import { rebuildAndPublish } from "../../../app/recommendations/publish.server";
import { configureBulkOperations, listBulkOperations } from "../../../localshop/admin-api/bulk";
import { getProductByHandle, listOrders, type LocalShopState } from "../../../localshop/state";
import { orderPayload } from "../../support/orders";
import { uniqueShop, webhookRequest } from "../../support/webhooks";
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

  it("stores the file in bounded batches, each reported as progress while importing", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-batches"));
    const batches: ImportBatch[] = [];
    const seen: BackfillProgress[] = [];
    const progress = await runBackfill(shop, admin, {
      pollMs: 25,
      batchSize: 100,
      afterBatch: async (batch) => {
        batches.push(batch);
        seen.push(await getBackfillProgress(shop));
      },
    });
    const expected = listOrders(state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY).length;
    expect(progress).toMatchObject({ status: "completed", ordersRead: expected, ordersStored: expected, ordersImported: expected });
    // No batch holds more than 100 orders: each is one statement of at most 100 orders and their lines.
    expect(batches.length).toBe(Math.ceil(expected / 100));
    expect(Math.max(...batches.map((b) => b.size))).toBe(100);
    expect(batches.at(-1)!.stored).toBe(expected);
    // The admin reads the import moving batch by batch, with a time left, never "completed" before the end.
    expect(seen.every((p) => p.status == "importing")).toBe(true);
    expect(seen.map((p) => p.ordersStored)).toEqual(batches.map((b) => b.stored));
    expect(seen.every((p) => p.ordersRead == expected && p.msLeft !== null && p.msLeft >= 0)).toBe(true);
    expect(seen.at(-1)!.msLeft).toBe(0);
    expect(await prisma.order.count({ where: { shop } })).toBe(expected);
  });

  it("a batch that fails leaves a failed state saying how far it got; starting again finishes without duplicates", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-broken"));
    const failed = await runBackfill(shop, admin, {
      pollMs: 25,
      batchSize: 100,
      afterBatch: (batch) => {
        if (batch.stored == 300) throw new Error("the database connection was lost");
      },
    });
    const expected = listOrders(state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain(`after 300 of ${expected.length.toLocaleString("en-US")} orders: the database connection was lost`);
    expect(failed.lastRebuiltAt).toBeNull();
    // The batches before the failure are stored whole (orders with all their lines), nothing after.
    expect(await prisma.order.count({ where: { shop } })).toBe(300);
    const storedIds = (await prisma.order.findMany({ where: { shop }, select: { orderId: true } })).map((o) => o.orderId);
    const linesOf = new Map(expected.map((o) => [tail(o.id), o.lineItems.length]));
    expect(await prisma.orderLine.count({ where: { shop } })).toBe(storedIds.reduce((n, id) => n + linesOf.get(id)!, 0));

    const again = await runBackfill(shop, admin, { pollMs: 25, batchSize: 100 });
    expect(again).toMatchObject({ status: "completed", ordersImported: expected.length - 300, error: null });
    expect(await prisma.order.count({ where: { shop } })).toBe(expected.length);
    expect(await prisma.orderLine.count({ where: { shop } })).toBe(expected.reduce((n, o) => n + o.lineItems.length, 0));
  });

  it("an order the orders/create webhook stored first stays one row, with the webhook's lines only", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-webhook"));
    const expected = listOrders(state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY);
    const order = expected.find((o) => o.lineItems.length >= 2 && !o.cancelledAt)!;
    const payload = orderPayload({
      id: Number(tail(order.id)),
      createdAt: order.createdAt,
      // The webhook's copy has one line fewer (as after an edit): the backfill must not add it back.
      lines: order.lineItems.slice(1).map((l) => ({ id: Number(tail(l.id)), productId: Number(tail(l.productId!)), variantId: Number(tail(l.variantId!)), price: l.originalUnitPrice, quantity: l.quantity })),
    });
    const response = await ordersCreate({ request: webhookRequest({ topic: "orders/create", shop, payload, webhookId: `bf-${order.id}` }), params: {}, context: {} });
    expect(response.status).toBe(200);
    const before = await prisma.order.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: tail(order.id) } } });

    const progress = await runBackfill(shop, admin, { pollMs: 25 });
    expect(progress).toMatchObject({ status: "completed", ordersRead: expected.length, ordersImported: expected.length - 1 });
    expect(await prisma.order.count({ where: { shop } })).toBe(expected.length);
    expect(await prisma.order.count({ where: { shop, orderId: tail(order.id) } })).toBe(1);
    expect(await prisma.orderLine.count({ where: { shop, orderId: tail(order.id) } })).toBe(order.lineItems.length - 1);
    // The webhook's row is left as it was (its copy is at least as fresh).
    expect(await prisma.order.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: tail(order.id) } } })).toEqual(before);
  });

  it("when the lists cannot be published after the import, the orders stay and the progress says so", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("backfill-unpublished"));
    const expected = listOrders(state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY).length;
    try {
      const progress = await runBackfill(shop, admin, {
        pollMs: 25,
        // Shopify goes down once the file is downloaded: the import needs only the database,
        // the publishing of the lists needs the Admin API.
        fetchFile: async (input, init) => {
          const response = await fetch(input, init);
          state.outage.adminApi = true;
          return response;
        },
      });
      expect(progress).toMatchObject({ status: "completed", ordersImported: expected, lastRebuiltAt: null, listsPending: false });
      expect(progress.error).toMatch(/^The orders are stored, but the lists were not rebuilt: .+ Use "Rebuild now"/);
      expect(await prisma.order.count({ where: { shop } })).toBe(expected);
    } finally {
      state.outage.adminApi = false;
    }
    // "Rebuild now" once Shopify is back: the lists are there and the message is gone.
    await rebuildAndPublish(shop, admin);
    expect(await getBackfillProgress(shop)).toMatchObject({ status: "completed", error: null, listsPending: false });
    expect((await getBackfillProgress(shop)).lastRebuiltAt).not.toBeNull();
  });

  it("between the import's end and the lists' rebuild, the lists are pending (for a while, not forever)", () => {
    const finishedAt = new Date("2026-12-01T10:00:00Z");
    const row = { backfillStatus: "completed", backfillFinishedAt: finishedAt, lastRebuiltAt: null, backfillError: null } as unknown as Parameters<typeof progressOf>[0];
    const at = (minutes: number) => finishedAt.getTime() + minutes * 60_000;
    expect(progressOf(row, at(0.5)).listsPending).toBe(true);
    // An earlier rebuild does not count; one after the import does.
    expect(progressOf({ ...row!, lastRebuiltAt: new Date(finishedAt.getTime() - 1) }, at(0.5)).listsPending).toBe(true);
    expect(progressOf({ ...row!, lastRebuiltAt: new Date(finishedAt.getTime() + 1) }, at(0.5)).listsPending).toBe(false);
    // A rebuild that failed, or a process that ended before it: no endless waiting.
    expect(progressOf({ ...row!, backfillError: "The orders are stored, but…" }, at(0.5)).listsPending).toBe(false);
    expect(progressOf(row, at(11)).listsPending).toBe(false);
    expect(progressOf({ ...row!, backfillStatus: "importing" }, at(0.5)).listsPending).toBe(false);
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
