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
//   left estimated from the rate so far against `ordersCount` taken at the start.
// - When the import is done, the lists are rebuilt and published (./publish.server.ts).
import prisma from "../db.server";
import type { AdminApi } from "../shopify.server";
import { adminGraphql } from "../admin-api.server";
import { minorDigits } from "../engine/money";
import { BULK_STATUS, ORDERS_COUNT, RUN_BULK, SHOP_ZONE, backfillOrdersQuery, parseBulkOrders, type BackfillOrder } from "./bulk-orders";
import { rebuildAndPublish } from "./publish.server";

type Db = typeof prisma;

export const BACKFILL_DAYS = 60;
const DAY_MS = 86_400_000;

export type BackfillStatus = "idle" | "running" | "importing" | "completed" | "failed";

export interface BackfillProgress {
  status: BackfillStatus;
  ordersRead: number;
  ordersExpected: number;
  ordersImported: number;
  /** Estimated milliseconds left while running, else null. */
  msLeft: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  lastRebuiltAt: string | null;
  rebuildMs: number | null;
  productsWithLists: number;
  ordersUsed: number;
}

export function progressOf(row: Awaited<ReturnType<Db["recommenderState"]["findUnique"]>>, now: number): BackfillProgress {
  const status = (row?.backfillStatus ?? "idle") as BackfillStatus;
  let msLeft: number | null = null;
  if (row && status === "running" && row.backfillStartedAt) {
    const elapsed = now - row.backfillStartedAt.getTime();
    const left = Math.max(0, row.ordersExpected - row.ordersRead);
    msLeft = row.ordersRead > 0 ? Math.round((elapsed / row.ordersRead) * left) : null;
  }
  return {
    status,
    ordersRead: row?.ordersRead ?? 0,
    ordersExpected: row?.ordersExpected ?? 0,
    ordersImported: row?.ordersImported ?? 0,
    msLeft,
    startedAt: row?.backfillStartedAt?.toISOString() ?? null,
    finishedAt: row?.backfillFinishedAt?.toISOString() ?? null,
    error: row?.backfillError ?? null,
    lastRebuiltAt: row?.lastRebuiltAt?.toISOString() ?? null,
    rebuildMs: row?.rebuildMs ?? null,
    productsWithLists: row?.productsWithLists ?? 0,
    ordersUsed: row?.ordersUsed ?? 0,
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
    where: { shop, backfillStatus: { notIn: ["running", "importing"] } },
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
  options: { now?: () => number; fetchFile?: typeof fetch; db?: Db } = {},
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
    data: { backfillStatus: "importing", ordersRead: read },
  });
  if (claimed.count === 0) return getBackfillProgress(shop, now(), db);
  try {
    let imported = 0;
    if (op.url) {
      const response = await (options.fetchFile ?? fetch)(op.url);
      if (!response.ok) throw new Error(`the export file answered HTTP ${response.status}`);
      const parsed = parseBulkOrders(await response.text(), minorDigits);
      const timezone = await shopTimezone(admin);
      imported = await storeOrders(shop, parsed.orders, timezone, db);
    }
    await db.recommenderState.update({
      where: { shop },
      data: { backfillStatus: "completed", ordersImported: imported, backfillFinishedAt: new Date(now()) },
    });
    await rebuildAndPublish(shop, admin, now(), db);
  } catch (error) {
    return fail(shop, `Importing the orders failed: ${(error as Error).message}`, now(), db);
  }
  return getBackfillProgress(shop, now(), db);
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

/**
 * Writes backfilled orders into the analytics order tables (Order, OrderLine). Orders
 * already there (from webhooks or an earlier backfill) are left as they are: a webhook's
 * copy is at least as fresh. Returns how many orders were new.
 */
export async function storeOrders(shop: string, orders: BackfillOrder[], timezone: string, db: Db = prisma): Promise<number> {
  let created = 0;
  const BATCH = 500;
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch = orders.slice(i, i + BATCH);
    const existing = new Set(
      (await db.order.findMany({ where: { shop, orderId: { in: batch.map((o) => o.orderId) } }, select: { orderId: true } })).map((o) => o.orderId),
    );
    const fresh = batch.filter((o) => !existing.has(o.orderId));
    if (fresh.length === 0) continue;
    // One statement per table with the rows as a single JSON parameter: Prisma's
    // createMany sends one bind parameter per cell, which PGlite parses slowly
    // (~3 s per 500 orders against ~0.1 s this way).
    const orderRows = fresh.map((o) => ({
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
    const lineRows = fresh.flatMap((o) =>
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
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "Order" ("shop", "orderId", "createdAt", "processedAt", "day", "sourceUpdatedAt", "cancelledAt",
                             "shopCurrency", "currency", "group", "totalMinor", "refunds")
        SELECT "shop", "orderId", "createdAt", "processedAt", "day", "sourceUpdatedAt", "cancelledAt",
               "shopCurrency", "currency", "group", "totalMinor", "refunds"
        FROM jsonb_to_recordset(${JSON.stringify(orderRows)}::jsonb) AS r(
          "shop" text, "orderId" text, "createdAt" timestamp(3), "processedAt" timestamp(3), "day" text,
          "sourceUpdatedAt" timestamp(3), "cancelledAt" timestamp(3), "shopCurrency" text, "currency" text,
          "group" text, "totalMinor" integer, "refunds" jsonb)
        ON CONFLICT DO NOTHING`;
      await tx.$executeRaw`
        INSERT INTO "OrderLine" ("shop", "orderId", "lineId", "productId", "variantId", "quantity", "revenueMinor",
                                 "refundedQuantity", "refundedMinor", "offerId")
        SELECT "shop", "orderId", "lineId", "productId", "variantId", "quantity", "revenueMinor",
               "refundedQuantity", "refundedMinor", "offerId"
        FROM jsonb_to_recordset(${JSON.stringify(lineRows)}::jsonb) AS r(
          "shop" text, "orderId" text, "lineId" text, "productId" text, "variantId" text, "quantity" integer,
          "revenueMinor" integer, "refundedQuantity" integer, "refundedMinor" integer, "offerId" text)
        ON CONFLICT DO NOTHING`;
    });
    created += fresh.length;
  }
  return created;
}

/** Starts (if needed) and steps the backfill until it ends: for jobs, scripts and tests. */
export async function runBackfill(
  shop: string,
  admin: AdminApi,
  options: { pollMs?: number; timeoutMs?: number; now?: () => number; db?: Db } = {},
): Promise<BackfillProgress> {
  const now = options.now ?? Date.now;
  const db = options.db ?? prisma;
  let progress = await startBackfill(shop, admin, now(), db);
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  while (progress.status === "running" || progress.status === "importing") {
    if (Date.now() > deadline) throw new Error(`The backfill of ${shop} did not finish in time`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
    progress = await advanceBackfill(shop, admin, { now, db });
  }
  return progress;
}
