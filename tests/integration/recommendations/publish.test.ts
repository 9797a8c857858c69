// Publishing the lists as `$app` product metafields: after the backfill every product with
// picks has one (within limits), a rebuild writes only what changed, lists that vanish are
// deleted, and a rebuild is due after enough new orders or a day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { runBackfill, storeOrders } from "../../../app/recommendations/backfill.server";
import { METAFIELD_KEY, publishLists, rebuildAndPublish, rebuildDue, rebuildIfDue } from "../../../app/recommendations/publish.server";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { appNamespace, getMetafield, getProductByHandle, type LocalShopState } from "../../../localshop/state";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let state: LocalShopState;
let scope: Awaited<ReturnType<TestShop["scopeFor"]>>;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
  scope = await testShop.scopeFor(uniqueShop("publish"));
  const done = await runBackfill(scope.shop, scope.admin, { pollMs: 25 });
  expect(done.error).toBeNull();
}, 180_000);
afterAll(() => testShop.stop());

const id = (handle: string) => getProductByHandle(state, handle)!.id;
const published = (productId: string) => {
  const m = getMetafield(state, productId, appNamespace(state), METAFIELD_KEY);
  return m ? (JSON.parse(m.value) as { v: number; picks: { product: string; score: number; orders: number; recent: number }[] }) : null;
};
const ours = () => state.data.metafields.filter((m) => m.namespace == appNamespace(state) && m.key == METAFIELD_KEY);

describe("publishing the lists", { timeout: 120_000 }, () => {
  it("gives every product with picks an $app metafield with product ids, scores and counts", async () => {
    const row = await prisma.recommenderState.findUniqueOrThrow({ where: { shop: scope.shop } });
    expect(ours()).toHaveLength(row.productsWithLists);
    const phone = published(id("aurora-phone"))!;
    expect(phone.v).toBe(1);
    expect(phone.picks.slice(0, 3).map((p) => p.product)).toContain(id("aurora-phone-case"));
    expect(phone.picks[0]!.orders).toBeGreaterThan(20);
    expect(phone.picks[0]!.score).toBeGreaterThan(0);
    expect(phone.picks.length).toBeLessThanOrEqual(10);
    for (const m of ours()) {
      expect(m.type).toBe("json");
      expect(Buffer.byteLength(m.value)).toBeLessThan(4 * 1024);
    }
  });

  it("writes nothing when nothing changed but the scores' slow drift", async () => {
    const result = await rebuildAndPublish(scope.shop, scope.admin);
    expect(result).toMatchObject({ written: 0, deleted: 0 });
    expect(result.unchanged).toBeGreaterThan(20);
  });

  it("is due after enough new orders, then rewrites only the lists they changed", async () => {
    expect((await rebuildDue(scope.shop)).due).toBe(false);
    const now = new Date();
    const orders = Array.from({ length: 30 }, (_, i) => ({
      orderId: `gid://shopify/Order/${900000 + i}`,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      cancelledAt: null,
      fullyRefunded: false,
      currency: "USD",
      shopCurrency: "USD",
      group: "none",
      lines: ["yoga-mat", "wireless-charging-pad"].map((h, j) => ({ lineId: `gid://shopify/LineItem/${990000 + i * 2 + j}`, productId: id(h), variantId: null, quantity: 1, refundedQuantity: 0, revenueMinor: 100, offerId: null })),
    }));
    await storeOrders(scope.shop, orders, "UTC");
    expect(await rebuildDue(scope.shop)).toEqual({ due: true, newOrders: 30 });
    const result = await rebuildIfDue(scope.shop, scope.admin);
    expect(result.rebuilt).toBe(true);
    if (!result.rebuilt) return;
    expect(result.written).toBeGreaterThan(0);
    expect(result.unchanged).toBeGreaterThan(0);
    expect(published(id("yoga-mat"))!.picks.map((p) => p.product)).toContain(id("wireless-charging-pad"));
    expect((await rebuildDue(scope.shop)).due).toBe(false);
    expect((await rebuildDue(scope.shop, Date.now() + 25 * 3_600_000)).due).toBe(true);
  });

  it("deletes the metafield of a product whose list is gone", async () => {
    const grill = id("ember-gas-grill");
    const before = published(grill)!;
    const lists = { [grill]: before.picks.map((p) => ({ productId: p.product, score: p.score, orders: p.orders, recentOrders: p.recent })) };
    const result = await publishLists(scope.admin, {}, lists, new Date());
    expect(result).toEqual({ written: 0, deleted: 1, unchanged: 0, published: {} });
    expect(published(grill)).toBeNull();
  });
});
