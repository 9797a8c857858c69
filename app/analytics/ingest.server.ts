// Orders in: applies one order webhook (orders/create, orders/updated, orders/cancelled,
// refunds/create) to the shop's order rows and daily rollups, once per webhook id.
//
// `ingestOrderWebhook(delivery, payload)` is a function of the delivery and its payload
// only, so the HTTP route and a queue consumer (EventBridge, Pub/Sub) call the same thing.
// Safe in any arrival order: an order's state only moves forward (by the payload's
// updated_at), refunds are kept by their id and merged, a refund that comes before its
// order waits in a placeholder row, and the rollups receive the difference between what
// the order contributed before and after (contributionDelta), so nothing is counted twice.
import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { handleOnce, type DeliveryOutcome } from "../webhooks/deliveries.server";
import {
  contributionDelta,
  contributionOf,
  isNewer,
  parseGroup,
  parseOrder,
  parseRefund,
  refundedByLine,
  refundsInOrder,
  type Contribution,
  type OrderLineState,
  type OrderState,
  type RefundState,
} from "./orders";

export const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/cancelled", "refunds/create"] as const;
export type OrderTopic = (typeof ORDER_TOPICS)[number];

export interface OrderDelivery {
  webhookId: string;
  shop: string;
  topic: string;
}

export type OrderChange =
  | { kind: "order"; order: OrderState; refunds: Record<string, RefundState> }
  | { kind: "refund"; orderId: string; refundId: string; refund: RefundState };

export interface IngestResult {
  orderId: string;
  /** Rollup rows changed. */
  rollupRows: number;
  /** Whether the payload was older than what is stored (its order fields were not applied). */
  stale: boolean;
}

/** Parses a payload of one of the order topics; throws PayloadError with a clear message. */
export function orderChangeOf(topic: string, payload: unknown, timeZone?: string | null): OrderChange {
  if (normalTopic(topic) === "refunds/create") {
    const { refundId, orderId, refund } = parseRefund(payload);
    return { kind: "refund", orderId, refundId, refund };
  }
  const order = parseOrder(payload, timeZone);
  return { kind: "order", order, refunds: refundsInOrder(payload, order.shopCurrency) };
}

/** "REFUNDS_CREATE" (the library's form) or "refunds/create" (the header's) → "refunds/create". */
export function normalTopic(topic: string): string {
  return topic.includes("/") ? topic.toLowerCase() : topic.toLowerCase().replace("_", "/");
}

export async function ingestOrderWebhook(
  delivery: OrderDelivery,
  payload: unknown,
  timeZone?: string | null,
): Promise<DeliveryOutcome<IngestResult>> {
  const change = orderChangeOf(delivery.topic, payload, timeZone);
  return handleOnce(delivery, (tx) => applyOrderChange(tx, delivery.shop, change));
}

type Tx = Prisma.TransactionClient;

function stateOfRow(
  row: { orderId: string; createdAt: Date; processedAt: Date; day: string; sourceUpdatedAt: Date; cancelledAt: Date | null; shopCurrency: string; currency: string; presentmentRate: number; group: string; totalMinor: number },
  lines: OrderLineState[],
): OrderState {
  return {
    orderId: row.orderId,
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt.toISOString(),
    day: row.day,
    sourceUpdatedAt: row.sourceUpdatedAt.toISOString(),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    shopCurrency: row.shopCurrency,
    currency: row.currency,
    presentmentRate: row.presentmentRate,
    group: parseGroup(row.group),
    totalMinor: row.totalMinor,
    lines,
  };
}

/** Applies one change inside the delivery's transaction. */
export async function applyOrderChange(tx: Tx, shop: string, change: OrderChange): Promise<IngestResult> {
  const orderId = change.kind === "order" ? change.order.orderId : change.orderId;
  // One order's deliveries apply one after another (two app instances, or a refund racing
  // its order); different orders never wait for each other here.
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`${shop}/${orderId}`}))::text`;
  const stored = await tx.order.findUnique({ where: { shop_orderId: { shop, orderId } } });
  const storedRefunds = (stored?.refunds ?? {}) as unknown as Record<string, RefundState>;
  const before = (stored?.contribution ?? []) as unknown as Contribution[];

  const refunds = { ...storedRefunds, ...(change.kind === "order" ? change.refunds : { [change.refundId]: change.refund }) };
  const newer = change.kind === "order" && isNewer(change.order, stored?.received ? { sourceUpdatedAt: stored.sourceUpdatedAt.toISOString() } : null);

  let state: OrderState | null;
  if (newer) {
    state = (change as { order: OrderState }).order;
  } else if (stored?.received) {
    const lines = await tx.orderLine.findMany({ where: { shop, orderId } });
    state = stateOfRow(stored, lines.map(({ lineId, productId, variantId, quantity, revenueMinor, offerId }) => ({ lineId, productId, variantId, quantity, revenueMinor, offerId })));
  } else {
    state = null;
  }
  const after = contributionOf(state, refunds);
  const delta = contributionDelta(before, after);
  const refundsChanged = Object.keys(refunds).length !== Object.keys(storedRefunds).length;
  if (!newer && !refundsChanged && stored) return { orderId, rollupRows: 0, stale: change.kind === "order" };

  const contribution = after as unknown as Prisma.InputJsonValue;
  const refundsJson = refunds as unknown as Prisma.InputJsonValue;
  if (state) {
    const row = {
      received: true,
      createdAt: new Date(state.createdAt),
      processedAt: new Date(state.processedAt),
      day: state.day,
      sourceUpdatedAt: new Date(state.sourceUpdatedAt),
      cancelledAt: state.cancelledAt ? new Date(state.cancelledAt) : null,
      shopCurrency: state.shopCurrency,
      currency: state.currency,
      presentmentRate: state.presentmentRate,
      group: state.group,
      totalMinor: state.totalMinor,
      refunds: refundsJson,
      contribution,
    };
    if (stored) await tx.order.update({ where: { shop_orderId: { shop, orderId } }, data: row });
    else await tx.order.create({ data: { shop, orderId, ...row } });
  } else {
    // The refund came first: keep it until its order arrives.
    const at = new Date(change.kind === "refund" ? change.refund.at : 0);
    if (stored) await tx.order.update({ where: { shop_orderId: { shop, orderId } }, data: { refunds: refundsJson } });
    else
      await tx.order.create({
        data: { shop, orderId, received: false, createdAt: at, processedAt: at, day: "", sourceUpdatedAt: new Date(0), shopCurrency: "", currency: "", refunds: refundsJson },
      });
  }

  if (state) await writeLines(tx, shop, state, refunds, Boolean(stored?.received) && !newer, Boolean(stored?.received));
  await applyRollupDelta(tx, shop, delta);
  return { orderId, rollupRows: delta.length, stale: change.kind === "order" && !newer };
}

async function writeLines(tx: Tx, shop: string, state: OrderState, refunds: Record<string, RefundState>, refundsOnly: boolean, hadLines: boolean) {
  const refunded = refundedByLine(state.lines, refunds);
  if (refundsOnly) {
    for (const line of state.lines) {
      const r = refunded.get(line.lineId);
      if (!r) continue;
      await tx.orderLine.update({
        where: { shop_orderId_lineId: { shop, orderId: state.orderId, lineId: line.lineId } },
        data: { refundedQuantity: r.quantity, refundedMinor: r.minor },
      });
    }
    return;
  }
  if (hadLines) await tx.orderLine.deleteMany({ where: { shop, orderId: state.orderId } });
  if (!state.lines.length) return;
  await tx.orderLine.createMany({
    data: state.lines.map((line) => ({
      shop,
      orderId: state.orderId,
      ...line,
      refundedQuantity: refunded.get(line.lineId)?.quantity ?? 0,
      refundedMinor: refunded.get(line.lineId)?.minor ?? 0,
    })),
  });
}

/** Adds a contribution delta to the daily rollups in one statement (rows in key order). */
export async function applyRollupDelta(tx: Tx | typeof prisma, shop: string, delta: Contribution[]) {
  if (!delta.length) return;
  const values = delta.map(
    (d) => Prisma.sql`(${shop}, ${d.day}, ${d.group}, ${d.offerId}, ${d.orders}, ${BigInt(d.revenueMinor)}, ${BigInt(d.refundedMinor)}, ${d.revenueSq}, ${d.quantity})`,
  );
  await tx.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("shop", "day", "group", "offerId", "orders", "revenueMinor", "refundedMinor", "revenueSq", "quantity")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("shop", "day", "group", "offerId") DO UPDATE SET
      "orders" = "AnalyticsDaily"."orders" + EXCLUDED."orders",
      "revenueMinor" = "AnalyticsDaily"."revenueMinor" + EXCLUDED."revenueMinor",
      "refundedMinor" = "AnalyticsDaily"."refundedMinor" + EXCLUDED."refundedMinor",
      "revenueSq" = "AnalyticsDaily"."revenueSq" + EXCLUDED."revenueSq",
      "quantity" = "AnalyticsDaily"."quantity" + EXCLUDED."quantity"`;
}
