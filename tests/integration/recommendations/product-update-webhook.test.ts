// products/update and collections/update, end to end: the merchant tags a product or moves it
// into or out of a collection in Shopify's admin (the local shop's setProductTags and
// setInCollection), the local shop sends the webhook (signed, trimmed to the subscription's
// include_fields, now and then twice), the app's real routes note it, and the shop's batch
// check republishes: a frequently-bought-together offer excluding that tag or collection
// leaves the product out within the check delay, not at the next rebuild of the lists.
// Edits that change nothing publish nothing, and a burst of edits is one check.
import { readFileSync } from "node:fs";
import toml from "toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { shortId, type CrossSellOffer, type Ruleset } from "../../../app/engine";
import { checkDelay, exclusionChecks, exclusionsSettled } from "../../../app/offers/exclusions.server";
import { saveOffer } from "../../../app/offers/offers.server";
import { templateInput } from "../../../app/offers/templates";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { action as collectionUpdate } from "../../../app/routes/webhooks.collections.update";
import { action as productUpdate } from "../../../app/routes/webhooks.products.update";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { getApp, getCollectionByHandle, getMetafield, getProductByHandle, setInCollection, setProductTags, type LocalShopState } from "../../../localshop/state";
import { APP_INCLUDE_FIELDS, startWebhookSender, type WebhookSender } from "../../../localshop/webhooks";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

let testShop: TestShop;
let state: LocalShopState;
let sender: WebhookSender;
const received: Array<{ topic: string; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
  state = testShop.local.state;
  configureBulkOperations(state, { pageDelayMs: 1 });
  const routes: Record<string, typeof productUpdate> = { "products/update": productUpdate, "collections/update": collectionUpdate };
  sender = startWebhookSender(state, {
    appUrl: "https://cartlift.test",
    secret: () => process.env.SHOPIFY_API_SECRET!,
    includeFields: APP_INCLUDE_FIELDS,
    redeliveryRate: 0.5,
    backoffMs: 10,
    fetch: (async (url: string, init?: RequestInit) => {
      const topic = new Headers(init?.headers).get("x-shopify-topic")!;
      received.push({ topic, body: JSON.parse(String(init?.body)) });
      try {
        return await routes[topic]!({ request: new Request(url, init), params: {}, context: {} });
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
const collection = (handle: string) => getCollectionByHandle(state, handle)!;
const offer = (id: string) => {
  const rs = JSON.parse(getMetafield(state, getApp(state).installationId, "cartlift", "ruleset")!.value) as Ruleset;
  return rs.offers.find((o) => o.id == id) as CrossSellOffer;
};
const excluded = (id: string) => offer(id).exclude ?? [];
const published = (shop: string) => prisma.publishRecord.count({ where: { shop, status: "published" } });
/** Every webhook answered, and no check waiting or running. */
const settled = async (shop: string) => {
  await expect.poll(() => sender.pending(), { timeout: 30_000, interval: 50 }).toBe(0);
  await exclusionsSettled(shop);
};

describe("products/update and collections/update", { timeout: 240_000 }, () => {
  let shop: string;
  let byTag: string;
  let byCollection: string;

  beforeAll(async () => {
    shop = uniqueShop("product-update");
    state.data.shop.myshopifyDomain = shop;
    const scope = await testShop.scopeFor(shop);
    await runBackfill(shop, scope.admin, { pollMs: 25 });
    const save = async (name: string, exclude: { products: string[]; collections: string[]; tags: string[] }) => {
      const input = templateInput("frequently_bought_together");
      input.name = name;
      input.source = "fbt";
      input.exclude = exclude;
      const saved = await saveOffer(scope, input, {});
      if (!saved.ok) throw new Error(JSON.stringify(saved));
      return saved.offer.id;
    };
    byTag = await save("Mined, never clearance", { products: [], collections: [], tags: ["clearance"] });
    byCollection = await save("Mined, never fitness", { products: [], collections: [shortId(collection("fitness").id)], tags: [] });
  });

  it("the subscriptions ask for the fields the routes read, and the local shop sends only those", () => {
    const config = toml.parse(readFileSync("shopify.app.toml", "utf8")) as { webhooks: { subscriptions: Array<{ topics?: string[]; uri: string; include_fields?: string[] }> } };
    for (const topic of ["products/update", "collections/update"]) {
      const sub = config.webhooks.subscriptions.find((s) => s.topics?.includes(topic));
      expect(sub?.uri).toBe(`/webhooks/${topic}`);
      expect(sub?.include_fields).toEqual(APP_INCLUDE_FIELDS[topic]);
    }
  });

  it("a product tagged with an excluded tag leaves the offer without a rebuild, and comes back when untagged", async () => {
    checkDelay.ms = 200;
    const folio = product("leather-folio-case");
    const folioId = shortId(folio.id);
    const folioVariant = shortId(folio.variantIds[0]!);
    expect(excluded(byTag)).not.toContain(folioId);
    expect(offer(byTag).variants).toContain(folioVariant);

    setProductTags(state, folio.id, [...folio.tags, "Clearance"]); // Shopify's search ignores case
    await expect.poll(() => excluded(byTag), { timeout: 60_000, interval: 100 }).toContain(folioId);
    expect(offer(byTag).variants).not.toContain(folioVariant);
    expect(offer(byCollection).variants).toContain(folioVariant); // the other offer does not exclude it
    // Shopify's payload, cut to include_fields: the REST tags string, the numeric id.
    const payload = received.findLast((r) => r.topic == "products/update" && r.body.id == Number(folioId))!.body;
    expect(Object.keys(payload).sort()).toEqual(["id", "tags", "updated_at"]);
    expect(payload.tags).toBe(folio.tags.join(", "));
    await settled(shop);

    setProductTags(state, folio.id, folio.tags.filter((t) => t != "Clearance"));
    await expect.poll(() => excluded(byTag), { timeout: 60_000, interval: 100 }).not.toContain(folioId);
    expect(offer(byTag).variants).toContain(folioVariant);
    await settled(shop);
  });

  it("a product added to an excluded collection leaves the offer; taken out from its own page, it comes back", async () => {
    checkDelay.ms = 200;
    const film = product("aurora-screen-film");
    const filmId = shortId(film.id);
    const fitness = collection("fitness");
    expect(excluded(byCollection)).not.toContain(filmId);

    setInCollection(state, fitness.id, film.id, true, "collection");
    await expect.poll(() => excluded(byCollection), { timeout: 60_000, interval: 100 }).toContain(filmId);
    expect(excluded(byTag)).not.toContain(filmId);
    const payload = received.findLast((r) => r.topic == "collections/update")!.body;
    expect(Object.keys(payload).sort()).toEqual(["id", "updated_at"]);
    expect(payload.id).toBe(Number(shortId(fitness.id)));
    await settled(shop);

    // From the product's page Shopify sends products/update, which says nothing of collections:
    // the check asks Shopify which excluded collections hold the product.
    setInCollection(state, fitness.id, film.id, false, "product");
    await expect.poll(() => excluded(byCollection), { timeout: 60_000, interval: 100 }).not.toContain(filmId);
    await settled(shop);
  });

  it("an edit that changes no exclusion publishes nothing; a burst of edits that do is one check and one publish", async () => {
    checkDelay.ms = 2_000; // longer than the local shop's deliveries and redeliveries take
    await settled(shop);
    const before = await published(shop);
    const checks = () => exclusionChecks.filter((c) => c.shop == shop);
    const ran = checks().length;
    const ruleset = offer(byTag);

    setProductTags(state, product("yoga-mat").id, [...product("yoga-mat").tags, "summer"]);
    setInCollection(state, collection("coffee").id, product("wide-tooth-comb").id, true, "collection");
    await settled(shop);
    expect(checks().slice(ran).map((c) => c.outcome)).toEqual(["up to date"]);
    expect(await published(shop)).toBe(before);
    expect(offer(byTag)).toEqual(ruleset);

    const handles = ["grill-brush", "grill-cover", "bbq-tongs", "wide-tooth-comb"];
    for (const h of handles) setProductTags(state, product(h).id, [...product(h).tags, "clearance"]);
    await settled(shop);
    expect(handles.every((h) => excluded(byTag).includes(shortId(product(h).id)))).toBe(true);
    expect(checks().slice(ran + 1)).toEqual([{ shop, products: 4, collections: 0, outcome: "published" }]);
    expect(await published(shop)).toBe(before + 1);
    expect(sender.log.filter((l) => l.topic.endsWith("/update")).every((l) => l.status == 200)).toBe(true);
    expect(sender.log.some((l) => l.topic == "products/update" && l.redelivery)).toBe(true);
  });
});
