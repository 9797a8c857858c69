// Rebuilding a shop's frequently-bought-together lists from its stored orders (the
// analytics order tables, filled by the backfill and by orders/create), with the time it
// took. The lists are kept on the shop's RecommenderState row (what was last published,
// and the admin's preview); ./publish.server.ts writes them to product metafields.
import { performance } from "node:perf_hooks";
import prisma from "../db.server";
import { buildRecommendations, type RecommendationTable, type RecommenderOrder, type RecommenderOptions } from "./recommender";
import { toStoredLists, type StoredLists } from "./published-lists";

export { toStoredLists, type StoredLists };

type Db = typeof prisma;
const DAY_MS = 86_400_000;

/** A stored product id ("1071", as webhooks and the backfill store it; older rows hold the
 *  GID) as the product GID the published lists name. */
export function productGid(id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/Product/${id}`;
}

/** The shop's orders of the recommender's window, as the recommender reads them (products as GIDs). */
export async function loadRecommenderOrders(shop: string, now: number, windowDays: number, db: Db = prisma): Promise<RecommenderOrder[]> {
  const rows = await db.order.findMany({
    where: { shop, received: true, createdAt: { gte: new Date(now - windowDays * DAY_MS) } },
    select: {
      orderId: true,
      createdAt: true,
      cancelledAt: true,
      lines: { select: { productId: true, quantity: true, refundedQuantity: true, offerId: true } },
    },
  });
  return rows.map((o) => ({
    id: o.orderId,
    createdAtMs: o.createdAt.getTime(),
    cancelled: o.cancelledAt !== null,
    fullyRefunded: o.lines.length > 0 && o.lines.every((l) => l.refundedQuantity >= l.quantity),
    lines: o.lines.map((l) => ({ productId: l.productId === null ? null : productGid(l.productId), quantity: l.quantity - l.refundedQuantity, fromOffer: l.offerId !== null })),
  }));
}

export interface ComputedLists {
  table: RecommendationTable;
  lists: StoredLists;
  ms: number;
}

/** Rebuilds the shop's lists as of `now` from its stored orders (timed), without storing them. */
export async function computeLists(shop: string, now = Date.now(), db: Db = prisma, options: Partial<RecommenderOptions> = {}): Promise<ComputedLists> {
  const t0 = performance.now();
  const orders = await loadRecommenderOrders(shop, now, options.windowDays ?? 60, db);
  const table = buildRecommendations(orders, now, options);
  const lists = toStoredLists(table);
  return { table, lists, ms: Math.round(performance.now() - t0) };
}

/** Records a rebuild: the lists (as published), when, from how many orders, how long it took. */
export async function storeLists(shop: string, table: RecommendationTable, lists: StoredLists, ms: number, now: number, db: Db = prisma, publishedFormat?: number): Promise<void> {
  const data = {
    lastRebuiltAt: new Date(now),
    rebuildMs: ms,
    ordersUsed: table.ordersUsed,
    productsWithLists: Object.keys(lists).length,
    lists,
    ordersSinceRebuild: 0,
    ...(publishedFormat === undefined ? {} : { publishedFormat }),
  };
  await db.recommenderState.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

export async function getStoredLists(shop: string, db: Db = prisma): Promise<StoredLists> {
  const row = await db.recommenderState.findUnique({ where: { shop }, select: { lists: true } });
  return (row?.lists ?? {}) as StoredLists;
}
