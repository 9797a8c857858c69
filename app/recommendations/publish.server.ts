// Publishing the frequently-bought-together lists where the surfaces read them without
// calling Cartlift's server: one `$app` product metafield per product
// (`$app.frequently_bought_together`, type json), holding the picks as product GIDs with
// their score and co-purchase counts:
//   {"v":1,"windowDays":60,"recentDays":30,"builtAt":"…","picks":[{"product":"gid://shopify/Product/1003","score":0.52,"orders":61,"recent":40}]}
// Liquid reads it as `product.metafields['app--<id>'].frequently_bought_together.value`;
// the checkout extension through its app metafields.
//
// - Within limits: at most PICKS_PER_PRODUCT picks, so a value stays far below the 128 KB
//   json limit (a full list is ~1 KB; checked before writing); `metafieldsSet` takes at
//   most 25 metafields per call, so writes go in batches of 25.
// - Incremental: only products whose list changed since the last publish are written, and
//   products that lost their list have the metafield deleted. The publish state is the
//   `lists` column of RecommenderState; it is updated only after Shopify accepted.
// - When: after the backfill, and whenever `rebuildIfDue` finds enough new orders or an
//   old rebuild (decay changes scores even without new orders).
import prisma from "../db.server";
import type { AdminApi } from "../shopify.server";
import { adminGraphql } from "../admin-api.server";
import { computeLists, storeLists, type StoredLists } from "./lists.server";

type Db = typeof prisma;

export const METAFIELD_KEY = "frequently_bought_together";
export const PICKS_PER_PRODUCT = 10;
const BATCH = 25;
const MAX_VALUE_BYTES = 128 * 1024;

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

export function metafieldValue(picks: StoredLists[string], builtAt: Date, windowDays = 60, recentDays = 30): string {
  return JSON.stringify({
    v: 1,
    windowDays,
    recentDays,
    builtAt: builtAt.toISOString(),
    picks: picks.slice(0, PICKS_PER_PRODUCT).map((p) => ({ product: p.productId, score: p.score, orders: p.orders, recent: p.recentOrders })),
  });
}

/** Scores drift a little with every rebuild (decay); a list is rewritten only when its
 *  picks, their order or their counts change, or a score moved by SCORE_TOLERANCE. */
export const SCORE_TOLERANCE = 0.01;

export function sameList(a: StoredLists[string] | undefined, b: StoredLists[string] | undefined): boolean {
  const x = (a ?? []).slice(0, PICKS_PER_PRODUCT);
  const y = (b ?? []).slice(0, PICKS_PER_PRODUCT);
  return (
    x.length == y.length &&
    x.every((p, i) => {
      const q = y[i]!;
      return p.productId == q.productId && p.orders == q.orders && p.recentOrders == q.recentOrders && Math.abs(p.score - q.score) < SCORE_TOLERANCE;
    })
  );
}

export interface PublishResult {
  written: number;
  deleted: number;
  unchanged: number;
  /** What is now published: the new list where written, the previous one where unchanged. */
  published: StoredLists;
}

/** Writes the products whose lists differ from `previous`; deletes lists that are gone. */
export async function publishLists(admin: AdminApi, lists: StoredLists, previous: StoredLists, builtAt: Date): Promise<PublishResult> {
  const changed = Object.keys(lists).filter((id) => !sameList(lists[id], previous[id]));
  const gone = Object.keys(previous).filter((id) => !lists[id]);
  for (let i = 0; i < changed.length; i += BATCH) {
    const metafields = changed.slice(i, i + BATCH).map((ownerId) => {
      const value = metafieldValue(lists[ownerId]!, builtAt);
      if (Buffer.byteLength(value) > MAX_VALUE_BYTES) throw new Error(`The list of ${ownerId} is over the metafield size limit`);
      return { ownerId, namespace: "$app", key: METAFIELD_KEY, type: "json", value };
    });
    const data = await adminGraphql<{ metafieldsSet: { userErrors: { message: string }[] } }>(admin, SET, { variables: { metafields } });
    if (data.metafieldsSet.userErrors.length) throw new Error(data.metafieldsSet.userErrors.map((e) => e.message).join("; "));
  }
  for (let i = 0; i < gone.length; i += BATCH) {
    const metafields = gone.slice(i, i + BATCH).map((ownerId) => ({ ownerId, namespace: "$app", key: METAFIELD_KEY }));
    const data = await adminGraphql<{ metafieldsDelete: { userErrors: { message: string }[] } }>(admin, DELETE, { variables: { metafields } });
    if (data.metafieldsDelete.userErrors.length) throw new Error(data.metafieldsDelete.userErrors.map((e) => e.message).join("; "));
  }
  const now: StoredLists = {};
  for (const id of Object.keys(lists)) now[id] = changed.includes(id) ? lists[id]! : previous[id]!;
  return { written: changed.length, deleted: gone.length, unchanged: Object.keys(lists).length - changed.length, published: now };
}

export interface RebuildAndPublishResult extends PublishResult {
  rebuildMs: number;
  products: number;
}

/** Rebuilds the lists from the stored orders and publishes what changed. */
export async function rebuildAndPublish(shop: string, admin: AdminApi, now = Date.now(), db: Db = prisma): Promise<RebuildAndPublishResult> {
  const row = await db.recommenderState.findUnique({ where: { shop }, select: { lists: true } });
  const previous = (row?.lists ?? {}) as StoredLists;
  const { table, lists, ms } = await computeLists(shop, now, db);
  const result = await publishLists(admin, lists, previous, new Date(now));
  await storeLists(shop, table, result.published, ms, now, db);
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
