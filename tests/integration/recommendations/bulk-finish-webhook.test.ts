// The bulk_operations/finish webhook, end to end: the local shop sends it (signed, Shopify's
// payload) when the backfill's bulk operation finishes, and the app's route steps the
// backfill at once, so the orders are read with nobody polling (no admin page open).
// A webhook about another operation, and a redelivery, change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { getBackfillProgress, startBackfill } from "../../../app/recommendations/backfill.server";
import { action as bulkFinish } from "../../../app/routes/webhooks.bulk_operations.finish";
import { configureBulkOperations, listBulkOperations } from "../../../localshop/admin-api/bulk";
import { listOrders } from "../../../localshop/state";
import { startWebhookSender, type WebhookSender } from "../../../localshop/webhooks";
import { uniqueShop, webhookRequest } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let sender: WebhookSender;
const received: Array<Record<string, unknown>> = [];
const DAY = 86_400_000;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  configureBulkOperations(testShop.local.state, { pageDelayMs: 1 });
  // Deliveries go to the app's real route, as its HTTP server would call it.
  sender = startWebhookSender(testShop.local.state, {
    appUrl: "https://cartlift.test",
    secret: () => process.env.SHOPIFY_API_SECRET!,
    redeliveryRate: 1,
    backoffMs: 10,
    fetch: (async (url: string, init?: RequestInit) => {
      const request = new Request(url, init);
      received.push(JSON.parse(String(init?.body)));
      try {
        return await bulkFinish({ request, params: {}, context: {} });
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    }) as typeof fetch,
  });
});
afterAll(async () => {
  sender?.stop();
  await testShop?.stop();
});

describe("bulk_operations/finish", { timeout: 180_000 }, () => {
  it("steps the shop's backfill when its export finishes: the orders are read with nobody polling", async () => {
    const shop = uniqueShop("bulk-finish");
    testShop.local.state.data.shop.myshopifyDomain = shop;
    const { admin } = await testShop.scopeFor(shop);
    const started = await startBackfill(shop, admin);
    expect(started.status).toBe("running");
    const operation = listBulkOperations(testShop.local.state).at(-1)!;

    // Nothing here calls advanceBackfill: only the webhook can move it on.
    await expect.poll(async () => (await getBackfillProgress(shop)).status, { timeout: 120_000, interval: 200 }).toBe("completed");
    const expected = listOrders(testShop.local.state).filter((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY).length;
    expect(await prisma.order.count({ where: { shop } })).toBe(expected);
    await expect.poll(async () => (await getBackfillProgress(shop)).lastRebuiltAt, { timeout: 60_000, interval: 200 }).not.toBeNull();

    // Shopify's payload: flat, the operation's GID, lower-case enums, the shop's time zone.
    const delivered = received.filter((p) => p.admin_graphql_api_id == operation.id);
    expect(delivered.length).toBeGreaterThanOrEqual(1);
    expect(delivered[0]).toEqual({
      admin_graphql_api_id: operation.id,
      completed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/),
      error_code: null,
      status: "completed",
      type: "query",
    });
    // Every delivery (and the redelivery) was answered 200; nothing was imported twice.
    await expect.poll(() => sender.pending(), { timeout: 15_000, interval: 50 }).toBe(0);
    expect(sender.log.filter((l) => l.topic == "bulk_operations/finish").every((l) => l.status == 200)).toBe(true);
    expect(sender.log.some((l) => l.topic == "bulk_operations/finish" && l.redelivery)).toBe(true);
    expect((await getBackfillProgress(shop)).ordersImported).toBe(expected);
  });

  it("a finish webhook about another operation, or for a shop with no backfill running, changes nothing", async () => {
    const shop = uniqueShop("bulk-finish-other");
    await testShop.scopeFor(shop);
    await prisma.recommenderState.create({ data: { shop, backfillStatus: "running", bulkOperationId: "gid://shopify/BulkOperation/999999" } });
    const payload = { admin_graphql_api_id: "gid://shopify/BulkOperation/424242", completed_at: null, created_at: "2026-12-01T10:00:00-05:00", error_code: null, status: "completed", type: "query" };
    const response = await bulkFinish({ request: webhookRequest({ topic: "bulk_operations/finish", shop, payload, webhookId: `bf-other-${shop}` }), params: {}, context: {} });
    expect(response.status).toBe(200);
    expect((await getBackfillProgress(shop)).status).toBe("running");
    const none = uniqueShop("bulk-finish-none");
    await testShop.scopeFor(none);
    const again = await bulkFinish({ request: webhookRequest({ topic: "bulk_operations/finish", shop: none, payload, webhookId: `bf-none-${none}` }), params: {}, context: {} });
    expect(again.status).toBe(200);
    expect((await getBackfillProgress(none)).status).toBe("idle");
  });

  it("refuses an unsigned finish webhook", async () => {
    const shop = uniqueShop("bulk-finish-forged");
    const request = new Request("https://cartlift.test/webhooks/bulk_operations/finish", {
      method: "POST",
      body: JSON.stringify({ admin_graphql_api_id: "gid://shopify/BulkOperation/1", status: "completed", type: "query" }),
      headers: { "content-type": "application/json", "x-shopify-topic": "bulk_operations/finish", "x-shopify-shop-domain": shop, "x-shopify-hmac-sha256": "forged", "x-shopify-webhook-id": "x", "x-shopify-api-version": "2026-10" },
    });
    const response = await bulkFinish({ request, params: {}, context: {} }).catch((thrown) => thrown as Response);
    expect(response.status).toBe(401);
  });
});
