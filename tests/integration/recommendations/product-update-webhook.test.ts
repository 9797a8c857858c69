// products/update, end to end: the merchant tags a product in Shopify's admin (the local
// shop's setProductTags), the local shop sends the webhook (signed, trimmed to the
// subscription's include_fields, now and then twice), the app's real route decides and the
// ruleset is republished: a frequently-bought-together offer excluding that tag leaves the
// product out within the republish delay, not at the next rebuild of the lists. Edits that
// change nothing publish nothing, and a burst of edits publishes once.
import { readFileSync } from "node:fs";
import toml from "toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { shortId, type CrossSellOffer, type Ruleset } from "../../../app/engine";
import { plannedRepublish, republishDelay, republishes } from "../../../app/offers/exclusions.server";
import { saveOffer } from "../../../app/offers/offers.server";
import { templateInput } from "../../../app/offers/templates";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { action as productUpdate } from "../../../app/routes/webhooks.products.update";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { getApp, getMetafield, getProductByHandle, setProductTags, type LocalShopState } from "../../../localshop/state";
import { APP_INCLUDE_FIELDS, startWebhookSender, type WebhookSender } from "../../../localshop/webhooks";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let state: LocalShopState;
let sender: WebhookSender;
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
  sender = startWebhookSender(state, {
    appUrl: "https://cartlift.test",
    secret: () => process.env.SHOPIFY_API_SECRET!,
    includeFields: APP_INCLUDE_FIELDS,
    redeliveryRate: 0.5,
    backoffMs: 10,
    fetch: (async (url: string, init?: RequestInit) => {
      received.push(JSON.parse(String(init?.body)));
      try {
        return await productUpdate({ request: new Request(url, init), params: {}, context: {} });
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    }) as typeof fetch,
  });
}, 60_000);
afterAll(async () => {
  sender?.stop();
  await testShop?.stop();
});

const product = (handle: string) => getProductByHandle(state, handle)!;
const fbtOffer = () => {
  const rs = JSON.parse(getMetafield(state, getApp(state).installationId, "cartlift", "ruleset")!.value) as Ruleset;
  return rs.offers.find((o) => o.kind == "cross_sell" && o.source == "fbt") as CrossSellOffer;
};
const published = (shop: string) => prisma.publishRecord.count({ where: { shop, status: "published" } });
/** Every webhook answered, and no republish waiting or running. */
const settled = async (shop: string) => {
  await expect.poll(() => sender.pending(), { timeout: 30_000, interval: 50 }).toBe(0);
  await plannedRepublish(shop);
  expect(plannedRepublish(shop)).toBeUndefined();
};

describe("products/update", { timeout: 240_000 }, () => {
  let shop: string;

  beforeAll(async () => {
    shop = uniqueShop("product-update");
    state.data.shop.myshopifyDomain = shop;
    const scope = await testShop.scopeFor(shop);
    await runBackfill(shop, scope.admin, { pollMs: 25 });
    const input = templateInput("frequently_bought_together");
    input.name = "Mined, never clearance";
    input.source = "fbt";
    input.exclude = { products: [], collections: [], tags: ["clearance"] };
    expect((await saveOffer(scope, input, {})).ok).toBe(true);
  });

  it("the subscription asks for the fields the route reads, and the local shop sends only those", () => {
    const config = toml.parse(readFileSync("shopify.app.toml", "utf8")) as { webhooks: { subscriptions: Array<{ topics?: string[]; uri: string; include_fields?: string[] }> } };
    const sub = config.webhooks.subscriptions.find((s) => s.topics?.includes("products/update"));
    expect(sub?.uri).toBe("/webhooks/products/update");
    expect(sub?.include_fields).toEqual(APP_INCLUDE_FIELDS["products/update"]);
  });

  it("a product tagged with an excluded tag leaves the offer without a rebuild, and comes back when untagged", async () => {
    republishDelay.ms = 200;
    const folio = product("leather-folio-case");
    const folioId = shortId(folio.id);
    expect(fbtOffer().exclude ?? []).not.toContain(folioId);
    expect(fbtOffer().variants).toContain(shortId(folio.variantIds[0]!));

    setProductTags(state, folio.id, [...folio.tags, "Clearance"]); // Shopify's search ignores case
    await expect.poll(() => fbtOffer().exclude ?? [], { timeout: 60_000, interval: 100 }).toContain(folioId);
    expect(fbtOffer().variants).not.toContain(shortId(folio.variantIds[0]!));
    // Shopify's payload, cut to include_fields: the REST tags string, the numeric id.
    const payload = received.findLast((p) => p.id == Number(folioId))!;
    expect(Object.keys(payload).sort()).toEqual(["id", "tags", "updated_at"]);
    expect(payload.tags).toBe([...folio.tags].join(", "));
    await settled(shop);

    setProductTags(state, folio.id, folio.tags.filter((t) => t != "Clearance"));
    await expect.poll(() => fbtOffer().exclude ?? [], { timeout: 60_000, interval: 100 }).not.toContain(folioId);
    expect(fbtOffer().variants).toContain(shortId(folio.variantIds[0]!));
    await settled(shop);
  });

  it("an edit that changes no exclusion publishes nothing; a burst of edits that do publishes once", async () => {
    republishDelay.ms = 2_000; // longer than the local shop's redeliveries take to come
    await settled(shop);
    const before = await published(shop);
    const runs = () => republishes.filter((r) => r.shop == shop).length;
    const ran = runs();
    const revision = fbtOffer();

    setProductTags(state, product("yoga-mat").id, [...product("yoga-mat").tags, "summer"]);
    await settled(shop);
    expect(await published(shop)).toBe(before);
    expect(runs()).toBe(ran);
    expect(fbtOffer()).toEqual(revision);

    const handles = ["grill-brush", "grill-cover", "bbq-tongs", "wide-tooth-comb"];
    for (const h of handles) setProductTags(state, product(h).id, [...product(h).tags, "clearance"]);
    await expect.poll(() => handles.every((h) => (fbtOffer().exclude ?? []).includes(shortId(product(h).id))), { timeout: 60_000, interval: 100 }).toBe(true);
    await settled(shop);
    expect(await published(shop)).toBe(before + 1);
    expect(republishes.filter((r) => r.shop == shop).slice(ran)).toEqual([{ shop, status: "published" }]);
    expect(sender.log.filter((l) => l.topic == "products/update").every((l) => l.status == 200)).toBe(true);
    expect(sender.log.some((l) => l.topic == "products/update" && l.redelivery)).toBe(true);
  });
});
