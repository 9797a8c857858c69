// The app's Admin API client against the local shop: when the shop's cost bucket is
// drained it answers THROTTLED (as Shopify does), and the app waits for the bucket to
// refill and then succeeds, instead of failing the merchant's action.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShop, type RunningLocalShop } from "../../localshop/server";
import { createLocalShop, drainThrottleBucket } from "../../localshop/state";

let shop: RunningLocalShop;
// The bucket refills on a test clock that moves only when the app waits, so what is
// throttled and what is waited out does not depend on how busy the machine is.
const clock = { t: Date.now() };
const advance = async (ms: number) => {
  clock.t += ms;
};

beforeAll(async () => {
  shop = await startLocalShop({ state: createLocalShop({ throttle: { maximumAvailable: 100, restoreRate: 50 }, now: () => clock.t }) });
  process.env.LOCAL_SHOP_URL = shop.url;
});

afterAll(async () => {
  delete process.env.LOCAL_SHOP_URL;
  await shop.stop();
});

const PRODUCTS = `#graphql
  query { products(first: 5) { nodes { id title } } }`;

describe("Admin API throttling", () => {
  it("the local shop answers THROTTLED with the bucket's state when drained", async () => {
    drainThrottleBucket(shop.state);
    const response = await fetch(`${shop.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "token" },
      body: JSON.stringify({ query: PRODUCTS }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe("THROTTLED");
    expect(body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 100, restoreRate: 50 });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(body.extensions.cost.requestedQueryCost);
  });

  it("the app's Admin API client waits out the throttle and succeeds", async () => {
    const { authenticateAdmin } = await import("../../app/shopify.server");
    const { adminGraphql } = await import("../../app/admin-api.server");
    const { admin } = await authenticateAdmin(new Request("http://localhost/app"));

    drainThrottleBucket(shop.state);
    const waits: number[] = [];
    const drainedAt = clock.t;
    const data = await adminGraphql<{ products: { nodes: Array<{ id: string; title: string }> } }>(admin, PRODUCTS, {
      sleep: (ms) => {
        waits.push(ms);
        return advance(ms);
      },
    });

    // One wait, exactly as long as the bucket needs to hold the query's cost again.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(clock.t - drainedAt).toBe(waits[0]);
    expect(data.products.nodes).toHaveLength(5);
    expect(data.products.nodes[0].id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
  });

  it("gives up with a clear error when the shop stays throttled", async () => {
    const { authenticateAdmin } = await import("../../app/shopify.server");
    const { adminGraphql, AdminApiError } = await import("../../app/admin-api.server");
    const { admin } = await authenticateAdmin(new Request("http://localhost/app"));
    const attempt = adminGraphql(admin, PRODUCTS, {
      maxAttempts: 3,
      sleep: async (ms) => {
        await advance(ms);
        drainThrottleBucket(shop.state); // someone else keeps draining it
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(AdminApiError);
    await expect(attempt).rejects.toThrow(/throttling/);
  });
});
