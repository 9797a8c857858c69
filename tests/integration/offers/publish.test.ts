// Saving and publishing against the local shop: validation errors save nothing, a stale
// save is refused, the ruleset lands in the metafields the surfaces read, throttling is
// waited out, an oversize ruleset is refused, and concurrent publishes do not interleave.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { evaluate, parseRuleset, type Ruleset } from "../../../app/engine";
import { localDateTime, PLAN_VERSION, SCHEDULE_SLOTS, type DiscountPlan } from "../../../app/engine/plan";
import { createCart } from "../../../localshop/cart-store";
import { checkoutView, lineKey } from "../../../localshop/checkout/checkout";
import { saveOffer, bulkOffers } from "../../../app/offers/offers.server";
import { publishShop } from "../../../app/offers/publisher.server";
import { itemDisplay } from "../../../app/offers/explain";
import { templateInput } from "../../../app/offers/templates";
import { uniqueShop } from "../../support/webhooks";
import { drainThrottleBucket, getApp, getMetafield, getShop, resetThrottleBucket, type LocalShopState } from "../../../localshop/state";
import { setAdminApiSleep } from "../../../app/admin-api.server";
import { startTestShop, type TestShop } from "./support";

let testShop: TestShop;
let state: LocalShopState;
// The local shop's bucket and the app's throttle waits run on one test clock that moves
// only when the app waits: throttling shows up and is waited out the same at any load.
const clock = { t: Date.now(), waits: [] as number[] };

beforeAll(async () => {
  testShop = await startTestShop({ throttle: { maximumAvailable: 1000, restoreRate: 500 }, now: () => clock.t });
  state = testShop.local.state;
  setAdminApiSleep(async (ms) => {
    clock.waits.push(ms);
    clock.t += ms;
  });
});
afterAll(async () => {
  setAdminApiSleep();
  await testShop.stop();
});
beforeEach(() => {
  resetThrottleBucket(state);
  // Each test starts from a shop with nothing published.
  state.data.metafields = state.data.metafields.filter((m) => !m.namespace.startsWith("app--") && m.namespace != "cartlift");
  state.data.automaticDiscounts = [];
});

function fbtInput() {
  const input = templateInput("frequently_bought_together");
  input.trigger.variants = ["2001"];
  input.variants = ["2005", "2010"];
  return input;
}

function published(): { storefront: Ruleset | null; checkout: Ruleset | null; config: DiscountPlan | null } {
  const read = <T = Ruleset>(ownerId: string | undefined, namespace: string, key: string) => {
    const m = ownerId ? getMetafield(state, ownerId, namespace, key) : null;
    return m ? (JSON.parse(m.value) as T) : null;
  };
  const discount = state.data.automaticDiscounts[0];
  return {
    storefront: read(getApp(state).installationId, "cartlift", "ruleset"),
    checkout: read(getShop(state).id, "$app:cartlift", "ruleset"),
    config: read<DiscountPlan>(discount?.id, "$app:cartlift", "function-configuration"),
  };
}

const phoneCart = { currency: "USD", lines: [{ id: "l1", productId: "1001", variantId: "2001", quantity: 1, unitPrice: 69900 }] };

describe("saving and publishing offers", () => {
  it("saves a valid offer and publishes a ruleset every surface accepts", async () => {
    const scope = await testShop.scopeFor(uniqueShop("publish"));
    const result = await saveOffer(scope, fbtInput(), {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.publish).toMatchObject({ status: "published", revision: 1, offerCount: 1 });

    const { storefront, checkout, config } = published();
    expect(storefront).toEqual(checkout);
    const parsed = parseRuleset(storefront);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const evaluation = evaluate(parsed.ruleset, phoneCart, { placement: "cart", now: Date.now() });
    expect(evaluation.offers[0].items.map((i) => itemDisplay(i).title)).toEqual(["Aurora Phone Case", "Aurora Screen Film (2-pack)"]);

    // The discount function's configuration (the discount plan), on Cartlift's one discount.
    expect(state.data.automaticDiscounts).toHaveLength(1);
    expect(state.data.automaticDiscounts[0]).toMatchObject({ title: "Cartlift offers", discountClasses: ["PRODUCT", "ORDER", "SHIPPING"] });
    expect(config).toMatchObject({ v: PLAN_VERSION, revision: 1 });
    expect(config?.o).toEqual([]); // no discount on this offer: nothing for the function to do

    const record = await prisma.publishRecord.findFirst({ where: { shop: scope.shop } });
    expect(record).toMatchObject({ revision: 1, status: "published", offerCount: 1 });
    expect(await prisma.shop.findUnique({ where: { shop: scope.shop } })).toMatchObject({ discountId: state.data.automaticDiscounts[0].id });
  });

  it("reports validation errors inline and saves nothing", async () => {
    const scope = await testShop.scopeFor(uniqueShop("invalid"));
    const input = fbtInput();
    input.name = "";
    input.variants = [];
    input.discount = { kind: "percent", value: "250" };
    const result = await saveOffer(scope, input, {});
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid",
      errors: { name: "Give the offer a name.", variants: "Choose at least one product to offer." },
    });
    if (!result.ok) expect(result.errors["discount.value"]).toMatch(/percentage/);
    expect(await prisma.offer.count({ where: { shop: scope.shop } })).toBe(0);
    expect(await prisma.publishRecord.count({ where: { shop: scope.shop } })).toBe(0);
  });

  it("refuses a product that is not in the catalog", async () => {
    const scope = await testShop.scopeFor(uniqueShop("gone"));
    const input = fbtInput();
    input.variants = ["2005", "999999"];
    const result = await saveOffer(scope, input, {});
    expect(result).toMatchObject({ ok: false, errors: { variants: "A product you chose is no longer in your catalog: remove it." } });
  });

  it("refuses the later of two saves from the same version, and keeps the first", async () => {
    const scope = await testShop.scopeFor(uniqueShop("conflict"));
    const created = await saveOffer(scope, fbtInput(), {});
    if (!created.ok) throw new Error("create failed");
    const { id, version } = created.offer;

    const alice = { ...fbtInput(), name: "Alice's edit" };
    const bob = { ...fbtInput(), name: "Bob's edit" };
    const first = await saveOffer(scope, alice, { id, version });
    const second = await saveOffer(scope, bob, { id, version });
    expect(first.ok).toBe(true);
    expect(second).toEqual({
      ok: false,
      reason: "conflict",
      errors: { form: "This offer was changed by someone else since you opened it. Reload to see their changes." },
    });
    const row = await prisma.offer.findFirst({ where: { id, shop: scope.shop } });
    expect(row).toMatchObject({ name: "Alice's edit", version: version + 1 });
  });

  it("waits out a drained Admin API bucket and publishes", async () => {
    const scope = await testShop.scopeFor(uniqueShop("throttled"));
    await prisma.offer.create({
      data: { shop: scope.shop, name: "FBT", kind: "cross_sell", placements: ["cart"], definition: { trigger: { variants: ["2001"] }, variants: ["2005", "2010"] } },
    });
    drainThrottleBucket(state);
    const throttledBefore = testShop.throttled();
    const waitsBefore = clock.waits.length;
    const outcome = await publishShop(scope.admin, scope.shop);
    expect(outcome).toMatchObject({ status: "published", offerCount: 1 });
    // The first call was refused THROTTLED; the publisher waited for the bucket to refill.
    expect(testShop.throttled()).toBeGreaterThan(throttledBefore);
    const waits = clock.waits.slice(waitsBefore);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(parseRuleset(published().storefront).ok).toBe(true);
  });

  it("refuses a ruleset over 128 KB, says what to trim, and leaves the live ruleset alone", async () => {
    const scope = await testShop.scopeFor(uniqueShop("oversize"));
    const first = await saveOffer(scope, fbtInput(), {});
    expect(first.ok && first.publish.status).toBe("published");
    const live = published().storefront;

    await prisma.offer.createMany({
      data: Array.from({ length: 700 }, (_, i) => ({
        shop: scope.shop,
        name: `Bulk offer ${i}`,
        kind: "cross_sell",
        placements: ["product", "cart"],
        definition: { title: `A long headline for bulk offer number ${i} that takes space in the ruleset ${"·".repeat(60)}`, trigger: { variants: ["2001"] }, variants: ["2005", "2010", "2011"] },
      })),
    });
    const outcome = await publishShop(scope.admin, scope.shop);
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatch(/over Shopify's 128\.0 KB limit for a metafield/);
    expect(outcome.error).toMatch(/pause or delete offers you no longer need \(701 are live\)/);
    expect(published().storefront).toEqual(live);
    const record = await prisma.publishRecord.findFirst({ where: { shop: scope.shop }, orderBy: { revision: "desc" } });
    expect(record).toMatchObject({ status: "failed", revision: 2 });
    expect(record?.bytes).toBeGreaterThan(128 * 1024);

    // Pausing most of them (a bulk action) publishes again, under the limit.
    const bulk = await bulkOffers(scope, "pause", { all: { query: "Bulk offer" } });
    expect(bulk.count).toBe(700);
    expect(bulk.publish).toMatchObject({ status: "published", revision: 3, offerCount: 1 });
  });

  it("concurrent publishes never interleave: each write follows the latest, revisions increase", async () => {
    const scope = await testShop.scopeFor(uniqueShop("concurrent"));
    const created = await saveOffer(scope, fbtInput(), {});
    expect(created.ok).toBe(true);
    await prisma.offer.create({
      data: { shop: scope.shop, name: "Bundle", kind: "bundle", placements: ["cart"], definition: { components: [{ variantId: "2024" }, { variantId: "2026" }], discount: { kind: "percent", value: 15 } } },
    });
    const outcomes = await Promise.all([publishShop(scope.admin, scope.shop), publishShop(scope.admin, scope.shop), publishShop(scope.admin, scope.shop)]);
    expect(outcomes.map((o) => o.status)).toEqual(["published", "published", "published"]);
    const revisions = outcomes.map((o) => o.revision).sort();
    expect(new Set(revisions).size).toBe(3);
    const { storefront, checkout, config } = published();
    expect(storefront?.revision).toBe(Math.max(...revisions));
    expect(checkout?.revision).toBe(storefront?.revision);
    expect(config?.revision).toBe(storefront?.revision);
    expect(storefront?.offers).toHaveLength(2);
    expect(config?.o.map((o) => o.k)).toEqual([2]); // the bundle
    expect(state.data.automaticDiscounts).toHaveLength(1);
  });
});

describe("schedules at checkout are exact (issue 11, item 18)", () => {
  it("the published plan and variables stop an offer's discount at its end to the second, as the storefront does", async () => {
    const scope = await testShop.scopeFor(uniqueShop("schedule"));
    const input = fbtInput();
    input.discount = { kind: "percent", value: "20" };
    // Ends three hours from now, on a whole second (the shop is in New York).
    const end = Math.ceil((Date.now() + 3 * 3_600_000) / 1000) * 1000;
    input.endsAt = new Date(end).toISOString();
    const result = await saveOffer(scope, input, {});
    expect(result.ok && result.publish).toMatchObject({ status: "published" });
    const discount = state.data.automaticDiscounts[0];
    const config = published().config!;
    expect(config.t).toEqual([end]);
    // The input query's variables: that end as New York's local date-time, beside the plan.
    const variables = JSON.parse(getMetafield(state, discount.id, "$app:cartlift", "function-variables")!.value);
    expect(state.data.shop.ianaTimezone).toBe("America/New_York");
    expect(variables.t0).toBe(localDateTime(end, "America/New_York"));
    expect(Object.keys(variables)).toHaveLength(SCHEDULE_SLOTS);

    // The local checkout builds the function's input from its query, those variables and its clock.
    const offerId = result.ok ? result.offer.id : "";
    const cart = createCart("USD");
    for (const [variantId, properties] of [["gid://shopify/ProductVariant/2001", {}], ["gid://shopify/ProductVariant/2005", { _cartlift_offer: offerId }]] as const)
      cart.lines.push({ key: lineKey(variantId, properties), variantId, quantity: 1, properties: { ...properties } });
    const caseDiscount = (t: number) => {
      const saved = clock.t;
      clock.t = t;
      try {
        const view = checkoutView(state, cart, "http://127.0.0.1:1");
        expect(view.functionProblems).toEqual([]);
        return view.lines[1].discountAllocations.map((a) => a.discountedAmount.amount);
      } finally {
        clock.t = saved;
      }
    };
    expect(caseDiscount(end - 3_600_000)).toEqual([5.8]);
    expect(caseDiscount(end - 1000)).toEqual([5.8]); // one second before its end
    expect(caseDiscount(end)).toEqual([]); // ended, as evaluate says at that moment
    expect(caseDiscount(end + 1000)).toEqual([]); // one second after (the shop's date is still the same day)
    const engineAt = (now: number) => evaluate(published().checkout!, { currency: "USD", lines: [phoneCart.lines[0], { id: "l2", productId: "1003", variantId: "2005", quantity: 1, unitPrice: 2900, offerId }] }, { placement: "checkout", now }).discounts.length;
    expect([engineAt(end - 1000), engineAt(end)]).toEqual([1, 0]);

    // Without its variables Shopify cannot build the input: the run fails, nothing is discounted, and it says why.
    state.data.metafields = state.data.metafields.filter((m) => !(m.ownerId == discount.id && m.key == "function-variables"));
    const saved = clock.t;
    clock.t = end - 1000;
    const view = checkoutView(state, cart, "http://127.0.0.1:1");
    clock.t = saved;
    expect(view.lines[1].discountAllocations).toEqual([]);
    expect(view.functionProblems.join(" ")).toMatch(/input could not be built.*\$t0/);
  });
});
