// Rebuilding after orders arrive: orders/create webhooks (through their route, signed) are
// stored and answered at once; the shop's lists are rebuilt in the background after 25 new
// orders or 10 minutes after the first, and the product metafields follow; the hourly sweep
// rebuilds lists a day old. Time is an injected clock: nothing here sleeps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { METAFIELD_KEY, PRODUCTS_METAFIELD_KEY } from "../../../app/recommendations/publish.server";
import { configureRebuildScheduler, type Clock, type RebuildScheduler } from "../../../app/recommendations/schedule.server";
import { action as ordersCreate } from "../../../app/routes/webhooks.orders.create";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { appNamespace, getMetafield, getProductByHandle, getProductVariants, type LocalShopState } from "../../../localshop/state";
import { orderPayload } from "../../support/orders";
import { uniqueShop, webhookRequest } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

/** Timers that fire only when the test moves time forward. */
class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start: number) {
    this.t = start;
  }
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };
  /** Moves time forward, firing due timers in order. */
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

const MIN = 60_000;
let testShop: TestShop;
let state: LocalShopState;
let shop: string;
let clock: ManualClock;
let scheduler: RebuildScheduler;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
  const scope = await testShop.scopeFor(uniqueShop("schedule"));
  shop = scope.shop;
  expect((await runBackfill(shop, scope.admin, { pollMs: 25 })).error).toBeNull();
  clock = new ManualClock(Date.now() + MIN);
  // The real scheduler with its real Admin API access (the shop's offline session); only time
  // is injected, and the sweep is kept to this test's shop (other test files share the database).
  scheduler = configureRebuildScheduler({ clock, log: () => undefined, shops: async () => [shop] });
}, 180_000);
afterAll(async () => {
  scheduler?.stop();
  await testShop?.stop();
});

const product = (handle: string) => getProductByHandle(state, handle)!;
const tail = (gid: string) => Number(gid.split("/").pop());
const picksOf = (handle: string) => {
  const m = getMetafield(state, product(handle).id, appNamespace(state), METAFIELD_KEY);
  return m ? (JSON.parse(m.value) as { builtAt: string; picks: { product: string; orders: number }[] }) : null;
};
const referencesOf = (handle: string) => {
  const m = getMetafield(state, product(handle).id, appNamespace(state), PRODUCTS_METAFIELD_KEY);
  return m ? (JSON.parse(m.value) as string[]) : [];
};
const lastRebuiltAt = async () => (await prisma.recommenderState.findUniqueOrThrow({ where: { shop } })).lastRebuiltAt!.getTime();

let nextOrderId = 7_100_000;
/** One order of these products, placed now (by the test clock), delivered as Shopify sends it. */
async function deliverOrder(handles: string[], webhookId?: string) {
  const id = nextOrderId++;
  const lines = handles.map((h, i) => {
    const p = product(h);
    const v = getProductVariants(state, p.id)[0]!;
    return { id: id * 10 + i, productId: tail(p.id), variantId: tail(v.id), price: v.price, quantity: 1 };
  });
  const payload = orderPayload({ id, lines, createdAt: new Date(clock.now()).toISOString() });
  const response = await ordersCreate({ request: webhookRequest({ topic: "orders/create", shop, payload, webhookId }), params: {}, context: {} });
  expect(response.status).toBe(200);
  return response;
}

describe("rebuilding after orders arrive", { timeout: 120_000 }, () => {
  it("answers the webhook at once and rebuilds 10 minutes after the first new order, then the metafields carry the new pair", async () => {
    const before = await lastRebuiltAt();
    expect(referencesOf("yoga-mat")).not.toContain(product("wireless-charging-pad").id);
    for (let i = 0; i < 8; i++) await deliverOrder(["yoga-mat", "wireless-charging-pad"]);
    // Stored and answered; nothing rebuilt yet.
    expect(await prisma.order.count({ where: { shop, orderId: { gte: "7100000", lt: "7100008" } } })).toBe(8);
    expect(scheduler.pendingOrders(shop)).toBe(8);
    expect(scheduler.outcomes).toEqual([]);
    expect(await lastRebuiltAt()).toBe(before);

    clock.advance(9 * MIN);
    await scheduler.idle();
    expect(scheduler.outcomes).toEqual([]);

    clock.advance(1 * MIN);
    await scheduler.idle();
    expect(scheduler.outcomes).toEqual([expect.objectContaining({ shop, trigger: "orders", rebuilt: true })]);
    expect(scheduler.pendingOrders(shop)).toBe(0);
    expect(await lastRebuiltAt()).toBe(clock.now());
    // Webhook orders (numeric ids) and backfilled ones are the same products to the recommender.
    expect(referencesOf("yoga-mat")).toContain(product("wireless-charging-pad").id);
    const pad = picksOf("yoga-mat")!.picks.find((p) => p.product == product("wireless-charging-pad").id)!;
    expect(pad.orders).toBeGreaterThanOrEqual(8);
  });

  it("rebuilds right away once 25 new orders are in, one rebuild for the whole burst", async () => {
    clock.advance(5 * MIN); // more than the 2 minutes kept between two order-triggered rebuilds
    const runs = scheduler.outcomes.length;
    for (let i = 0; i < 24; i++) await deliverOrder(["yoga-mat", "grill-brush"]);
    await scheduler.idle();
    expect(scheduler.outcomes.length).toBe(runs);
    await deliverOrder(["yoga-mat", "grill-brush"]);
    clock.advance(0);
    await scheduler.idle();
    expect(scheduler.outcomes.slice(runs)).toEqual([expect.objectContaining({ trigger: "orders", rebuilt: true })]);
    expect(await lastRebuiltAt()).toBe(clock.now());
    expect(referencesOf("yoga-mat")).toContain(product("grill-brush").id);
  });

  it("keeps two minutes between order-triggered rebuilds of a shop, even in a rush", async () => {
    const runs = scheduler.outcomes.length;
    const last = await lastRebuiltAt();
    for (let i = 0; i < 25; i++) await deliverOrder(["yoga-mat", "grill-brush"]);
    expect(scheduler.plannedAt(shop)).toBe(last + 2 * MIN);
    clock.advance(2 * MIN - 1);
    await scheduler.idle();
    expect(scheduler.outcomes.length).toBe(runs);
    clock.advance(1);
    await scheduler.idle();
    expect(scheduler.outcomes.slice(runs)).toEqual([expect.objectContaining({ trigger: "orders", rebuilt: true })]);
  });

  it("counts a redelivered webhook once", async () => {
    await deliverOrder(["yoga-mat"], "same-webhook-id");
    const again = await deliverOrder(["yoga-mat"], "same-webhook-id");
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(scheduler.pendingOrders(shop)).toBe(1);
    clock.advance(10 * MIN);
    await scheduler.idle();
  });

  it("the sweep looks at every shop whose lists were built", async () => {
    expect(await configureRebuildScheduler().options.shops()).toContain(shop);
    scheduler = configureRebuildScheduler({ clock, log: () => undefined, shops: async () => [shop] });
  });

  it("the hourly sweep leaves fresh lists alone and rebuilds lists a day old", async () => {
    const stop = scheduler.start();
    try {
      const runs = scheduler.outcomes.length;
      clock.advance(60 * MIN);
      await scheduler.idle();
      expect(scheduler.outcomes.slice(runs)).toEqual([expect.objectContaining({ shop, trigger: "sweep", rebuilt: false })]);
      const builtAt = await lastRebuiltAt();
      clock.advance(24 * 60 * MIN);
      await scheduler.idle();
      const swept = scheduler.outcomes.slice(runs).filter((o) => "rebuilt" in o && o.rebuilt);
      expect(swept).toEqual([expect.objectContaining({ shop, trigger: "sweep", rebuilt: true })]);
      expect(await lastRebuiltAt()).toBeGreaterThanOrEqual(builtAt + 24 * 60 * MIN);
    } finally {
      stop();
    }
  });

  it("a rebuild that fails is recorded and logged, never reaches the webhook, and the next order retries", async () => {
    const logged: string[] = [];
    const failing = configureRebuildScheduler({
      clock,
      log: (m) => logged.push(m),
      adminFor: async () => {
        throw new Error("Shopify is unreachable");
      },
    });
    await deliverOrder(["yoga-mat", "wireless-charging-pad"]);
    clock.advance(10 * MIN);
    await failing.idle();
    expect(failing.outcomes).toEqual([{ shop, trigger: "orders", error: "Shopify is unreachable" }]);
    expect(logged[0]).toMatch(/rebuilding the recommendations of .* failed: Shopify is unreachable/);
    scheduler = configureRebuildScheduler({ clock, log: () => undefined, shops: async () => [shop] });
    await deliverOrder(["yoga-mat", "wireless-charging-pad"]);
    clock.advance(10 * MIN);
    await scheduler.idle();
    expect(scheduler.outcomes).toEqual([expect.objectContaining({ shop, trigger: "orders", rebuilt: true })]);
  });
});
