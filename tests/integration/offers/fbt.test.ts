// "Automatic: frequently bought together" end to end on the server side, against the local
// shop with the demo's 60 days of orders read by the real backfill: the publisher expands
// the mined products into the offer (exclusions expanded and left out, ratings from the
// reviews metafields), the discount plan names exactly those products, the storefront's
// data (the published product metafield) makes the engine show mined picks with social
// proof, and the preview says why each product was chosen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, parseRuleset, readTogether, shortId, type CrossSellOffer, type Ruleset } from "../../../app/engine";
import type { DiscountPlan } from "../../../app/engine/plan";
import { saveOffer } from "../../../app/offers/offers.server";
import { previewOffers } from "../../../app/offers/preview.server";
import { templateInput } from "../../../app/offers/templates";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { METAFIELD_KEY } from "../../../app/recommendations/publish.server";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { appNamespace, getApp, getMetafield, getProductByHandle, getProductVariants, type LocalShopState } from "../../../localshop/state";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "./support";

let testShop: TestShop;
let state: LocalShopState;
let scope: Awaited<ReturnType<TestShop["scopeFor"]>>;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
  scope = await testShop.scopeFor(uniqueShop("fbt"));
}, 60_000);
afterAll(() => testShop.stop());

const product = (handle: string) => shortId(getProductByHandle(state, handle)!.id);
const variantOf = (handle: string) => shortId(getProductVariants(state, getProductByHandle(state, handle)!.id)[0].id);
const storefrontRuleset = () => JSON.parse(getMetafield(state, getApp(state).installationId, "cartlift", "ruleset")!.value) as Ruleset;
const plan = () => JSON.parse(getMetafield(state, state.data.automaticDiscounts[0].id, "$app:cartlift", "function-configuration")!.value) as DiscountPlan;
/** What Liquid hands the storefront script: the product's `$app` list, as published. */
const listOf = (handle: string) => readTogether(getMetafield(state, getProductByHandle(state, handle)!.id, appNamespace(state), METAFIELD_KEY)?.value);

function fbtInput() {
  const input = templateInput("frequently_bought_together");
  input.name = "Mined accessories";
  input.source = "fbt";
  input.discount = { kind: "percent", value: "10" };
  // Never the screen film (by product), nor anything tagged "coffee"-ish (by tag).
  input.exclude = { products: [product("aurora-screen-film")], collections: [], tags: ["coffee"] };
  input.proofMin = "3";
  return input;
}

describe("frequently bought together, published and previewed", { timeout: 180_000 }, () => {
  it("before any history: publishes the offer with no mined product, and the preview says so", async () => {
    const saved = await saveOffer(scope, fbtInput(), {});
    expect(saved.ok).toBe(true);
    const offer = storefrontRuleset().offers.find((o) => o.kind == "cross_sell" && o.source == "fbt") as CrossSellOffer;
    expect(offer).toMatchObject({ source: "fbt", picks: [], variants: [], proofMin: 3 });
    expect(offer.exclude).toContain(product("aurora-screen-film"));
    const preview = await previewOffers(scope, { sample: { items: [{ variantId: variantOf("aurora-phone"), quantity: 1 }], currency: "USD", placement: "product", customer: "guest" } });
    expect(preview.notes.join(" ")).toMatch(/No order history has been mined yet/);
  });

  it("after the backfill: republishes with the mined products (never an excluded one), and the plan discounts exactly those", async () => {
    const done = await runBackfill(scope.shop, scope.admin, { pollMs: 25 });
    expect(done.error).toBeNull();
    const rs = storefrontRuleset();
    const offer = rs.offers.find((o) => o.kind == "cross_sell" && o.source == "fbt") as CrossSellOffer;
    const offered = new Set(offer.variants.map((v) => Object.keys(rs.products).find((p) => rs.products[p].variants[v])));
    expect(offered.has(product("aurora-phone-case"))).toBe(true);
    expect(offered.has(product("aurora-screen-film"))).toBe(false);
    for (const coffee of ["house-blend-coffee", "espresso-roast"]) expect(offered.has(product(coffee))).toBe(false);
    // Ratings only where a review app left them.
    expect(rs.products[product("aurora-phone-case")].rating).toEqual({ value: 4.6, count: 128 });
    expect(Object.values(rs.products).filter((p) => p.rating).length).toBeLessThanOrEqual(4);
    // The discount plan's cross-sell names exactly the offered products.
    const planned = plan().o.find((o) => o.i == offer.id)!;
    expect(new Set(planned.p)).toEqual(offered);
  });

  it("on the phone's page the engine shows mined picks, best first, with social proof above the threshold", () => {
    const parsed = parseRuleset(storefrontRuleset());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const phone = listOf("aurora-phone");
    expect(phone.map((p) => p.productId)).toContain(product("aurora-screen-film"));
    const ev = evaluate(parsed.ruleset, { currency: "USD", lines: [] }, {
      placement: "product",
      now: Date.now(),
      product: { productId: product("aurora-phone"), variantId: variantOf("aurora-phone"), unitPrice: 69900 },
      together: { [product("aurora-phone")]: phone },
    });
    const shown = ev.offers.find((o) => o.title == "Frequently bought together")!;
    expect(shown.items.length).toBeGreaterThan(0);
    expect(shown.items.every((i) => i.source == "mined")).toBe(true);
    expect(shown.items.map((i) => i.productId)).toContain(product("aurora-phone-case"));
    expect(shown.items.map((i) => i.productId)).not.toContain(product("aurora-screen-film"));
    const caseItem = shown.items.find((i) => i.productId == product("aurora-phone-case"))!;
    expect(caseItem.priceAfter).toBe(Math.round(caseItem.priceBefore * 0.9));
    expect(caseItem.proof).toBe(caseItem.together!.recent);
    expect(caseItem.proof).toBeGreaterThanOrEqual(3);
  });

  it("previews a cart holding the product with the most mined evidence when none is chosen", async () => {
    const empty = { items: [], currency: "USD", placement: "cart", customer: "guest" };
    const preview = await previewOffers(scope, { sample: empty, draft: fbtInput() });
    expect(preview.sample.auto).toBe(true);
    expect(preview.sample.items).toHaveLength(1);
    // The draft is evaluated on that cart: shown with its reasons, or skipped with words (a
    // cheap anchor's picks can be over the anchoring share), never "nothing triggers it".
    const shown = preview.offers.find((o) => o.isDraft);
    const skipped = preview.skipped.find((s) => s.isDraft);
    if (shown) expect(shown.items[0].why).toMatch(/^Bought together in \d+ orders? in the last 60 days/);
    else expect(skipped?.reason).toMatch(/OVER_ANCHOR|ALREADY_IN_CART|UNAVAILABLE/);
    // Without history there is no such product: the cart stays empty.
    const none = await previewOffers(await testShop.scopeFor(uniqueShop("fbt-empty")), { sample: empty, draft: fbtInput() });
    expect(none.sample).toMatchObject({ auto: false, items: [] });
  });

  it("the preview says why each product was chosen", async () => {
    const preview = await previewOffers(scope, { sample: { items: [{ variantId: variantOf("aurora-phone"), quantity: 1 }], currency: "USD", placement: "product", customer: "guest" } });
    const offer = preview.offers.find((o) => o.name == "Mined accessories")!;
    expect(offer.items.length).toBeGreaterThan(0);
    for (const item of offer.items) expect(item.why).toMatch(/^Bought together in \d+ orders? in the last 60 days/);
    const caseItem = offer.items.find((i) => i.title == "Aurora Phone Case")!;
    expect(caseItem.proof).toMatch(/^Bought together \d+ times this month$/);
    expect(caseItem.rating).toBe("4.6 ★ (128 reviews)");
  });
});
