// Exclusions kept right after product edits (app/offers/exclusions.server.ts): what the
// products/update webhook costs the app, and what a shop's batched check costs, against the
// local shop with the demo's catalog and history, on the embedded database (or DATABASE_URL's
// server, migrated here).
//
// - exclusions.webhook_route_ms: a signed products/update (Shopify's payload cut to the
//   subscription's include_fields) through the real route, HMAC check included; median of
//   1,000 deliveries. The route only notes the edit: this is what every product edit of every
//   shop costs while Shopify waits for the answer.
// - A bulk edit of every active product of the catalog (each tagged "clearance"), in a shop
//   with one fbt offer excluding that tag and one excluding a collection: how many checks the
//   batch makes (checks_per_batch, 1 by design), how long the check takes from the timer to
//   the end of the republish, and how many Admin API calls it makes (the published ruleset,
//   one collection read per 50 products, then the publish's own). Then the same edit again:
//   the ruleset is right, so the check only reads (no publish).
//   figure <name> <value> <unit>
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { benchDatabase } from "./database";

const db = await benchDatabase();

const { default: prisma } = await import("../app/db.server");
const { startTestShop } = await import("../tests/integration/offers/support");
const { webhookRequest } = await import("../tests/support/webhooks");
const { checkDelay, exclusionChecks, exclusionsSettled, onProductUpdated } = await import("../app/offers/exclusions.server");
const { action: productUpdate } = await import("../app/routes/webhooks.products.update");
const { saveOffer } = await import("../app/offers/offers.server");
const { templateInput } = await import("../app/offers/templates");
const { runBackfill } = await import("../app/recommendations/backfill.server");
const { shortId } = await import("../app/engine");
const { getCollectionByHandle, listProducts } = await import("../localshop/state");
const { APP_INCLUDE_FIELDS, productPayload } = await import("../localshop/webhooks");
type AdminApi = import("../app/shopify.server").AdminApi;

const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value} ${unit}`);
const round = (x: number, digits: number) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const testShop = await startTestShop({ orderHistory: true, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } });
const state = testShop.local.state;
const shop = `bench-exclusions-${randomUUID().slice(0, 8)}.myshopify.com`;
state.data.shop.myshopifyDomain = shop;
const scope = await testShop.scopeFor(shop);
await runBackfill(shop, scope.admin, { pollMs: 25 });
for (const [name, exclude] of [
  ["Mined, never clearance", { products: [], collections: [], tags: ["clearance"] }],
  ["Mined, never fitness", { products: [], collections: [shortId(getCollectionByHandle(state, "fitness")!.id)], tags: [] }],
] as const) {
  const input = templateInput("frequently_bought_together");
  input.name = name;
  input.source = "fbt";
  input.exclude = { products: [...exclude.products], collections: [...exclude.collections], tags: [...exclude.tags] };
  const saved = await saveOffer(scope, input, {});
  if (!saved.ok) throw new Error(`the offer did not save: ${JSON.stringify(saved)}`);
}
const products = listProducts(state).filter((p) => p.status == "ACTIVE");

// The route, per delivery: a shop with no session, so the batch it starts is never checked
// (its timer outlives the bench and does not hold the process).
{
  checkDelay.ms = 3_600_000;
  const other = `bench-route-${randomUUID().slice(0, 8)}.myshopify.com`;
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const p = products[i % products.length]!;
    const request = webhookRequest({ topic: "products/update", shop: other, payload: productPayload(state, p, APP_INCLUDE_FIELDS["products/update"]) });
    const t0 = performance.now();
    const response = await productUpdate({ request, params: {}, context: {} });
    times.push(performance.now() - t0);
    if (response.status != 200) throw new Error(`the route answered ${response.status}`);
  }
  figure("exclusions.webhook_route_ms", round(median(times), 3), "ms");
}

// The batched check, counting the Admin API calls it makes.
let calls = 0;
const adminFor = async (_shop: string): Promise<AdminApi> => {
  const graphql = scope.admin.graphql.bind(scope.admin);
  return { ...scope.admin, graphql: ((query: string, options?: unknown) => (calls++, graphql(query, options as never))) as AdminApi["graphql"] } as AdminApi;
};
checkDelay.ms = 0;
for (const [label, tag] of [["changed", true], ["unchanged", true]] as const) {
  const before = exclusionChecks.length;
  const publishes = await prisma.publishRecord.count({ where: { shop, status: "published" } });
  calls = 0;
  const t0 = performance.now();
  for (const p of products) {
    if (tag && !p.tags.includes("clearance")) p.tags.push("clearance");
    onProductUpdated(shop, productPayload(state, p, APP_INCLUDE_FIELDS["products/update"]), { adminFor });
  }
  await exclusionsSettled(shop);
  const ms = performance.now() - t0;
  const checks = exclusionChecks.slice(before);
  const published = (await prisma.publishRecord.count({ where: { shop, status: "published" } })) - publishes;
  console.error(`# ${label}: ${products.length} products edited, ${checks.length} check(s): ${checks.map((c) => c.outcome).join(", ")}; ${published} publish(es)`);
  figure(`exclusions.checks_per_batch.${label}`, checks.length, "checks");
  figure(`exclusions.check_ms.${label}.${products.length}_products`, round(ms, 1), "ms");
  figure(`exclusions.admin_calls.${label}.${products.length}_products`, calls, "calls");
  figure(`exclusions.publishes.${label}`, published, "publishes");
}

await testShop.stop();
await prisma.$disconnect();
await db.stop();
