import { describe, expect, it } from "vitest";
import { drainThrottleBucket, getThrottleStatus, resetThrottleBucket } from "../../../localshop/state";
import { gql, makeShop } from "./helpers";

const TEN = `{ products(first: 8) { nodes { id } } }`; // requested cost 10

describe("leaky-bucket throttling", () => {
  it("starts full with Shopify's defaults: 2000 points, 100 restored per second", () => {
    const { state } = makeShop();
    expect(getThrottleStatus(state)).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });

  it("takes the requested cost, then refunds the difference to the actual cost", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: 100, query: "tag:coffee") { nodes { id } } }`);
    expect(res.extensions?.cost).toEqual({
      requestedQueryCost: 102,
      actualQueryCost: 6,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1994, restoreRate: 100 },
    });
  });

  it("answers THROTTLED exactly like Shopify when the requested cost exceeds what is available", async () => {
    const { state } = makeShop({ throttle: { maximumAvailable: 50, restoreRate: 5 } });
    drainThrottleBucket(state, 9);
    const res = await gql(state, TEN);
    expect(res).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 10,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 50, currentlyAvailable: 9, restoreRate: 5 },
        },
      },
    });
    // A throttled request costs nothing.
    expect(getThrottleStatus(state).currentlyAvailable).toBe(9);
  });

  it("restores points continuously at restoreRate, up to the maximum", async () => {
    const { state, clock } = makeShop({ throttle: { maximumAvailable: 50, restoreRate: 5 } });
    drainThrottleBucket(state);
    expect((await gql(state, TEN)).errors?.[0]?.extensions?.code).toBe("THROTTLED");
    clock.advance(1_000);
    expect(getThrottleStatus(state).currentlyAvailable).toBe(5);
    clock.advance(1_000);
    const ok = await gql(state, TEN);
    expect(ok.errors).toBeUndefined();
    expect(ok.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(0);
    clock.advance(60_000);
    expect(getThrottleStatus(state).currentlyAvailable).toBe(50);
  });

  it("drains under sustained load and recovers", async () => {
    const { state, clock } = makeShop({ throttle: { maximumAvailable: 40, restoreRate: 10 } });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await gql(state, TEN);
      outcomes.push(res.errors ? "throttled" : "ok");
    }
    expect(outcomes).toEqual(["ok", "ok", "ok", "ok", "throttled", "throttled"]);
    clock.advance(1_000);
    expect((await gql(state, TEN)).errors).toBeUndefined();
  });

  it("charges mutations 10 points", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `mutation { metafieldsSet(metafields: [{ ownerId: "gid://shopify/Shop/1", namespace: "$app", key: "k1", type: "boolean", value: "true" }]) { userErrors { code } } }`,
    );
    expect(res.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    expect(getThrottleStatus(state).currentlyAvailable).toBe(1990);
  });

  it("test hooks drain and refill the bucket", () => {
    const { state } = makeShop();
    expect(drainThrottleBucket(state).currentlyAvailable).toBe(0);
    expect(resetThrottleBucket(state).currentlyAvailable).toBe(2000);
  });
});
