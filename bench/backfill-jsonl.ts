// A seeded order history as the JSONL of Shopify's bulk operation for the backfill's query
// (app/recommendations/bulk-orders.ts backfillOrdersQuery), ungrouped as 2026-10 writes it
// by default (groupObjects: false): each page of 250 orders, then those orders' line items,
// each line item a line of its own with `__parentId`. For bench:recs.
import type { HistoryOrder } from "../localshop/seed/orders";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The file's lines, one page at a time (the text is never built whole). */
export function* historyToBulkJsonl(history: HistoryOrder[], firstOrderId = 1_000_001): Generator<string> {
  let lineId = 50_000_001;
  for (let start = 0; start < history.length; start += 250) {
    const page = history.slice(start, start + 250);
    const children: string[] = [];
    for (let i = 0; i < page.length; i++) {
      const o = page[i]!;
      const id = `gid://shopify/Order/${firstOrderId + start + i}`;
      yield JSON.stringify({
        id,
        createdAt: iso(o.createdAtMs),
        processedAt: iso(o.createdAtMs),
        updatedAt: iso(o.createdAtMs + 60_000),
        cancelledAt: o.cancelled ? iso(o.createdAtMs + 3_600_000) : null,
        displayFinancialStatus: o.fullyRefunded ? "REFUNDED" : "PAID",
        currencyCode: "USD",
        presentmentCurrencyCode: "USD",
        customAttributes: [],
      });
      for (const l of o.lines) {
        const product = Number(l.product.replace(/\D/g, "")) + 7_000_000;
        children.push(
          JSON.stringify({
            id: `gid://shopify/LineItem/${lineId++}`,
            quantity: l.quantity,
            currentQuantity: l.quantity,
            product: { id: `gid://shopify/Product/${product}` },
            variant: { id: `gid://shopify/ProductVariant/${product + 1_000_000}` },
            discountedTotalSet: { shopMoney: { amount: `${(19.5 * l.quantity).toFixed(2)}` } },
            customAttributes: l.fromOffer ? [{ key: "_cartlift_offer", value: "bench" }] : [],
            __parentId: id,
          }),
        );
      }
    }
    yield* children;
  }
}
