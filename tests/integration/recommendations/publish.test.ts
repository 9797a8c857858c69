// Publishing the lists as `$app` product metafields: after the backfill every product with
// picks has a list.product_reference and a json of scores and counts (within limits), a
// rebuild writes only what changed, lists that vanish are deleted, deleted products are never
// referenced, lists of an older format are rewritten, and a rebuild is due after enough new
// orders or a day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { runBackfill, storeOrders } from "../../../app/recommendations/backfill.server";
import { LISTS_FORMAT, METAFIELD_KEY, PRODUCTS_METAFIELD_KEY, publishLists, rebuildAndPublish, rebuildDue, rebuildIfDue } from "../../../app/recommendations/publish.server";
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
const references = (productId: string) => {
  const m = getMetafield(state, productId, appNamespace(state), PRODUCTS_METAFIELD_KEY);
  return m ? (JSON.parse(m.value) as string[]) : null;
};
const ours = (key = METAFIELD_KEY) => state.data.metafields.filter((m) => m.namespace == appNamespace(state) && m.key == key);

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

  it("also publishes the picks as a list.product_reference, in the json's order", async () => {
    expect(ours(PRODUCTS_METAFIELD_KEY)).toHaveLength(ours().length);
    for (const m of ours(PRODUCTS_METAFIELD_KEY)) {
      expect(m.type).toBe("list.product_reference");
      expect(references(m.ownerId)).toEqual(published(m.ownerId)!.picks.map((p) => p.product));
    }
    expect(references(id("aurora-phone"))!.slice(0, 3)).toContain(id("aurora-phone-case"));
    const row = await prisma.recommenderState.findUniqueOrThrow({ where: { shop: scope.shop } });
    expect(row.publishedFormat).toBe(LISTS_FORMAT);
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

  it("rewrites every list once when they were published in an older format", async () => {
    const phone = id("aurora-phone");
    const productsMetafield = getMetafield(state, phone, appNamespace(state), PRODUCTS_METAFIELD_KEY)!;
    state.data.metafields = state.data.metafields.filter((m) => m !== productsMetafield); // as format 1 left it
    await prisma.recommenderState.update({ where: { shop: scope.shop }, data: { publishedFormat: 1 } });
    const result = await rebuildAndPublish(scope.shop, scope.admin);
    expect(result.unchanged).toBe(0);
    expect(result.written).toBe(ours().length);
    expect(references(phone)).toEqual(published(phone)!.picks.map((p) => p.product));
    expect((await prisma.recommenderState.findUniqueOrThrow({ where: { shop: scope.shop } })).publishedFormat).toBe(LISTS_FORMAT);
    expect((await rebuildAndPublish(scope.shop, scope.admin)).written).toBe(0);
  });

  it("never references a product that no longer exists, and forgets the lists of deleted products", async () => {
    const phone = id("aurora-phone");
    const film = id("aurora-screen-film");
    const lists = (await prisma.recommenderState.findUniqueOrThrow({ where: { shop: scope.shop } })).lists as Record<string, { productId: string }[]>;
    expect(lists[phone]!.map((p) => p.productId)).toContain(film);
    const removed = state.data.products.find((p) => p.id == film)!;
    state.data.products = state.data.products.filter((p) => p !== removed); // the merchant deletes the film
    state.data.metafields = state.data.metafields.filter((m) => m.ownerId != film);
    try {
      const result = await rebuildAndPublish(scope.shop, scope.admin, Date.now(), prisma);
      expect(result.written).toBeGreaterThan(0);
      expect(references(phone)).not.toContain(film);
      expect(published(phone)!.picks.map((p) => p.product)).not.toContain(film);
      for (const m of ours(PRODUCTS_METAFIELD_KEY)) expect(JSON.parse(m.value)).not.toContain(film);
      const after = (await prisma.recommenderState.findUniqueOrThrow({ where: { shop: scope.shop } })).lists as Record<string, unknown>;
      expect(after[film]).toBeUndefined();
    } finally {
      state.data.products.push(removed);
    }
  });

  it("deletes both metafields of a product whose list is gone", async () => {
    const grill = id("ember-gas-grill");
    const before = published(grill)!;
    const lists = { [grill]: before.picks.map((p) => ({ productId: p.product, score: p.score, orders: p.orders, recentOrders: p.recent })) };
    const result = await publishLists(scope.admin, {}, lists, new Date());
    expect(result).toEqual({ written: 0, deleted: 1, unchanged: 0, published: {} });
    expect(published(grill)).toBeNull();
    expect(references(grill)).toBeNull();
  });
});
