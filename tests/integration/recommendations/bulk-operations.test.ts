// The local shop's bulk operations over HTTP, as Shopify documents them: a query runs in
// the background (CREATED → RUNNING → COMPLETED or FAILED), its JSONL puts nested
// connections' objects on lines of their own with __parentId, bad queries are refused
// with INVALID, and a shop runs at most five at a time. Orders older than 60 days are not
// readable without read_all_orders (in queries, counts, nodes and bulk exports).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureBulkOperations } from "../../../localshop/admin-api/bulk";
import { startLocalShop, type RunningLocalShop } from "../../../localshop/server";
import { addOrder, createLocalShop, listOrders } from "../../../localshop/state";

let shop: RunningLocalShop;
const NOW = Date.parse("2026-11-30T15:00:00Z");

beforeAll(async () => {
  shop = await startLocalShop({ state: createLocalShop({ orderHistory: true, now: () => NOW, throttle: { maximumAvailable: 100_000, restoreRate: 10_000 } }) });
});
afterAll(() => shop.stop());

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${shop.url}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_test" },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { data: any; errors?: unknown[] };
}

const RUN = `mutation Run($query: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $group) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const ORDERS = `{
  orders(query: "created_at:>=2026-11-01") {
    edges { node { name createdAt cancelledAt displayFinancialStatus
      lineItems { edges { node { id quantity product { id } customAttributes { key value } } } } } }
  }
}`;

async function run(query: string, group = false) {
  const body = await gql(RUN, { query, group });
  return body.data.bulkOperationRunQuery as { bulkOperation: { id: string; status: string } | null; userErrors: { code: string; message: string }[] };
}

async function waitForFinish(id: string) {
  for (;;) {
    const { data } = await gql(`query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount url fileSize errorCode completedAt } } }`, { id });
    if (["COMPLETED", "FAILED"].includes(data.node.status)) return data.node;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("bulk operations", () => {
  it("reads every matching order and its lines into JSONL with __parentId", async () => {
    const started = await run(ORDERS);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation!.status).toBe("CREATED");
    const done = await waitForFinish(started.bulkOperation!.id);
    expect(done.status).toBe("COMPLETED");

    const expected = listOrders(shop.state).filter((o) => o.createdAt >= "2026-11-01");
    expect(expected.length).toBeGreaterThan(300); // more than one page of 250
    expect(Number(done.rootObjectCount)).toBe(expected.length);
    const lineCount = expected.reduce((n, o) => n + o.lineItems.length, 0);
    expect(Number(done.objectCount)).toBe(expected.length + lineCount);

    const file = await fetch(done.url);
    const text = await file.text();
    expect(Number(done.fileSize)).toBe(Buffer.byteLength(text));
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    const orders = lines.filter((l) => !l.__parentId);
    const children = lines.filter((l) => l.__parentId);
    expect(orders).toHaveLength(expected.length);
    expect(children).toHaveLength(lineCount);
    // Parents carry their id (for __parentId) and no nested connection.
    expect(orders[0]).toHaveProperty("id");
    expect(orders[0]).not.toHaveProperty("lineItems");
    const ids = new Set(orders.map((o) => o.id));
    for (const c of children) expect(ids.has(c.__parentId)).toBe(true);
    const first = expected[0]!;
    const firstLines = children.filter((c) => c.__parentId == first.id);
    expect(firstLines.map((c) => c.product.id)).toEqual(first.lineItems.map((l) => l.productId));
    // Cancelled and refunded orders say so.
    expect(orders.some((o) => o.cancelledAt)).toBe(true);
    expect(orders.some((o) => o.displayFinancialStatus == "REFUNDED")).toBe(true);
  });

  it("with groupObjects puts each order's lines right after it; without, after the page", async () => {
    const grouped = await waitForFinish((await run(ORDERS, true)).bulkOperation!.id);
    const lines = (await (await fetch(grouped.url)).text()).trim().split("\n").map((l) => JSON.parse(l));
    let parent: string | null = null;
    for (const l of lines) {
      if (!l.__parentId) parent = l.id;
      else expect(l.__parentId).toBe(parent);
    }
    const ungrouped = await waitForFinish((await run(ORDERS, false)).bulkOperation!.id);
    const flat = (await (await fetch(ungrouped.url)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(flat[1].__parentId).toBeUndefined();
  });

  it("tells the app its current operation", async () => {
    const started = await run(ORDERS);
    await waitForFinish(started.bulkOperation!.id);
    const { data } = await gql(`{ currentBulkOperation { id status type } }`);
    expect(data.currentBulkOperation).toEqual({ id: started.bulkOperation!.id, status: "COMPLETED", type: "QUERY" });
  });

  it.each([
    ["a query without a connection", `{ shop { name } }`, /at least one connection/],
    ["connections nested three deep", `{ orders { edges { node { lineItems { edges { node { product { variants { edges { node { id } } } } } } } } } } }`, /nesting depth/],
    ["more than five connections", `{ products { edges { node { a: variants { edges { node { id } } } b: variants { edges { node { id } } } c: variants { edges { node { id } } } d: variants { edges { node { id } } } e: variants { edges { node { id } } } } } } }`, /more than 5 connections/],
    ["a field that does not exist", `{ orders { edges { node { nope } } } }`, /Invalid bulk query/],
    ["a mutation", `mutation { metafieldsSet(metafields: []) { userErrors { message } } }`, /single query/],
    ["a syntax error", `{ orders { `, /Invalid bulk query/],
  ])("refuses %s with INVALID", async (_name, query, message) => {
    const r = await run(query);
    expect(r.bulkOperation).toBeNull();
    expect(r.userErrors[0]!.code).toBe("INVALID");
    expect(r.userErrors[0]!.message).toMatch(message);
  });

  it("runs at most five at a time per shop, then LIMIT_REACHED", async () => {
    configureBulkOperations(shop.state, { pageDelayMs: 2_000 });
    try {
      const started = [];
      for (let i = 0; i < 5; i++) started.push(await run(ORDERS));
      expect(started.every((s) => s.userErrors.length == 0)).toBe(true);
      const sixth = await run(ORDERS);
      expect(sixth.bulkOperation).toBeNull();
      expect(sixth.userErrors[0]!.code).toBe("LIMIT_REACHED");
      configureBulkOperations(shop.state, { pageDelayMs: 1 });
      for (const s of started) expect((await waitForFinish(s.bulkOperation!.id)).status).toBe("COMPLETED");
      expect((await run(ORDERS)).userErrors).toEqual([]);
    } finally {
      configureBulkOperations(shop.state, { pageDelayMs: 1 });
    }
  });

  it("reports a failed operation with its error code and no file", async () => {
    configureBulkOperations(shop.state, { failNext: "INTERNAL_SERVER_ERROR" });
    const failed = await waitForFinish((await run(ORDERS)).bulkOperation!.id);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
  });

  it("completes with no file when nothing matches, and 404s unknown files", async () => {
    const done = await waitForFinish((await run(`{ orders(query: "created_at:<2000-01-01") { edges { node { id } } } }`)).bulkOperation!.id);
    expect(done).toMatchObject({ status: "COMPLETED", url: null, rootObjectCount: 0 });
    expect((await fetch(`${shop.url}/localshop/bulk/999999.jsonl`)).status).toBe(404);
  });
});

describe("the 60-day window without read_all_orders", () => {
  it("older orders are in no order query, count or bulk export; the last 60 days are", async () => {
    const state = shop.state;
    const variant = state.data.variants[0]!.id;
    const at = (days: number) => new Date(NOW - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const old = addOrder(state, { createdAt: at(61), lineItems: [{ variantId: variant, quantity: 1 }] });
    const recent = addOrder(state, { createdAt: at(59), lineItems: [{ variantId: variant, quantity: 1 }] });
    const all = await gql(`query($old: ID!, $recent: ID!) {
      old: order(id: $old) { id } recent: order(id: $recent) { id }
      oldNode: node(id: $old) { id }
      everything: ordersCount(query: "") { count }
      since61: ordersCount(query: "created_at:>=${at(62)}") { count }
    }`, { old: old.id, recent: recent.id });
    expect(all.data.old).toBeNull();
    expect(all.data.oldNode).toBeNull();
    expect(all.data.recent).toEqual({ id: recent.id });
    const readable = listOrders(state).filter((o) => Date.parse(o.createdAt) >= NOW - 60 * 86_400_000).length;
    expect(readable).toBeLessThan(listOrders(state).length);
    expect(all.data.everything.count).toBe(readable);
    expect(all.data.since61.count).toBe(readable);

    const run = await gql(RUN, { query: `{ orders { edges { node { id createdAt } } } }`, group: false });
    const id = run.data.bulkOperationRunQuery.bulkOperation.id;
    let op: { status: string; url: string | null };
    do {
      await new Promise((r) => setTimeout(r, 20));
      op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status url } }`, { id })).data.bulkOperation;
    } while (op.status == "CREATED" || op.status == "RUNNING");
    const lines = (await (await fetch(op.url!)).text()).trim().split("\n").map((l) => JSON.parse(l) as { id: string });
    expect(lines.length).toBe(readable);
    expect(lines.some((l) => l.id == old.id)).toBe(false);
    expect(lines.some((l) => l.id == recent.id)).toBe(true);
  });
});
