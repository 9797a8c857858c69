// Publishing the frequently-bought-together lists where the surfaces read them without
// calling Cartlift's server: two `$app` metafields per product, written and deleted together
// (the format other code reads is described in docs/ARCHITECTURE.md, "Recommendations"):
//   `$app.frequently_bought_together_products`, type list.product_reference: the picks as
//     product references, best first. Liquid resolves them to product objects
//     (`product.metafields['$app'].frequently_bought_together_products.value`), and the
//     checkout extension reads the GIDs through its app metafields.
//   `$app.frequently_bought_together`, type json: the same picks in the same order with
//     their score and co-purchase counts (for "bought together in 37 orders"):
//   {"v":1,"windowDays":60,"recentDays":30,"builtAt":"…","picks":[{"product":"gid://shopify/Product/1003","score":0.52,"orders":61,"recent":40}]}
//   Significant picks come first; a back-off pick (recommender.ts 8.) follows them with "sig":false.
//
// - Within limits: at most PICKS_PER_PRODUCT (10) picks, far below a list's 128 items and the
//   json type's 128 KB (a full value is ~1 KB; both checked before writing); `metafieldsSet`
//   takes at most 25 metafields per call, so 12 products (24 metafields) go per call.
// - Only existing products: Shopify refuses a reference to a product that no longer exists,
//   and `metafieldsSet` is atomic, so one deleted product would fail its whole batch. The
//   products a changed list names are looked up first (`nodes`), and missing ones dropped.
// - Incremental: only products whose list changed since the last publish are written, and
//   products that lost their list have both metafields deleted. The publish state is the
//   `lists` column of RecommenderState; it is updated only after Shopify accepted.
// - When: after the backfill, and whenever `rebuildIfDue` finds enough new orders or an
//   old rebuild (decay changes scores even without new orders); ./schedule.server.ts calls
//   it after orders/create and on a timer.
import prisma from "../db.server";
import type { AdminApi } from "../shopify.server";
import { adminGraphql } from "../admin-api.server";
import { computeLists, storeLists } from "./lists.server";
import { publishIfTogether } from "../offers/publisher.server";
import {
  LISTS_FORMAT,
  METAFIELD_KEY,
  PICKS_PER_PRODUCT,
  PRODUCTS_METAFIELD_KEY,
  metafieldValue,
  productsValue,
  sameList,
  type StoredLists,
} from "./published-lists";

export { LISTS_FORMAT, METAFIELD_KEY, PICKS_PER_PRODUCT, PRODUCTS_METAFIELD_KEY, SCORE_TOLERANCE, metafieldValue, productsValue, sameList } from "./published-lists";

type Db = typeof prisma;

/** Products per metafieldsSet call: two metafields each, 25 metafields at most. */
const PRODUCTS_PER_BATCH = 12;
const MAX_JSON_BYTES = 128 * 1024;
const MAX_LIST_ITEMS = 128;
/** Shopify's `nodes(ids:)` takes at most 250 ids. */
const NODES_PER_QUERY = 250;

const EXISTING = `#graphql
  query CartliftListedProducts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id }
    }
  }`;

const SET = `#graphql
  mutation CartliftPublishLists($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code elementIndex }
    }
  }`;

const DELETE = `#graphql
  mutation CartliftUnpublishLists($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields { key }
      userErrors { field message }
    }
  }`;

/** Which of these product GIDs exist in the shop (looked up 250 at a time: ~1 point per id, a
 *  few seconds of a standard shop's query budget for 5,000 products, once per rebuild). */
export async function existingProducts(admin: AdminApi, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += NODES_PER_QUERY) {
    const data = await adminGraphql<{ nodes: ({ id?: string } | null)[] }>(admin, EXISTING, { variables: { ids: ids.slice(i, i + NODES_PER_QUERY) } });
    for (const node of data.nodes) if (node?.id) found.add(node.id);
  }
  return found;
}

export interface PublishResult {
  written: number;
  deleted: number;
  unchanged: number;
  /** What is now published: the new list where written, the previous one where unchanged. */
  published: StoredLists;
}

/** Writes the products whose lists differ from `previous`; deletes lists that are gone. */
export async function publishLists(
  admin: AdminApi,
  lists: StoredLists,
  previous: StoredLists,
  builtAt: Date,
  { rewriteAll = false }: { rewriteAll?: boolean } = {},
): Promise<PublishResult> {
  // Only products that exist can own a list or be referenced by one (a product deleted since
  // the orders were placed is dropped from every list; its own metafields went with it, and
  // deleting them would be refused: the owner is gone).
  const named = new Set(Object.keys(previous));
  for (const [id, picks] of Object.entries(lists)) {
    named.add(id);
    for (const p of picks.slice(0, PICKS_PER_PRODUCT)) named.add(p.productId);
  }
  const exists = named.size ? await existingProducts(admin, [...named]) : new Set<string>();
  const next: StoredLists = {};
  for (const [id, picks] of Object.entries(lists)) {
    const kept = exists.has(id) ? picks.filter((p) => exists.has(p.productId)) : [];
    if (kept.length) next[id] = kept;
  }
  const changed = Object.keys(next).filter((id) => rewriteAll || !sameList(next[id], previous[id]));
  const gone = Object.keys(previous).filter((id) => !next[id] && exists.has(id));
  for (let i = 0; i < changed.length; i += PRODUCTS_PER_BATCH) {
    const metafields = changed.slice(i, i + PRODUCTS_PER_BATCH).flatMap((ownerId) => {
      const picks = next[ownerId]!;
      const json = metafieldValue(picks, builtAt);
      if (Buffer.byteLength(json) > MAX_JSON_BYTES || Math.min(picks.length, PICKS_PER_PRODUCT) > MAX_LIST_ITEMS) {
        throw new Error(`The list of ${ownerId} is over the metafield size limit`);
      }
      return [
        { ownerId, namespace: "$app", key: PRODUCTS_METAFIELD_KEY, type: "list.product_reference", value: productsValue(picks) },
        { ownerId, namespace: "$app", key: METAFIELD_KEY, type: "json", value: json },
      ];
    });
    const data = await adminGraphql<{ metafieldsSet: { userErrors: { message: string }[] } }>(admin, SET, { variables: { metafields } });
    if (data.metafieldsSet.userErrors.length) throw new Error(data.metafieldsSet.userErrors.map((e) => e.message).join("; "));
  }
  for (let i = 0; i < gone.length; i += PRODUCTS_PER_BATCH) {
    const metafields = gone
      .slice(i, i + PRODUCTS_PER_BATCH)
      .flatMap((ownerId) => [PRODUCTS_METAFIELD_KEY, METAFIELD_KEY].map((key) => ({ ownerId, namespace: "$app", key })));
    const data = await adminGraphql<{ metafieldsDelete: { userErrors: { message: string }[] } }>(admin, DELETE, { variables: { metafields } });
    if (data.metafieldsDelete.userErrors.length) throw new Error(data.metafieldsDelete.userErrors.map((e) => e.message).join("; "));
  }
  const published: StoredLists = {};
  for (const id of Object.keys(next)) published[id] = changed.includes(id) ? next[id]! : (previous[id] ?? next[id]!);
  return { written: changed.length, deleted: Object.keys(previous).filter((id) => !next[id]).length, unchanged: Object.keys(next).length - changed.length, published };
}

export interface RebuildAndPublishResult extends PublishResult {
  rebuildMs: number;
  products: number;
}

/** Rebuilds the lists from the stored orders and publishes what changed. */
export async function rebuildAndPublish(shop: string, admin: AdminApi, now = Date.now(), db: Db = prisma): Promise<RebuildAndPublishResult> {
  const row = await db.recommenderState.findUnique({ where: { shop }, select: { lists: true, publishedFormat: true } });
  const previous = (row?.lists ?? {}) as StoredLists;
  const { table, lists, ms } = await computeLists(shop, now, db);
  // Lists published in an older format are all rewritten once.
  const rewriteAll = Object.keys(previous).length > 0 && row?.publishedFormat !== LISTS_FORMAT;
  const result = await publishLists(admin, lists, previous, new Date(now), { rewriteAll });
  await storeLists(shop, table, result.published, ms, now, db, LISTS_FORMAT);
  // A completed backfill's only error is "the lists were not rebuilt": they now are.
  await db.recommenderState.updateMany({ where: { shop, backfillStatus: "completed", backfillError: { not: null } }, data: { backfillError: null } });
  // Frequently-bought-together offers name their mined products in the ruleset: republish
  // (also when the lists did not change, if one excludes collections or tags: see there).
  await publishIfTogether(admin, shop, { listsChanged: result.written > 0 || result.deleted > 0 });
  return { ...result, rebuildMs: ms, products: table.byProduct.size };
}

export interface DuePolicy {
  /** New orders since the last rebuild that make a rebuild due. Default 25. */
  minNewOrders: number;
  /** Age of the last rebuild that makes one due anyway (decay moves scores). Default 24 h. */
  maxAgeMs: number;
}

export const DEFAULT_DUE_POLICY: DuePolicy = { minNewOrders: 25, maxAgeMs: 24 * 3_600_000 };

/** Whether the shop's lists are due: enough new orders, or an old rebuild. */
export async function rebuildDue(shop: string, now = Date.now(), policy: DuePolicy = DEFAULT_DUE_POLICY, db: Db = prisma) {
  const row = await db.recommenderState.findUnique({ where: { shop }, select: { lastRebuiltAt: true, backfillStatus: true } });
  if (!row?.lastRebuiltAt) return { due: false, newOrders: 0 };
  const newOrders = await db.order.count({ where: { shop, received: true, createdAt: { gt: row.lastRebuiltAt } } });
  const old = now - row.lastRebuiltAt.getTime() >= policy.maxAgeMs;
  return { due: newOrders >= policy.minNewOrders || old, newOrders };
}

/** Rebuilds and publishes when due (call it after order webhooks and from a schedule). */
export async function rebuildIfDue(shop: string, admin: AdminApi, now = Date.now(), policy: DuePolicy = DEFAULT_DUE_POLICY, db: Db = prisma) {
  const { due, newOrders } = await rebuildDue(shop, now, policy, db);
  if (!due) return { rebuilt: false as const, newOrders };
  return { rebuilt: true as const, newOrders, ...(await rebuildAndPublish(shop, admin, now, db)) };
}
