// Publishing under faults, against the local shop and the real database: the app is
// "killed" between any two Admin API calls (a client that lets Shopify do the work, then
// throws as a crashed process would never see the answer), the Admin API throttles a
// write until the app gives up, and the database refuses to record a publish. After each
// fault, and after the automatic recovery (the next save or a retry):
// - the storefront, checkout and discount values carry one revision, or the discount's is
//   the empty fail-closed one (nothing charged that shoppers were not shown);
// - there is one Cartlift discount, found by what it is;
// - the admin's status says what Shopify holds, compared with the saved offers.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../../app/db.server";
import { setAdminApiSleep } from "../../../app/admin-api.server";
import { saveOffer, republish, SHOPIFY_UNAVAILABLE } from "../../../app/offers/offers.server";
import { EMPTY_DISCOUNT_CONFIGURATION, publishShop, publishStatus } from "../../../app/offers/publisher.server";
import { templateInput } from "../../../app/offers/templates";
import type { AdminApi } from "../../../app/shopify.server";
import { uniqueShop } from "../../support/webhooks";
import { createAutomaticAppDiscount, drainThrottleBucket, getApp, getMetafield, getShop, resetThrottleBucket, type LocalShopState } from "../../../localshop/state";
import { startTestShop, type TestShop } from "./support";

let testShop: TestShop;
let state: LocalShopState;
const clock = { t: Date.now() };

beforeAll(async () => {
  testShop = await startTestShop({ throttle: { maximumAvailable: 1000, restoreRate: 500 }, now: () => clock.t });
  state = testShop.local.state;
  setAdminApiSleep(async (ms) => {
    clock.t += ms;
  });
});
afterAll(async () => {
  setAdminApiSleep();
  await testShop.stop();
});
beforeEach(() => {
  resetThrottleBucket(state);
  state.data.metafields = state.data.metafields.filter((m) => !m.namespace.startsWith("app--") && m.namespace != "cartlift");
  state.data.automaticDiscounts = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Fault = (operation: string, call: () => Promise<Response>) => Promise<Response>;

/** An Admin API client whose calls pass through `fault` (named by their operation). */
function faulty(admin: AdminApi, fault: Fault): AdminApi {
  const graphql: AdminApi["graphql"] = (query, options) => {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(String(query))?.[1] ?? "anonymous";
    return fault(operation, () => admin.graphql(query, options));
  };
  return { ...admin, graphql } as AdminApi;
}

/** Lets Shopify do `operation`, then dies before the app sees the answer (kill -9). */
const killedAfter =
  (operation: string): Fault =>
  async (name, call) => {
    const response = await call();
    if (name == operation) throw new Error(`killed after ${operation}`);
    return response;
  };

function fbtInput(discount = false) {
  const input = templateInput("frequently_bought_together");
  input.trigger.variants = ["2001"];
  input.variants = ["2005", "2010"];
  if (discount) input.discount = { kind: "percent", value: "10" };
  return input;
}

const read = (ownerId: string | undefined, namespace: string, key: string) => (ownerId ? getMetafield(state, ownerId, namespace, key)?.value ?? null : null);

/** What shoppers get: the three published values and every discount carrying a configuration. */
function live() {
  const storefront = read(getApp(state).installationId, "cartlift", "ruleset");
  const checkout = read(getShop(state).id, "$app:cartlift", "ruleset");
  const configs = state.data.automaticDiscounts.map((d) => read(d.id, "$app:cartlift", "function-configuration"));
  const revision = (value: string | null) => (value ? (JSON.parse(value) as { revision: number }).revision : null);
  return {
    storefront: revision(storefront),
    checkout: revision(checkout),
    discounts: configs.map(revision),
    configs: configs.map((c) => (c ? (JSON.parse(c) as { revision: number; o?: Array<{ d?: unknown; k: number }> }) : null)),
  };
}

/** The invariant after a completed publish: one discount, and one revision everywhere. */
function expectOnePublish(revision: number) {
  const now = live();
  expect(now.discounts).toEqual([revision]);
  expect(now.storefront).toBe(revision);
  expect(now.checkout).toBe(revision);
}

describe("publishing under faults", () => {
  it("a kill right after the discount is created leaves a fail-closed discount, found again and used by the next save", async () => {
    const scope = await testShop.scopeFor(uniqueShop("kill-create"));
    const killed = { ...scope, admin: faulty(scope.admin, killedAfter("CartliftCreateDiscount")) };
    const first = await saveOffer(killed, fbtInput(true), {});
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    // publishShop does not throw; the save is kept and the outcome says what happened.
    expect(first.publish.status).toBe("failed");
    expect(first.publish.error).toMatch(/killed after CartliftCreateDiscount/);
    // Shopify created the discount, empty: it applies nothing. Nothing else was written.
    expect(state.data.automaticDiscounts).toHaveLength(1);
    expect(read(state.data.automaticDiscounts[0].id, "$app:cartlift", "function-configuration")).toBe(EMPTY_DISCOUNT_CONFIGURATION);
    expect(live()).toMatchObject({ storefront: null, checkout: null });
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "stale", live: null });

    // The next save recovers: the same discount is found by what it is (no id was stored).
    expect((await prisma.shop.findUnique({ where: { shop: scope.shop } }))?.discountId ?? null).toBeNull();
    const second = await saveOffer(scope, { ...fbtInput(true), name: "FBT, edited" }, { id: first.offer.id, version: first.offer.version });
    expect(second.ok && second.publish).toMatchObject({ status: "published" });
    if (!second.ok) return;
    expectOnePublish(second.publish.revision);
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "live", live: { revision: second.publish.revision, offerCount: 1 } });
  });

  it("deletes a second Cartlift discount left by an earlier crash, so a deleted bundle's 15 % stops charging", async () => {
    const scope = await testShop.scopeFor(uniqueShop("orphan"));
    const stale = JSON.stringify({
      schemaVersion: 1,
      revision: 3,
      shop: { currency: "USD" },
      offers: [{ id: "gone", kind: "bundle", components: [{ variantId: "2024" }, { variantId: "2026" }], discount: { kind: "percent", value: 15 } }],
      products: {},
    });
    for (let i = 0; i < 2; i++) {
      const created = createAutomaticAppDiscount(state, {
        title: i == 0 ? "Cartlift offers" : "Renamed by the merchant",
        functionHandle: "cartlift-discount",
        startsAt: new Date(clock.t).toISOString(),
        discountClasses: ["PRODUCT", "ORDER", "SHIPPING"],
        metafields: [{ namespace: "$app:cartlift", key: "function-configuration", type: "json", value: stale }],
      });
      expect(created.userErrors).toEqual([]);
    }
    const keep = state.data.automaticDiscounts[0].id;
    const result = await saveOffer(scope, fbtInput(), {});
    expect(result.ok && result.publish).toMatchObject({ status: "published", revision: 4 });
    expect(state.data.automaticDiscounts.map((d) => d.id)).toEqual([keep]);
    expectOnePublish(4);
    expect(live().configs[0]?.o).toEqual([]);
  });

  it("a throttled three-value write changes nothing shoppers get; the status says not live; a retry publishes all three", async () => {
    const scope = await testShop.scopeFor(uniqueShop("throttled-write"));
    // Someone keeps the bucket empty whenever the app writes the three values.
    const starved = faulty(scope.admin, async (name, call) => {
      if (name == "CartliftPublish") drainThrottleBucket(state);
      return call();
    });
    const first = await saveOffer({ ...scope, admin: starved }, fbtInput(true), {});
    expect(first.ok && first.publish).toMatchObject({ status: "failed", error: expect.stringMatching(/throttling/) });
    // The discount exists but holds the empty configuration: checkout charges nothing the
    // storefront does not show.
    expect(live()).toMatchObject({ storefront: null, checkout: null, discounts: [0] });
    const status = await publishStatus(scope.admin, scope.shop);
    expect(status).toMatchObject({ state: "stale", live: null });
    expect(status.reason).toMatch(/throttling/);

    resetThrottleBucket(state);
    const retry = await republish(scope);
    expect(retry.status).toBe("published");
    expectOnePublish(retry.revision);
    expect(live().configs[0]?.o?.[0]).toMatchObject({ d: { p: 10 } });
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "live", live: { revision: retry.revision } });
  });

  it("a kill after the three values were written: the status shows them live (from Shopify), and the next publish follows on", async () => {
    const scope = await testShop.scopeFor(uniqueShop("kill-write"));
    const first = await saveOffer(scope, fbtInput(), {});
    expect(first.ok && first.publish).toMatchObject({ status: "published", revision: 1 });
    if (!first.ok) return;

    const edited = await saveOffer({ ...scope, admin: faulty(scope.admin, killedAfter("CartliftPublish")) }, { ...fbtInput(true), name: "Edited" }, { id: first.offer.id, version: first.offer.version });
    expect(edited.ok && edited.publish.status).toBe("failed");
    // Shopify holds revision 2 in all three; the admin says so rather than "revision 1".
    expectOnePublish(2);
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "live", live: { revision: 2 } });

    const next = await republish(scope);
    expect(next).toMatchObject({ status: "published", revision: 3 });
    expectOnePublish(3);
  });

  it("a database error while recording a publish: the save answers, the publish is live, and the status says so", async () => {
    const scope = await testShop.scopeFor(uniqueShop("record-fails"));
    const create = vi.spyOn(prisma.publishRecord, "create").mockRejectedValue(new Error("Connection terminated unexpectedly"));
    const result = await saveOffer(scope, fbtInput(), {});
    expect(create).toHaveBeenCalled();
    expect(result.ok && result.publish).toMatchObject({ status: "published", revision: 1 });
    if (!result.ok) return;
    expect(result.publish.warnings.join(" ")).toMatch(/could not be added to the history \(Connection terminated unexpectedly\)/);
    vi.restoreAllMocks();
    expectOnePublish(1);
    expect(await prisma.publishRecord.count({ where: { shop: scope.shop } })).toBe(0);
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "live", live: { revision: 1, at: null } });
  });

  it("publishShop never throws when the database is unreachable: the outcome says so", async () => {
    const scope = await testShop.scopeFor(uniqueShop("db-down"));
    vi.spyOn(prisma.offer, "findMany").mockRejectedValue(new Error("Can't reach database server"));
    vi.spyOn(prisma.publishRecord, "create").mockRejectedValue(new Error("Can't reach database server"));
    const outcome = await publishShop(scope.admin, scope.shop);
    expect(outcome).toMatchObject({ status: "failed", error: "Publishing failed: Can't reach database server" });
    const status = await publishStatus(scope.admin, scope.shop);
    expect(status).toMatchObject({ state: "unknown", reason: "Could not check what is live: Can't reach database server" });
  });

  it("an offer saved but never published, or changed since, is not shown as live", async () => {
    const scope = await testShop.scopeFor(uniqueShop("unpublished"));
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "none" });
    const offer = await prisma.offer.create({
      data: { shop: scope.shop, name: "FBT", kind: "cross_sell", placements: ["cart"], definition: { trigger: { variants: ["2001"] }, variants: ["2005"] } },
    });
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "stale", reason: "Your offers were saved but never published." });
    const published = await publishShop(scope.admin, scope.shop);
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({ state: "live", live: { revision: published.revision, offerCount: 1 } });
    await prisma.offer.update({ where: { id: offer.id }, data: { name: "FBT 2", version: { increment: 1 } } });
    expect(await publishStatus(scope.admin, scope.shop)).toMatchObject({
      state: "stale",
      live: { revision: published.revision },
      reason: "Your latest changes were saved but not published.",
    });
  });
});

describe("Shopify not answering while the merchant works", () => {
  it("a save whose product lookup Shopify does not answer says so and saves nothing", async () => {
    const scope = await testShop.scopeFor(uniqueShop("save-outage"));
    const down = faulty(scope.admin, async (operation, call) => (operation == "CartliftVariants" ? Promise.reject(new Error("fetch failed: ECONNRESET")) : call()));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await saveOffer({ ...scope, admin: down }, { ...templateInput("frequently_bought_together"), name: "FBT", trigger: { variants: ["2001"] }, variants: ["2005"] }, {});
    expect(result).toEqual({ ok: false, errors: { form: SHOPIFY_UNAVAILABLE }, reason: "shopify" });
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(0);
    // Shopify back: the same save goes through.
    const again = await saveOffer(scope, { ...templateInput("frequently_bought_together"), name: "FBT", trigger: { variants: ["2001"] }, variants: ["2005"] }, {});
    expect(again.ok).toBe(true);
  });
});
