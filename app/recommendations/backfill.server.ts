// The 60-day order backfill: one Admin API bulk operation per shop, stepped forward by
// whoever looks (the admin page's loader while it is open, or `runBackfill` in a job), so
// no server process has to stay alive for it and several app servers can share the work.
//
//   idle/completed/failed --start--> running --COMPLETED--> importing --> completed
//                                           \--FAILED/refused-----------> failed
//
// - One backfill per shop at a time: the move to "running" and to "importing" are
//   compare-and-set updates on the shop's row, so two requests never start two bulk
//   operations or import one file twice (and the import itself skips orders already
//   stored, e.g. by the orders/create webhook).
// - 60 days: what Shopify lets an app read without `read_all_orders`.
// - Progress for the admin: orders read (the operation's rootObjectCount), state, and time
//   left estimated from the rate so far against `ordersCount` taken at the start; while
//   importing, orders stored so far against orders read.
// - The import streams the file (BulkOrdersReader: one compact record per order, never the
//   text) and stores it in bounded batches (IMPORT_BATCH orders), each one statement — its
//   own short transaction, so no batch nears the database's timeouts however long the
//   history — inserting the orders and, for the orders that were new, their lines (ON
//   CONFLICT DO NOTHING: a re-run, or an order the orders/create webhook stored, stays one
//   row; ids are numeric on both paths). A failed batch leaves the state "failed" with how
//   far it got; the batches before it stay stored and a new start skips them.
// - When the import is done, the lists are rebuilt and published (./publish.server.ts).
import prisma from "../db.server";
import type { AdminApi } from "../shopify.server";
import { adminGraphql } from "../admin-api.server";
import { minorDigits } from "../engine/money";
import { BULK_STATUS, BulkOrdersReader, jsonlLines, ORDERS_COUNT, RUN_BULK, SHOP_ZONE, backfillOrdersQuery, type BackfillOrder } from "./bulk-orders";
import { rebuildAndPublish } from "./publish.server";
import { errorText } from "../offers/publisher.server";

type Db = typeof prisma;

export const BACKFILL_DAYS = 60;
const DAY_MS = 86_400_000;
/** Orders per import batch (one statement each: ~1,250 rows with their lines). */
export const IMPORT_BATCH = 500;
/** An import that has stored nothing for this long was abandoned (its process ended): it may be started again. */
export const STALE_IMPORT_MS = 10 * 60_000;

export type BackfillStatus = "idle" | "running" | "importing" | "completed" | "failed";

export interface BackfillProgress {
  status: BackfillStatus;
  ordersRead: number;
  ordersExpected: number;
  ordersImported: number;
  /** Orders the import has gone through so far (new or already stored). */
  ordersStored: number;
  /** Estimated milliseconds left while running or importing, else null. */
  msLeft: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  lastRebuiltAt: string | null;
  rebuildMs: number | null;
  productsWithLists: number;
  ordersUsed: number;
  /** The import has finished and its lists are being rebuilt (the page keeps looking until
   *  they are; false after STALE_IMPORT_MS, so a process that ended never keeps it waiting). */
  listsPending: boolean;
}

export function progressOf(row: Awaited<ReturnType<Db["recommenderState"]["findUnique"]>>, now: number): BackfillProgress {
  const status = (row?.backfillStatus ?? "idle") as BackfillStatus;
  let msLeft: number | null = null;
  if (row && status === "running" && row.backfillStartedAt) {
    const elapsed = now - row.backfillStartedAt.getTime();
    const left = Math.max(0, row.ordersExpected - row.ordersRead);
    msLeft = row.ordersRead > 0 ? Math.round((elapsed / row.ordersRead) * left) : null;
  }
  if (row && status === "importing" && row.importStartedAt) {
    const elapsed = now - row.importStartedAt.getTime();
    const left = Math.max(0, row.ordersRead - row.ordersStored);
    msLeft = row.ordersStored > 0 ? Math.round((elapsed / row.ordersStored) * left) : null;
  }
  return {
    status,
    ordersRead: row?.ordersRead ?? 0,
    ordersExpected: row?.ordersExpected ?? 0,
    ordersImported: row?.ordersImported ?? 0,
    ordersStored: row?.ordersStored ?? 0,
    msLeft,
    startedAt: row?.backfillStartedAt?.toISOString() ?? null,
    finishedAt: row?.backfillFinishedAt?.toISOString() ?? null,
    error: row?.backfillError ?? null,
    lastRebuiltAt: row?.lastRebuiltAt?.toISOString() ?? null,
    rebuildMs: row?.rebuildMs ?? null,
    productsWithLists: row?.productsWithLists ?? 0,
    ordersUsed: row?.ordersUsed ?? 0,
    listsPending:
      status === "completed" &&
      !row?.backfillError &&
      !!row?.backfillFinishedAt &&
      now - row.backfillFinishedAt.getTime() < STALE_IMPORT_MS &&
      (!row.lastRebuiltAt || row.lastRebuiltAt < row.backfillFinishedAt),
  };
}

export async function getBackfillProgress(shop: string, now = Date.now(), db: Db = prisma): Promise<BackfillProgress> {
  return progressOf(await db.recommenderState.findUnique({ where: { shop } }), now);
}

function userMessage(code: string | null | undefined, message: string): string {
  if (code === "LIMIT_REACHED" || code === "OPERATION_IN_PROGRESS") {
    return "Shopify is already running bulk exports for Cartlift in this shop. Try again in a few minutes.";
  }
  return `Shopify refused the order export: ${message}`;
}

/**
 * Starts the backfill unless one is already running for the shop. Returns the progress
 * either way; a refusal by Shopify becomes the "failed" state with a message.
 */
export async function startBackfill(shop: string, admin: AdminApi, now = Date.now(), db: Db = prisma): Promise<BackfillProgress> {
  await db.recommenderState.upsert({ where: { shop }, create: { shop }, update: {} });
  const since = new Date(now - BACKFILL_DAYS * DAY_MS);
  const claimed = await db.recommenderState.updateMany({
    where: {
      shop,
      OR: [
        { backfillStatus: { notIn: ["running", "importing"] } },
        // An import whose process ended mid-way stores nothing more: it may start again.
        { backfillStatus: "importing", updatedAt: { lt: new Date(now - STALE_IMPORT_MS) } },
      ],
    },
    data: {
      backfillStatus: "running",
      bulkOperationId: null,
      backfillSince: since,
      backfillStartedAt: new Date(now),
      backfillFinishedAt: null,
      backfillError: null,
      ordersRead: 0,
      ordersExpected: 0,
      ordersImported: 0,
      ordersStored: 0,
      importStartedAt: null,
    },
  });
  if (claimed.count === 0) return getBackfillProgress(shop, now, db);

  const sinceIso = since.toISOString().replace(/\.\d{3}Z$/, "Z");
  try {
    const counted = await adminGraphql<{ ordersCount: { count: number } | null }>(admin, ORDERS_COUNT, {
      variables: { query: `created_at:>='${sinceIso}'` },
    });
    await db.recommenderState.update({ where: { shop }, data: { ordersExpected: counted.ordersCount?.count ?? 0 } });
    const started = await adminGraphql<{
      bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code: string | null }[] } | null;
    }>(admin, RUN_BULK, { variables: { query: backfillOrdersQuery(sinceIso) } });
    const payload = started.bulkOperationRunQuery;
    const op = payload?.bulkOperation;
    if (!op) {
      const error = payload?.userErrors[0];
      return fail(shop, userMessage(error?.code, error?.message ?? "no bulk operation"), now, db);
    }
    await db.recommenderState.update({ where: { shop }, data: { bulkOperationId: op.id } });
  } catch (error) {
    return fail(shop, `Could not start the order export: ${(error as Error).message}`, now, db);
  }
  return getBackfillProgress(shop, now, db);
}

async function fail(shop: string, message: string, now: number, db: Db): Promise<BackfillProgress> {
  await db.recommenderState.update({
    where: { shop },
    data: { backfillStatus: "failed", backfillError: message, backfillFinishedAt: new Date(now) },
  });
  return getBackfillProgress(shop, now, db);
}

/**
 * Moves a running backfill one step: reads the bulk operation's progress; when it has
 * completed, imports its file and rebuilds the lists. Safe to call from many places.
 */
export async function advanceBackfill(
  shop: string,
  admin: AdminApi,
  options: {
    now?: () => number;
    fetchFile?: typeof fetch;
    db?: Db;
    /** Start the import and return without waiting for it (the admin page's look). */
    background?: boolean;
  } & ImportOptions = {},
): Promise<BackfillProgress> {
  const now = options.now ?? Date.now;
  const db = options.db ?? prisma;
  const row = await db.recommenderState.findUnique({ where: { shop } });
  if (!row || row.backfillStatus !== "running" || !row.bulkOperationId) return progressOf(row, now());

  let op: { status: string; errorCode: string | null; rootObjectCount: string | number; url: string | null } | null;
  try {
    const data = await adminGraphql<{ node: typeof op }>(admin, BULK_STATUS, { variables: { id: row.bulkOperationId } });
    op = data.node;
  } catch {
    return progressOf(row, now()); // a hiccup reading the status: try again on the next step
  }
  if (!op) return fail(shop, "Shopify no longer knows the order export; start it again.", now(), db);
  const read = Number(op.rootObjectCount) || 0;
  if (op.status === "CREATED" || op.status === "RUNNING") {
    await db.recommenderState.update({ where: { shop }, data: { ordersRead: read } });
    return getBackfillProgress(shop, now(), db);
  }
  if (op.status !== "COMPLETED") {
    return fail(shop, `Shopify's order export ended ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ""}; start it again.`, now(), db);
  }

  // COMPLETED: claim the import so it happens once.
  const claimed = await db.recommenderState.updateMany({
    where: { shop, backfillStatus: "running", bulkOperationId: row.bulkOperationId },
    data: { backfillStatus: "importing", ordersRead: read, ordersStored: 0, ordersImported: 0, importStartedAt: new Date(now()) },
  });
  if (claimed.count === 0) return getBackfillProgress(shop, now(), db);
  const work = importClaimed(shop, admin, row.bulkOperationId, op.url, now, db, options);
  if (!options.background) return work;
  // The page's look returns at once; later looks read the progress the batches write.
  void work.catch(() => undefined);
  return getBackfillProgress(shop, now(), db);
}

/** Imports a completed export's file once the import is claimed, then rebuilds the lists. */
async function importClaimed(
  shop: string,
  admin: AdminApi,
  bulkOperationId: string,
  url: string | null,
  now: () => number,
  db: Db,
  options: { fetchFile?: typeof fetch } & ImportOptions,
): Promise<BackfillProgress> {
  const seen = { read: 0, stored: 0 };
  try {
    let imported = 0;
    if (url) {
      const response = await (options.fetchFile ?? fetch)(url);
      if (!response.ok || !response.body) throw new Error(`the export file answered HTTP ${response.status}`);
      imported = await importBulkFile(shop, response.body, () => shopTimezone(admin), db, {
        batchSize: options.batchSize,
        progress: seen,
        afterBatch: async (batch) => {
          // Progress for the admin (and the proof of life that keeps the import from looking abandoned).
          await db.recommenderState.update({ where: { shop }, data: { ordersStored: batch.stored, ordersImported: batch.created } });
          await options.afterBatch?.(batch);
        },
      });
    }
    const done = await db.recommenderState.updateMany({
      where: { shop, backfillStatus: "importing", bulkOperationId },
      data: { backfillStatus: "completed", ordersImported: imported, ordersStored: seen.read, backfillFinishedAt: new Date(now()) },
    });
    if (done.count === 0) return getBackfillProgress(shop, now(), db); // taken over as abandoned: that run finishes it
    try {
      await rebuildAndPublish(shop, admin, now(), db);
    } catch (error) {
      // The orders are stored (the backfill is done); only the lists are missing: say so,
      // instead of an "Up to date" beside "No lists yet".
      await db.recommenderState.updateMany({
        where: { shop, backfillStatus: "completed", bulkOperationId },
        data: { backfillError: `The orders are stored, but the lists were not rebuilt: ${errorText(error).replace(/[:.\s]+$/, "")}. Use "Rebuild now" to try again.` },
      });
    }
  } catch (error) {
    const where = seen.read > 0 ? ` after ${seen.stored.toLocaleString("en-US")} of ${seen.read.toLocaleString("en-US")} orders` : "";
    // Only this import's state: a run that took an abandoned import over keeps its own.
    await db.recommenderState.updateMany({
      where: { shop, backfillStatus: "importing", bulkOperationId },
      data: {
        backfillStatus: "failed",
        backfillError: `Importing the orders failed${where}: ${(error as Error).message}. The orders stored so far are kept; start the backfill again to finish (nothing is stored twice).`,
        backfillFinishedAt: new Date(now()),
      },
    });
  }
  return getBackfillProgress(shop, now(), db);
}

/**
 * Streams a bulk operation's JSONL of orders into the order tables in batches (storeOrders).
 * `progress` tells a caller how far it got, also when it throws. Returns the new orders.
 */
export async function importBulkFile(
  shop: string,
  body: ReadableStream<Uint8Array>,
  timezone: string | (() => Promise<string>),
  db: Db = prisma,
  options: ImportOptions & { progress?: { read: number; stored: number } } = {},
): Promise<number> {
  const progress = options.progress ?? { read: 0, stored: 0 };
  const reader = new BulkOrdersReader(minorDigits);
  for await (const line of jsonlLines(body)) reader.add(line);
  const { orders } = reader.finish();
  progress.read = orders.length;
  const zone = typeof timezone === "string" ? timezone : await timezone();
  return storeOrders(shop, orders, zone, db, {
    batchSize: options.batchSize,
    afterBatch: async (batch) => {
      progress.stored = batch.stored;
      await options.afterBatch?.(batch);
    },
  });
}



async function shopTimezone(admin: AdminApi): Promise<string> {
  try {
    const data = await adminGraphql<{ shop: { ianaTimezone: string } }>(admin, SHOP_ZONE);
    return data.shop.ianaTimezone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayIn(timezone: string, at: Date): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

export interface ImportBatch {
  /** Orders gone through so far (new or already stored). */
  stored: number;
  /** Orders that were new so far. */
  created: number;
  /** Orders in this batch. */
  size: number;
}

export interface ImportOptions {
  /** Orders per batch (default IMPORT_BATCH). */
  batchSize?: number;
  /** Called after each batch is stored (progress; a throw stops the import there). */
  afterBatch?: (batch: ImportBatch) => Promise<void> | void;
}

/**
 * Writes backfilled orders into the analytics order tables (Order, OrderLine), in batches
 * of `batchSize` orders. Each batch is ONE statement, so its own short transaction: the
 * orders are inserted ON CONFLICT DO NOTHING and only the orders that were new get their
 * lines, so an order already there (from the orders/create webhook or an earlier backfill)
 * is left as it is — a webhook's copy is at least as fresh — and a re-run adds nothing.
 * The rows travel as one JSON parameter per table: Prisma's createMany sends one bind
 * parameter per cell, which PGlite parses slowly (~3 s per 500 orders against ~0.1 s).
 *
 * The tables' statistics are refreshed as they grow (after the first batch, then each
 * time the import has doubled): the embedded database (PGlite) has no autovacuum, and with
 * the statistics of an empty table each line's foreign-key check scanned the whole order
 * table, so every batch took longer than the one before (10,000 orders: 79 s; 100,000 ran
 * past the timeouts). On a server, ANALYZE is what autovacuum would do anyway.
 * Returns how many orders were new.
 */
export async function storeOrders(shop: string, orders: BackfillOrder[], timezone: string, db: Db = prisma, options: ImportOptions = {}): Promise<number> {
  const size = Math.max(1, Math.floor(options.batchSize ?? IMPORT_BATCH));
  let created = 0;
  let stored = 0;
  let analyzedAt = 0;
  for (let i = 0; i < orders.length; i += size) {
    const batch = orders.slice(i, i + size);
    const orderRows = batch.map((o) => ({
      shop,
      orderId: o.orderId,
      createdAt: o.createdAt.toISOString(),
      processedAt: o.processedAt.toISOString(),
      day: dayIn(timezone, o.processedAt),
      sourceUpdatedAt: o.updatedAt.toISOString(),
      cancelledAt: o.cancelledAt?.toISOString() ?? null,
      shopCurrency: o.shopCurrency,
      currency: o.currency,
      group: o.group,
      totalMinor: o.lines.reduce((n, l) => n + l.revenueMinor, 0),
      refunds: o.fullyRefunded
        ? { backfill: { lines: Object.fromEntries(o.lines.map((l) => [l.lineId, [l.quantity, l.revenueMinor]])), at: o.updatedAt.toISOString() } }
        : {},
    }));
    const lineRows = batch.flatMap((o) =>
      o.lines.map((l) => ({
        shop,
        orderId: o.orderId,
        lineId: l.lineId,
        productId: l.productId,
        variantId: l.variantId,
        quantity: l.quantity,
        revenueMinor: l.revenueMinor,
        refundedQuantity: Math.min(l.quantity, l.refundedQuantity),
        refundedMinor: l.refundedQuantity >= l.quantity ? l.revenueMinor : 0,
        offerId: l.offerId,
      })),
    );
    const [result] = await db.$queryRaw<{ orders: number }[]>`
      WITH fresh AS (
        INSERT INTO "Order" ("shop", "orderId", "createdAt", "processedAt", "day", "sourceUpdatedAt", "cancelledAt",
                             "shopCurrency", "currency", "group", "totalMinor", "refunds")
        SELECT "shop", "orderId", "createdAt", "processedAt", "day", "sourceUpdatedAt", "cancelledAt",
               "shopCurrency", "currency", "group", "totalMinor", "refunds"
        FROM jsonb_to_recordset(${JSON.stringify(orderRows)}::jsonb) AS r(
          "shop" text, "orderId" text, "createdAt" timestamp(3), "processedAt" timestamp(3), "day" text,
          "sourceUpdatedAt" timestamp(3), "cancelledAt" timestamp(3), "shopCurrency" text, "currency" text,
          "group" text, "totalMinor" integer, "refunds" jsonb)
        ON CONFLICT DO NOTHING
        RETURNING "orderId"
      ), lines AS (
        INSERT INTO "OrderLine" ("shop", "orderId", "lineId", "productId", "variantId", "quantity", "revenueMinor",
                                 "refundedQuantity", "refundedMinor", "offerId")
        SELECT "shop", "orderId", "lineId", "productId", "variantId", "quantity", "revenueMinor",
               "refundedQuantity", "refundedMinor", "offerId"
        FROM jsonb_to_recordset(${JSON.stringify(lineRows)}::jsonb) AS r(
          "shop" text, "orderId" text, "lineId" text, "productId" text, "variantId" text, "quantity" integer,
          "revenueMinor" integer, "refundedQuantity" integer, "refundedMinor" integer, "offerId" text)
        WHERE r."orderId" IN (SELECT "orderId" FROM fresh)
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM fresh)::int AS "orders", (SELECT count(*) FROM lines)::int AS "lines"`;
    created += result?.orders ?? 0;
    stored += batch.length;
    if (created > 0 && created >= 2 * analyzedAt) {
      await refreshStatistics(db);
      analyzedAt = Math.max(created, 1);
    }
    await options.afterBatch?.({ stored, created, size: batch.length });
  }
  return created;
}

/** ANALYZE the order tables (a warning, not an error, where the role does not own them). */
async function refreshStatistics(db: Db): Promise<void> {
  try {
    await db.$executeRawUnsafe(`ANALYZE "Order", "OrderLine"`);
  } catch {
    // Statistics are an optimisation; the import is correct without them.
  }
}

/**
 * The bulk_operations/finish webhook: when it names the shop's running backfill, the backfill
 * steps forward at once (the import runs in the background; the webhook is answered without
 * waiting), so the orders are read even when nobody has the Recommendations page open.
 * Any other operation, or a redelivery after the step, changes nothing.
 */
export async function onBulkOperationFinished(
  shop: string,
  payload: Record<string, unknown>,
  adminFor: (shop: string) => Promise<AdminApi>,
  db: Db = prisma,
): Promise<{ stepped: boolean }> {
  const id = payload.admin_graphql_api_id;
  if (typeof id !== "string") return { stepped: false };
  const row = await db.recommenderState.findUnique({ where: { shop }, select: { backfillStatus: true, bulkOperationId: true } });
  if (row?.backfillStatus !== "running" || row.bulkOperationId !== id) return { stepped: false };
  await advanceBackfill(shop, await adminFor(shop), { db, background: true });
  return { stepped: true };
}

/** Starts (if needed) and steps the backfill until it ends: for jobs, scripts and tests. */
export async function runBackfill(
  shop: string,
  admin: AdminApi,
  options: { pollMs?: number; timeoutMs?: number; now?: () => number; db?: Db; fetchFile?: typeof fetch } & ImportOptions = {},
): Promise<BackfillProgress> {
  const now = options.now ?? Date.now;
  const db = options.db ?? prisma;
  let progress = await startBackfill(shop, admin, now(), db);
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  while (progress.status === "running" || progress.status === "importing") {
    if (Date.now() > deadline) throw new Error(`The backfill of ${shop} did not finish in time`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
    progress = await advanceBackfill(shop, admin, { now, db, fetchFile: options.fetchFile, batchSize: options.batchSize, afterBatch: options.afterBatch });
  }
  return progress;
}
