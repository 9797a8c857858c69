// A product or a collection changed in Shopify's admin (the products/update and
// collections/update webhooks): does a frequently-bought-together offer that excludes
// products by tag or by collection now publish the wrong thing? Such exclusions are expanded
// to products when the ruleset is published, so a product tagged "clearance" (or added to an
// excluded collection) after the publish would go on being offered until the next rebuild of
// the lists (25 new orders or a day). Here it leaves within CHECK_DELAY_MS.
//
// products/update fires for every edit of every product (a price, a title, stock), so the
// webhook only notes the product's id and tags and answers; edits are checked per shop in
// one batch CHECK_DELAY_MS after the first (a bulk edit of 1,000 products is one check):
// - only shops with a live fbt offer excluding tags or collections read further (one
//   database query);
// - one Admin API read of the published storefront ruleset, and where offers exclude
//   collections one read of which of them hold the edited products (50 products a call);
// - only a product the published ruleset treats wrongly republishes, once for the batch.
// A collections/update about an excluded collection republishes at the end of the batch
// (its payload does not say which products moved).
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { STOREFRONT_RULESET } from "./metafields";
import { parseRuleset } from "../engine";
import { exclusionChange, parseTags, type PublishedExclusion } from "./exclusions";
import { excludesByGroup } from "./model";
import { publishIfTogether } from "./publisher.server";
import { liveOffers } from "./repository.server";

const PUBLISHED = `#graphql
  query CartliftPublishedRuleset {
    currentAppInstallation { metafield(namespace: "${STOREFRONT_RULESET.namespace}", key: "${STOREFRONT_RULESET.key}") { value } }
  }`;

/** The fbt offers of the published storefront ruleset (null when none is published or it cannot be read). */
export async function publishedExclusions(admin: AdminApi): Promise<PublishedExclusion[] | null> {
  const data = await adminGraphql<{ currentAppInstallation: { metafield: { value: string } | null } }>(admin, PUBLISHED);
  const value = data.currentAppInstallation.metafield?.value;
  const parsed = value ? parseRuleset(value) : null; // the engine's reader, as every surface's
  if (!parsed?.ok) return null;
  return parsed.ruleset.offers.flatMap((o) => (o.kind == "cross_sell" && o.source == "fbt" ? [{ id: o.id, exclude: o.exclude ?? [] }] : []));
}

/** Edits wait this long for more of the shop's edits before they are checked. */
export const CHECK_DELAY_MS = 30_000;
/** The wait in use (tests shorten it). */
export const checkDelay = { ms: CHECK_DELAY_MS };

const COLLECTIONS_BATCH = 50;

/** Which of `collections` hold each of `products` (numeric ids), read with Product.inCollection. */
export async function collectionsOf(admin: AdminApi, products: string[], collections: string[]): Promise<Map<string, Set<string>>> {
  const ids = collections.filter((c) => /^\d+$/.test(c));
  const out = new Map<string, Set<string>>();
  if (!ids.length) return out;
  const fields = ids.map((c, i) => `c${i}: inCollection(id: "gid://shopify/Collection/${c}")`).join(" ");
  const query = `#graphql
    query CartliftProductCollections($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id ${fields} } } }`;
  for (let i = 0; i < products.length; i += COLLECTIONS_BATCH) {
    const batch = products.slice(i, i + COLLECTIONS_BATCH).map((id) => `gid://shopify/Product/${id}`);
    const data = await adminGraphql<{ nodes: Array<(Record<string, unknown> & { id?: string }) | null> }>(admin, query, { variables: { ids: batch } });
    for (const node of data.nodes) {
      if (!node?.id) continue;
      out.set(node.id.split("/").pop()!, new Set(ids.filter((_, k) => node[`c${k}`] === true)));
    }
  }
  return out;
}

export type ExclusionCheckOutcome = "unaffected" | "up to date" | "published" | "failed";

/** Every batch checked, newest last (the last 100): for tests and the logs. */
export const exclusionChecks: Array<{ shop: string; products: number; collections: number; outcome: ExclusionCheckOutcome }> = [];

interface Batch {
  products: Map<string, string[]>;
  collections: Set<string>;
  /** Resolves when this batch has been checked (a check never throws). */
  checked: Promise<void>;
}

interface ExclusionOptions {
  adminFor: (shop: string) => Promise<AdminApi>;
  log?: (message: string) => void;
}

/** Each shop's batch still taking edits, and its latest check (waiting or running). */
const waiting = new Map<string, Batch>();
const latest = new Map<string, Promise<void>>();

const numericId = (value: unknown): string | null =>
  typeof value == "number" && Number.isSafeInteger(value) && value > 0 ? String(value) : typeof value == "string" && /^\d+$/.test(value) ? value : null;

/** products/update: notes the product for the shop's next check. Never throws, never waits. */
export function onProductUpdated(shop: string, payload: unknown, options: ExclusionOptions): "queued" | "ignored" {
  const body = (payload ?? {}) as { id?: unknown; tags?: unknown };
  const id = numericId(body.id);
  if (!id) return "ignored";
  batchFor(shop, options).products.set(id, parseTags(body.tags));
  return "queued";
}

/** collections/update: notes the collection for the shop's next check. Never throws, never waits. */
export function onCollectionUpdated(shop: string, payload: unknown, options: ExclusionOptions): "queued" | "ignored" {
  const id = numericId(((payload ?? {}) as { id?: unknown }).id);
  if (!id) return "ignored";
  batchFor(shop, options).collections.add(id);
  return "queued";
}

function batchFor(shop: string, options: ExclusionOptions): Batch {
  const had = waiting.get(shop);
  if (had) return had;
  // One check of a shop at a time: a batch that fills during a check waits for it.
  const previous = latest.get(shop) ?? Promise.resolve();
  const batch = { products: new Map(), collections: new Set() } as Batch;
  batch.checked = new Promise<void>((resolve) => setTimeout(resolve, checkDelay.ms).unref?.())
    .then(() => {
      waiting.delete(shop);
      return previous;
    })
    .then(() => checkBatch(shop, batch, options));
  waiting.set(shop, batch);
  latest.set(shop, batch.checked);
  void batch.checked.then(() => latest.get(shop) === batch.checked && latest.delete(shop));
  return batch;
}

async function checkBatch(shop: string, batch: Batch, options: ExclusionOptions): Promise<void> {
  const log = options.log ?? ((m: string) => console.warn(m));
  let outcome: ExclusionCheckOutcome;
  try {
    outcome = await decideAndPublish(shop, batch, options.adminFor);
  } catch (error) {
    // The next rebuild republishes anyway: a failure here costs only the delay.
    outcome = "failed";
    log(`Cartlift: checking ${shop}'s exclusions after product edits failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  exclusionChecks.push({ shop, products: batch.products.size, collections: batch.collections.size, outcome });
  if (exclusionChecks.length > 100) exclusionChecks.shift();
}

async function decideAndPublish(shop: string, batch: Batch, adminFor: (shop: string) => Promise<AdminApi>): Promise<ExclusionCheckOutcome> {
  const offers = (await liveOffers(shop)).filter(excludesByGroup);
  if (!offers.length) return "unaffected";
  const excludedCollections = [...new Set(offers.flatMap((o) => o.definition.exclude?.collections ?? []))];
  const admin = await adminFor(shop);
  if (!excludedCollections.some((c) => batch.collections.has(c))) {
    const products = [...batch.products];
    if (!products.length) return "unaffected";
    const published = await publishedExclusions(admin);
    const memberships = excludedCollections.length ? await collectionsOf(admin, products.map(([id]) => id), excludedCollections) : null;
    const wrong = products.some(([id, tags]) => exclusionChange(offers, published, { id, tags, collections: memberships ? (memberships.get(id) ?? new Set()) : null }));
    if (!wrong) return "up to date";
  }
  const outcome = await publishIfTogether(admin, shop, { listsChanged: false });
  if (outcome?.status == "failed") throw new Error(outcome.error ?? "the publish failed");
  return outcome ? "published" : "unaffected";
}

/** Resolves when `shop` has no edits waiting and no check running (tests). */
export async function exclusionsSettled(shop: string): Promise<void> {
  while (latest.has(shop)) await latest.get(shop);
}
