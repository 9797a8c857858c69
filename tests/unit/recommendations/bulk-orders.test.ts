// Reading a bulk operation's JSONL of orders (Shopify's format: children on lines of their
// own with __parentId, in any order), and the bulk query against Shopify's own schema.
import { buildClientSchema, parse, validate, type IntrospectionQuery } from "graphql";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { minorDigits } from "../../../app/engine/money";
import { BULK_STATUS, BulkOrdersReader, ORDERS_COUNT, RUN_BULK, SHOP_ZONE, backfillOrdersQuery, decimalToMinor, jsonlLines, parseBulkOrders } from "../../../app/recommendations/bulk-orders";

const order = (n: number, extra: object = {}) =>
  JSON.stringify({ id: `gid://shopify/Order/${n}`, createdAt: "2026-11-20T10:00:00Z", processedAt: "2026-11-20T10:00:00Z", updatedAt: "2026-11-21T10:00:00Z", cancelledAt: null, displayFinancialStatus: "PAID", currencyCode: "USD", presentmentCurrencyCode: "EUR", customAttributes: [], ...extra });
const line = (n: number, parent: number, extra: object = {}) =>
  JSON.stringify({ id: `gid://shopify/LineItem/${n}`, quantity: 2, currentQuantity: 2, product: { id: "gid://shopify/Product/1" }, variant: { id: "gid://shopify/ProductVariant/2" }, discountedTotalSet: { shopMoney: { amount: "19.98" } }, customAttributes: [], __parentId: `gid://shopify/Order/${parent}`, ...extra });

describe("parseBulkOrders", () => {
  it("joins lines to their orders by __parentId wherever they appear", () => {
    const jsonl = [order(1), order(2), line(11, 2), line(10, 1), line(12, 1)].join("\n") + "\n";
    const { orders, skippedLines } = parseBulkOrders(jsonl, minorDigits);
    expect(skippedLines).toBe(0);
    expect(orders.map((o) => [o.orderId, o.lines.map((l) => l.lineId)])).toEqual([
      ["1", ["10", "12"]],
      ["2", ["11"]],
    ]);
    expect(orders[0]).toMatchObject({ shopCurrency: "USD", currency: "EUR", cancelledAt: null, fullyRefunded: false, group: "none" });
    expect(orders[0]!.lines[0]).toMatchObject({ productId: "1", variantId: "2", quantity: 2, revenueMinor: 1998, refundedQuantity: 0, offerId: null });
  });

  it("reads cancellations, refunds, offer lines and the holdout group", () => {
    const jsonl = [
      order(1, { cancelledAt: "2026-11-20T11:00:00Z", customAttributes: [{ key: "_cartlift_group", value: "holdout" }] }),
      order(2, { displayFinancialStatus: "REFUNDED" }),
      order(3),
      line(10, 1, { customAttributes: [{ key: "_cartlift_offer", value: "offer-7" }] }),
      line(11, 2),
      line(12, 3, { currentQuantity: 0 }),
      line(13, 3, { currentQuantity: 1 }),
    ].join("\n");
    const [cancelled, refunded, partly] = parseBulkOrders(jsonl, minorDigits).orders;
    expect(cancelled!.cancelledAt?.toISOString()).toBe("2026-11-20T11:00:00.000Z");
    expect(cancelled!.group).toBe("holdout");
    expect(cancelled!.lines[0]!.offerId).toBe("offer-7");
    expect(refunded!.fullyRefunded).toBe(true);
    expect(refunded!.lines[0]!.refundedQuantity).toBe(2);
    expect(partly!.fullyRefunded).toBe(false);
    expect(partly!.lines.map((l) => l.refundedQuantity)).toEqual([2, 1]);
  });

  it("an order whose every unit went back counts as fully refunded", () => {
    const { orders } = parseBulkOrders([order(1, { displayFinancialStatus: "PARTIALLY_REFUNDED" }), line(10, 1, { currentQuantity: 0 })].join("\n"), minorDigits);
    expect(orders[0]!.fullyRefunded).toBe(true);
  });

  it("a line item read before its order waits for it (the order's refund status still applies)", () => {
    const reader = new BulkOrdersReader(minorDigits);
    for (const text of [line(10, 1), order(2), order(1, { displayFinancialStatus: "REFUNDED" }), line(11, 2), line(12, 3)]) reader.add(text);
    const { orders, skippedLines } = reader.finish();
    expect(skippedLines).toBe(1); // order 3 never came
    expect(orders.map((o) => [o.orderId, o.lines.map((l) => [l.lineId, l.refundedQuantity])])).toEqual([
      ["2", [["11", 0]]],
      ["1", [["10", 2]]],
    ]);
  });

  it("skips a quantity no database integer holds, and a repeated order", () => {
    const { orders, skippedLines } = parseBulkOrders([order(1), order(1), line(10, 1, { quantity: 3_000_000_000 }), line(11, 1)].join("\n"), minorDigits);
    expect(skippedLines).toBe(2);
    expect(orders.map((o) => o.lines.map((l) => l.lineId))).toEqual([["11"]]);
  });

  it("reads a streamed file line by line across chunk boundaries, multi-byte characters split included", async () => {
    const text = [order(1, { customAttributes: [{ key: "_cartlift_group", value: "trätment ✓" }] }), line(10, 1), ""].join("\n");
    const bytes = new TextEncoder().encode(text);
    const chunks = [bytes.slice(0, 7), bytes.slice(7, 140), bytes.slice(140, 141), bytes.slice(141)];
    // Split inside the ✓ (3 bytes in UTF-8) as well.
    const check = text.indexOf("✓");
    const at = new TextEncoder().encode(text.slice(0, check)).length + 1;
    const body = (parts: Uint8Array[]) => new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } });
    for (const parts of [chunks, [bytes.slice(0, at), bytes.slice(at)]]) {
      const lines: string[] = [];
      for await (const l of jsonlLines(body(parts))) lines.push(l);
      expect(lines).toEqual([order(1, { customAttributes: [{ key: "_cartlift_group", value: "trätment ✓" }] }), line(10, 1)]);
    }
  });

  it("skips malformed lines, orphans and foreign objects without losing the rest", () => {
    const jsonl = ["{not json", order(1), JSON.stringify({ id: "gid://shopify/Product/5" }), line(10, 99), line(11, 1, { quantity: "two" }), line(12, 1)].join("\n");
    const { orders, skippedLines } = parseBulkOrders(jsonl, minorDigits);
    expect(skippedLines).toBe(4);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.lines.map((l) => l.lineId)).toEqual(["12"]);
  });

  it.each([
    ["12.50", 2, 1250],
    ["0.005", 2, 1],
    ["1380", 0, 1380],
    ["1.2345", 3, 1235],
    ["-3.10", 2, -310],
  ])("decimalToMinor(%s, %d) = %d", (amount, digits, minor) => {
    expect(decimalToMinor(amount, digits)).toBe(minor);
  });
});

describe("the backfill's bulk query", () => {
  it("and the operations around it are valid against Shopify's Admin API 2026-10 schema (from @shopify/dev-mcp)", () => {
    const raw = JSON.parse(gunzipSync(readFileSync("node_modules/@shopify/dev-mcp/dist/data/admin_2026-10.json.gz")).toString("utf8"));
    const schema = buildClientSchema((raw.data ?? raw) as IntrospectionQuery, { assumeValid: true });
    for (const operation of [backfillOrdersQuery("2026-10-01T00:00:00Z"), RUN_BULK, BULK_STATUS, ORDERS_COUNT, SHOP_ZONE]) {
      expect(validate(schema, parse(operation))).toEqual([]);
    }
  });
});
