// The backfill's bulk query and the reading of its JSONL into order rows. Pure (no I/O):
// the service fetches the file and writes the rows.
//
// Shopify's JSONL (bulk operations) has one object per line; a nested connection's
// objects are lines of their own carrying `__parentId` (their order's id), and without
// `groupObjects` they need not follow their parent, so lines are joined by id after the
// whole file is read. Unknown or malformed lines are counted and skipped, never fatal: one
// bad line must not lose a shop's history.
//
// Ids are stored as the order webhooks store them (app/analytics/orders.ts): the numeric
// tail of the GID ("gid://shopify/Order/5001" → "5001"), so an order read by the backfill
// and delivered by orders/create is one row, and a product is one product to the recommender.
import { OFFER_LINE_PROPERTY } from "../engine/cart";
import { numericId } from "../analytics/orders";

// The backfill's other Admin API operations.
export const RUN_BULK = `#graphql
  mutation CartliftBackfill($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

export const ORDERS_COUNT = `#graphql
  query CartliftBackfillCount($query: String!) {
    ordersCount(query: $query) { count }
  }`;

export const BULK_STATUS = `#graphql
  query CartliftBackfillStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount rootObjectCount url }
    }
  }`;

export const SHOP_ZONE = `#graphql
  query CartliftShopZone { shop { ianaTimezone currencyCode } }`;

/** Only what the recommender and analytics need; nothing about the buyer. */
export function backfillOrdersQuery(sinceIso: string): string {
  // A bulk query: no pagination arguments, Shopify reads every matching order.
  return `{
  orders(query: "created_at:>='${sinceIso}'", sortKey: CREATED_AT) {
    edges {
      node {
        id
        createdAt
        processedAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        currencyCode
        presentmentCurrencyCode
        customAttributes { key value }
        lineItems {
          edges {
            node {
              id
              quantity
              currentQuantity
              product { id }
              variant { id }
              discountedTotalSet { shopMoney { amount } }
              customAttributes { key value }
            }
          }
        }
      }
    }
  }
}`;
}

export interface BackfillOrderLine {
  lineId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  /** Units refunded or removed (quantity − currentQuantity, or all of them for a REFUNDED order). */
  refundedQuantity: number;
  revenueMinor: number;
  offerId: string | null;
}

export interface BackfillOrder {
  orderId: string;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  fullyRefunded: boolean;
  currency: string;
  shopCurrency: string;
  group: string;
  lines: BackfillOrderLine[];
}

export interface ParsedBulkOrders {
  orders: BackfillOrder[];
  skippedLines: number;
}

type Attr = { key?: unknown; value?: unknown };

const attr = (attrs: unknown, key: string): string | null => {
  if (!Array.isArray(attrs)) return null;
  const found = (attrs as Attr[]).find((a) => a && a.key === key);
  return typeof found?.value === "string" && found.value ? found.value : null;
};

/** "12.50" → 1250 for a two-decimal currency, exactly (no float arithmetic). */
export function decimalToMinor(amount: string, digits: number): number {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!m) throw new Error(`Not a decimal amount: ${amount}`);
  const fraction = (m[3] ?? "").padEnd(digits + 1, "0");
  let units = Number(m[2]) * 10 ** digits + (digits ? Number(fraction.slice(0, digits)) : 0);
  if (fraction[digits]! >= "5") units += 1;
  return m[1] ? -units : units;
}

const date = (v: unknown): Date | null => {
  if (typeof v !== "string") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** Reads a bulk operation's JSONL of orders and their line items. */
export function parseBulkOrders(jsonl: string, minorDigits: (currency: string) => number): ParsedBulkOrders {
  const orders = new Map<string, BackfillOrder>();
  const children: Record<string, unknown>[] = [];
  let skippedLines = 0;
  for (const text of jsonl.split("\n")) {
    if (!text.trim()) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      skippedLines++;
      continue;
    }
    if (typeof row.__parentId === "string") {
      children.push(row);
      continue;
    }
    const id = typeof row.id === "string" ? row.id : null;
    const createdAt = date(row.createdAt);
    const orderId = id && id.startsWith("gid://shopify/Order/") ? numericId(id) : null;
    if (!id || !orderId || !createdAt) {
      skippedLines++;
      continue;
    }
    const currency = typeof row.currencyCode === "string" ? row.currencyCode : "USD";
    orders.set(id, {
      orderId,
      createdAt,
      processedAt: date(row.processedAt) ?? createdAt,
      updatedAt: date(row.updatedAt) ?? createdAt,
      cancelledAt: date(row.cancelledAt),
      fullyRefunded: row.displayFinancialStatus === "REFUNDED",
      shopCurrency: currency,
      currency: typeof row.presentmentCurrencyCode === "string" ? row.presentmentCurrencyCode : currency,
      group: attr(row.customAttributes, "_cartlift_group") ?? "none",
      lines: [],
    });
  }
  for (const child of children) {
    const order = orders.get(child.__parentId as string);
    const lineId = numericId(child.id);
    const quantity = typeof child.quantity === "number" ? child.quantity : NaN;
    if (!order || !lineId || !Number.isInteger(quantity) || quantity < 0) {
      skippedLines++;
      continue;
    }
    const current = typeof child.currentQuantity === "number" ? child.currentQuantity : quantity;
    const amount = (child.discountedTotalSet as { shopMoney?: { amount?: unknown } } | null)?.shopMoney?.amount;
    let revenueMinor = 0;
    try {
      revenueMinor = typeof amount === "string" ? decimalToMinor(amount, minorDigits(order.shopCurrency)) : 0;
    } catch {
      revenueMinor = 0;
    }
    order.lines.push({
      lineId,
      productId: numericId((child.product as { id?: string } | null)?.id),
      variantId: numericId((child.variant as { id?: string } | null)?.id),
      quantity,
      refundedQuantity: order.fullyRefunded ? quantity : Math.max(0, quantity - current),
      revenueMinor,
      offerId: attr(child.customAttributes, OFFER_LINE_PROPERTY),
    });
  }
  return {
    orders: [...orders.values()].map((o) => ({
      ...o,
      // A REFUNDED status or every unit gone back: the shopper kept nothing.
      fullyRefunded: o.fullyRefunded || (o.lines.length > 0 && o.lines.every((l) => l.refundedQuantity >= l.quantity)),
    })),
    skippedLines,
  };
}
