import { describe, expect, it } from "vitest";
import { contributionDelta, contributionOf, parseOrder, parseRefund, PayloadError, refundsInOrder, shopDay, toMinor } from "../../../app/analytics/orders";
import { orderPayload, refundPayload } from "../../support/orders";

const phone = { id: 11, productId: 1071, variantId: 2001, price: "749.00", quantity: 1 };
const caseLine = { id: 12, productId: 1072, variantId: 2002, price: "29.00", quantity: 2, discount: "5.80", offer: "phone-accessories" };

describe("order payloads", () => {
  it("keeps ids, quantities, revenue after discounts, the offer and the group, and nothing about the buyer", () => {
    const order = parseOrder(orderPayload({ id: 5001, lines: [phone, caseLine], group: "treatment", customerId: 77 }));
    expect(order).toMatchObject({ orderId: "5001", day: "2026-11-30", shopCurrency: "USD", currency: "USD", group: "treatment", totalMinor: 74900 + 5800 - 580 });
    expect(order.lines).toEqual([
      { lineId: "11", productId: "1071", variantId: "2001", quantity: 1, revenueMinor: 74900, offerId: null },
      { lineId: "12", productId: "1072", variantId: "2002", quantity: 2, revenueMinor: 5220, offerId: "phone-accessories" },
    ]);
    expect(JSON.stringify(order)).not.toMatch(/ada|Lovelace|203\.0\.113/i);
  });

  it("reads amounts in the shop's currency and records the presentment currency with its rate", () => {
    const order = parseOrder(orderPayload({ id: 5002, lines: [phone], presentmentCurrency: "EUR", rate: 0.92 }));
    expect(order.currency).toBe("EUR");
    expect(order.totalMinor).toBe(74900);
    expect(order.presentmentRate).toBeCloseTo(754 / (754 * 0.92), 4);
  });

  it("counts a cart with no group, or an unknown one, apart as 'none'", () => {
    expect(parseOrder(orderPayload({ id: 1, lines: [phone], group: null })).group).toBe("none");
    expect(parseOrder(orderPayload({ id: 2, lines: [phone], group: "vip" })).group).toBe("none");
    expect(parseOrder(orderPayload({ id: 3, lines: [phone], group: "holdout" })).group).toBe("holdout");
  });

  it("credits no offer for an implausible offer id a buyer typed", () => {
    const order = parseOrder(orderPayload({ id: 4, lines: [{ ...caseLine, offer: "<script>alert(1)</script>" }] }));
    expect(order.lines[0].offerId).toBeNull();
  });

  it("refuses a payload with no id, currency or timestamp with a clear message", () => {
    expect(() => parseOrder({})).toThrow(PayloadError);
    expect(() => parseOrder({ ...orderPayload({ id: 5, lines: [] }), currency: undefined })).toThrow(/currency/);
    expect(() => parseOrder({ ...orderPayload({ id: 5, lines: [] }), created_at: "yesterday" })).toThrow(/created_at/);
    expect(() => parseRefund({ id: 1 })).toThrow(/order_id/);
  });

  it("converts decimal amounts to minor units by the currency's exponent, half up", () => {
    expect(toMinor("12.345", "USD")).toBe(1235);
    expect(toMinor("1200", "JPY")).toBe(1200);
    expect(toMinor("1.2345", "KWD")).toBe(1235);
    expect(toMinor(7.5, "USD")).toBe(750);
    expect(toMinor("nonsense", "USD")).toBe(0);
  });

  it("dates an order in the shop's time zone", () => {
    expect(shopDay("2026-11-30T22:30:00-05:00")).toBe("2026-11-30");
    expect(shopDay("2026-12-01T03:30:00Z", "America/New_York")).toBe("2026-11-30");
    expect(shopDay("2026-12-01T03:30:00Z", "Asia/Tokyo")).toBe("2026-12-01");
  });
});

describe("contributions to the rollups", () => {
  const order = parseOrder(orderPayload({ id: 6001, lines: [phone, caseLine], group: "treatment" }));

  it("adds one order to its group with its revenue and its square, and the tagged lines to their offer", () => {
    const rows = contributionOf(order, {});
    const net = 74900 + 5220;
    expect(rows).toEqual([
      { day: "2026-11-30", group: "treatment", offerId: "", orders: 1, revenueMinor: net, refundedMinor: 0, revenueSq: net * net, quantity: 3 },
      { day: "2026-11-30", group: "treatment", offerId: "phone-accessories", orders: 1, revenueMinor: 5220, refundedMinor: 0, revenueSq: 0, quantity: 2 },
    ]);
  });

  it("a refund lowers the offer's revenue by what was refunded on its lines", () => {
    const { refundId, refund } = parseRefund(refundPayload({ id: 900, orderId: 6001, lines: [{ lineId: 12, quantity: 1, subtotal: "26.10" }] }));
    const rows = contributionOf(order, { [refundId]: refund });
    expect(rows[1]).toMatchObject({ offerId: "phone-accessories", revenueMinor: 2610, refundedMinor: 2610, quantity: 1 });
    expect(rows[0]).toMatchObject({ revenueMinor: 74900 + 2610, refundedMinor: 2610 });
    const delta = contributionDelta(contributionOf(order, {}), rows);
    expect(delta.find((d) => d.offerId === "phone-accessories")).toMatchObject({ orders: 0, revenueMinor: -2610, refundedMinor: 2610, quantity: -1 });
  });

  it("never refunds more than a line earned, even if refunds repeat", () => {
    const a = parseRefund(refundPayload({ id: 901, orderId: 6001, lines: [{ lineId: 12, quantity: 2, subtotal: "52.20" }] }));
    const b = parseRefund(refundPayload({ id: 902, orderId: 6001, lines: [{ lineId: 12, quantity: 2, subtotal: "52.20" }] }));
    const rows = contributionOf(order, { [a.refundId]: a.refund, [b.refundId]: b.refund });
    expect(rows[1]).toMatchObject({ revenueMinor: 0, refundedMinor: 5220, quantity: 0 });
  });

  it("a cancelled order contributes nothing, so its cancellation reverses it exactly", () => {
    const cancelled = { ...order, cancelledAt: "2026-12-01T08:00:00-05:00" };
    expect(contributionOf(cancelled, {})).toEqual([]);
    const delta = contributionDelta(contributionOf(order, {}), contributionOf(cancelled, {}));
    const net = 74900 + 5220;
    expect(delta).toEqual([
      { day: "2026-11-30", group: "treatment", offerId: "", orders: -1, revenueMinor: -net, refundedMinor: 0, revenueSq: -net * net, quantity: -3 },
      { day: "2026-11-30", group: "treatment", offerId: "phone-accessories", orders: -1, revenueMinor: -5220, refundedMinor: 0, revenueSq: 0, quantity: -2 },
    ]);
  });

  it("an unchanged order has an empty delta", () => {
    expect(contributionDelta(contributionOf(order, {}), contributionOf(order, {}))).toEqual([]);
  });

  it("reads the refunds an order payload lists", () => {
    const payload = orderPayload({ id: 6001, lines: [phone, caseLine], refunds: [refundPayload({ id: 903, orderId: 6001, lines: [{ lineId: 11, quantity: 1, subtotal: "749.00" }] })] });
    expect(refundsInOrder(payload, "USD")).toEqual({ "903": { at: "2026-12-01T09:00:00-05:00", lines: { "11": [1, 74900] } } });
  });
});
