// A frequently-bought-together offer's exclusions by collection and tag are expanded to
// products when the ruleset is published. A product the merchant tags (or adds to an
// excluded collection) afterwards must stop being offered without the merchant saving the
// offer again: every rebuild of the lists republishes such offers, even when the lists
// themselves did not change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortId, type CrossSellOffer, type Ruleset } from "../../../app/engine";
import { saveOffer } from "../../../app/offers/offers.server";
import { templateInput } from "../../../app/offers/templates";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { rebuildAndPublish } from "../../../app/recommendations/publish.server";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { getApp, getMetafield, getProductByHandle, type LocalShopState } from "../../../localshop/state";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let state: LocalShopState;

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
}, 60_000);
afterAll(() => testShop.stop());

const product = (handle: string) => shortId(getProductByHandle(state, handle)!.id);
const fbtOffer = () => {
  const rs = JSON.parse(getMetafield(state, getApp(state).installationId, "cartlift", "ruleset")!.value) as Ruleset;
  return rs.offers.find((o) => o.kind == "cross_sell" && o.source == "fbt") as CrossSellOffer;
};

describe("exclusions by tag, after the products change", { timeout: 180_000 }, () => {
  it("a product tagged after the publish leaves the offer at the next rebuild, lists unchanged", async () => {
    const scope = await testShop.scopeFor(uniqueShop("fbt-exclusions"));
    await runBackfill(scope.shop, scope.admin, { pollMs: 25 });
    const input = templateInput("frequently_bought_together");
    input.name = "Mined, never clearance";
    input.source = "fbt";
    input.exclude = { products: [], collections: [], tags: ["clearance"] };
    expect((await saveOffer(scope, input, {})).ok).toBe(true);
    const folio = product("leather-folio-case");
    expect(fbtOffer().exclude ?? []).not.toContain(folio);

    // The merchant tags the folio "clearance" in Shopify's admin; nothing tells Cartlift.
    getProductByHandle(state, "leather-folio-case")!.tags.push("clearance");
    const rebuilt = await rebuildAndPublish(scope.shop, scope.admin);
    expect(rebuilt.written + rebuilt.deleted).toBe(0); // the lists are as they were
    expect(fbtOffer().exclude ?? []).toContain(folio);
  });
});
