// Applying several deliveries of one order in memory (a batch) must give what applying
// them one at a time with a store in between gives: the same final order and, summed, the
// same rollup deltas. And the group-commit queue: batches form while one is written, one
// bad delivery fails only itself.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { contributionDelta, foldChange, parseOrder, parseRefund, refundsInOrder, RollupDeltas, type OrderChange, type StoredOrder } from "../../../app/analytics/orders";
import { OrderIngestQueue, type ParsedDelivery } from "../../../app/analytics/ingest.server";
import { orderPayload, refundPayload } from "../../support/orders";

const phone = { id: 11, productId: 1071, variantId: 2001, price: "749.00", quantity: 1 };
const caseLine = { id: 12, productId: 1072, variantId: 2002, price: "29.00", quantity: 2, discount: "5.80", offer: "phone-accessories" };

function orderChange(updatedAt: string, extra: { cancelledAt?: string; refunds?: unknown[]; quantity?: number } = {}): OrderChange {
  const payload = orderPayload({ id: 42, lines: [phone, { ...caseLine, quantity: extra.quantity ?? 2 }], group: "treatment", updatedAt, cancelledAt: extra.cancelledAt ?? null, refunds: extra.refunds });
  const order = parseOrder(payload);
  return { kind: "order", order, refunds: refundsInOrder(payload, order.shopCurrency) };
}
function refundChange(id: number, quantity: number, subtotal: string): OrderChange {
  const { refundId, orderId, refund } = parseRefund(refundPayload({ id, orderId: 42, lines: [{ lineId: 12, quantity, subtotal }] }));
  return { kind: "refund", orderId, refundId, refund };
}

const changes: OrderChange[] = [
  orderChange("2026-11-30T10:15:00-05:00"),
  orderChange("2026-11-30T11:00:00-05:00", { quantity: 1 }),
  refundChange(1, 1, "26.10"),
  refundChange(2, 1, "26.10"),
  orderChange("2026-12-01T09:00:00-05:00", { cancelledAt: "2026-12-01T09:00:00-05:00" }),
  orderChange("2026-11-30T09:00:00-05:00"),
];

describe("folding an order's deliveries", () => {
  it("in any order and any grouping, the summed deltas equal the final contribution, and the final state does not depend on the grouping", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(changes, { minLength: 1 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (sequence, cuts) => {
        // One at a time, as separate transactions would (a JSON round trip stands for the store).
        let stored: StoredOrder | null = null;
        const total = new RollupDeltas();
        for (const change of sequence) {
          const fold = foldChange(stored, change);
          if (fold.changed) stored = JSON.parse(JSON.stringify(fold.next)) as StoredOrder;
          total.add("s", fold.delta);
        }
        // In batches cut where `cuts` says (a store between batches, memory within one): the same.
        let current: StoredOrder | null = null;
        const batchTotal = new RollupDeltas();
        sequence.forEach((change, i) => {
          const fold = foldChange(current, change);
          if (fold.changed) current = fold.next;
          batchTotal.add("s", fold.delta);
          if (cuts[i] && current) current = JSON.parse(JSON.stringify(current)) as StoredOrder;
        });
        expect(JSON.parse(JSON.stringify(current))).toEqual(JSON.parse(JSON.stringify(stored)));
        const final = (stored as StoredOrder | null)?.contribution ?? [];
        const expected = contributionDelta([], final).map((c) => ({ shop: "s", ...c }));
        expect(total.list()).toEqual(expected);
        expect(batchTotal.list()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("an older order payload is stale and changes nothing; a repeated refund id changes nothing", () => {
    const first = foldChange(null, changes[1]);
    expect(first.changed).toBe(true);
    const older = foldChange(first.next, changes[0]);
    expect(older).toMatchObject({ changed: false, stale: true, delta: [] });
    const refunded = foldChange(first.next, changes[2]);
    expect(refunded.changed).toBe(true);
    expect(foldChange(refunded.next, changes[2])).toMatchObject({ changed: false, stale: false, delta: [] });
  });

  it("a refund before its order makes a placeholder that contributes nothing until the order comes", () => {
    const placeholder = foldChange(null, changes[2]);
    expect(placeholder).toMatchObject({ changed: true, delta: [] });
    expect(placeholder.next).toMatchObject({ state: null, placeholderAt: expect.stringMatching(/^2026/) });
    const arrived = foldChange(placeholder.next, changes[0]);
    expect(arrived.delta.find((d) => d.offerId === "phone-accessories")).toMatchObject({ orders: 1, revenueMinor: 5220 - 2610, refundedMinor: 2610 });
  });
});

describe("the group-commit queue", () => {
  const item = (id: string): ParsedDelivery => ({ delivery: { webhookId: id, shop: "s.myshopify.com", topic: "orders/create" }, change: changes[0] });

  it("writes a lone delivery at once, and what arrives during a write as the next batch", async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new OrderIngestQueue(async (items) => {
      batches.push(items.map((i) => i.delivery.webhookId));
      if (batches.length === 1) await gate;
      return items.map(() => ({ duplicate: true as const }));
    }, 3, 1);
    const first = queue.submit(item("a"));
    const rest = ["b", "c", "d", "e"].map((id) => queue.submit(item(id)));
    expect(batches).toEqual([["a"]]);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([["a"], ["b", "c", "d"], ["e"]]);
  });

  it("when a batch fails, retries its deliveries one by one: only the bad one fails", async () => {
    const seen: number[] = [];
    const queue = new OrderIngestQueue(async (items) => {
      seen.push(items.length);
      if (items.some((i) => i.delivery.webhookId === "bad")) throw new Error("database refused");
      return items.map(() => ({ duplicate: false as const, result: { orderId: "42", rollupRows: 1, stale: false, newOrder: true } }));
    }, 10, 1);
    const outcomes = await Promise.allSettled(["x", "bad", "y"].map((id) => queue.submit(item(id))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe("database refused");
    expect(seen).toEqual([1, 2, 1, 1]);
  });
});
