// The backfill's bulk query and the reading of its JSONL into order rows. Pure (no I/O):
// the service fetches the file and writes the rows.
//
// Shopify's JSONL (bulk operations) has one object per line; a nested connection's
// objects are lines of their own carrying `__parentId` (their order's id), and without
// `groupObjects` they need not follow their parent, so lines are joined by id after the
// whole file is read (BulkOrdersReader streams the file and keeps one compact record per
// order, not its text). Unknown or malformed lines are counted and skipped, never fatal:
// one bad line must not lose a shop's history.
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

/** Quantities are stored as Postgres integers; anything larger is not a real line. */
const MAX_QUANTITY = 2_147_483_647;

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

/**
 * Reads a bulk operation's JSONL one line at a time, so the file is streamed and never
 * held: what is kept is one compact record per order. Without `groupObjects` an order's
 * line items may come anywhere after it (and a reader must not even rely on that), so an
 * order is complete only at the end of the file; a line item met before its order waits
 * for it, and one whose order never comes is skipped.
 */
export class BulkOrdersReader {
  private readonly orders = new Map<string, BackfillOrder>();
  private readonly early = new Map<string, Record<string, unknown>[]>();
  /** Lines that were not JSON or not an order or line item we can use. */
  skippedLines = 0;

  constructor(private readonly minorDigits: (currency: string) => number) {}

  /** Orders read so far. */
  get orderCount(): number {
    return this.orders.size;
  }

  add(text: string): void {
    if (!text.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.skippedLines++;
      return;
    }
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      this.skippedLines++;
      return;
    }
    if (typeof row.__parentId === "string") {
      const order = this.orders.get(row.__parentId);
      if (order) this.addLine(order, row);
      else {
        const waiting = this.early.get(row.__parentId);
        if (waiting) waiting.push(row);
        else this.early.set(row.__parentId, [row]);
      }
      return;
    }
    const id = typeof row.id === "string" ? row.id : null;
    const createdAt = date(row.createdAt);
    const orderId = id && id.startsWith("gid://shopify/Order/") ? numericId(id) : null;
    if (!id || !orderId || !createdAt || this.orders.has(id)) {
      this.skippedLines++;
      return;
    }
    const currency = typeof row.currencyCode === "string" ? row.currencyCode : "USD";
    const order: BackfillOrder = {
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
    };
    this.orders.set(id, order);
    const waiting = this.early.get(id);
    if (waiting) {
      this.early.delete(id);
      for (const child of waiting) this.addLine(order, child);
    }
  }

  private addLine(order: BackfillOrder, child: Record<string, unknown>): void {
    const lineId = numericId(child.id);
    const quantity = typeof child.quantity === "number" ? child.quantity : NaN;
    if (!lineId || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
      this.skippedLines++;
      return;
    }
    const current = typeof child.currentQuantity === "number" ? child.currentQuantity : quantity;
    const amount = (child.discountedTotalSet as { shopMoney?: { amount?: unknown } } | null)?.shopMoney?.amount;
    let revenueMinor = 0;
    try {
      revenueMinor = typeof amount === "string" ? decimalToMinor(amount, this.minorDigits(order.shopCurrency)) : 0;
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

  /** The orders read, complete (call once the whole file is read). */
  finish(): ParsedBulkOrders {
    for (const waiting of this.early.values()) this.skippedLines += waiting.length;
    this.early.clear();
    return {
      orders: [...this.orders.values()].map((o) => ({
        ...o,
        // A REFUNDED status or every unit gone back: the shopper kept nothing.
        fullyRefunded: o.fullyRefunded || (o.lines.length > 0 && o.lines.every((l) => l.refundedQuantity >= l.quantity)),
      })),
      skippedLines: this.skippedLines,
    };
  }
}

/** The lines of a streamed JSONL body, decoded as UTF-8 across chunk boundaries. */
export async function* jsonlLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf("\n");
    let from = 0;
    while (newline !== -1) {
      yield rest.slice(from, newline);
      from = newline + 1;
      newline = rest.indexOf("\n", from);
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/** Reads a whole bulk operation JSONL of orders and their line items (tests, small files). */
export function parseBulkOrders(jsonl: string, minorDigits: (currency: string) => number): ParsedBulkOrders {
  const reader = new BulkOrdersReader(minorDigits);
  for (const text of jsonl.split("\n")) reader.add(text);
  return reader.finish();
}
