// The thank-you page's next-order code, made by the app's service against the local shop's
// Admin API: once per order (a second call, and two calls at once, find the same code), only
// for what the order earns (a discounted follow-up), never for a held-out or old order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followUpDiscountInput, followUpPlan, type FollowUpOrder } from "../../../app/offers/follow-up";
import { followUpCode, followUpCodeFor } from "../../../app/offers/follow-up.server";
import { listCodeDiscounts } from "../../../localshop/admin-api/code-discounts";
import { addOrder, setMetafields } from "../../../localshop/state";
import { DEMO, demoRuleset, filmFollowUpOffer } from "../../unit/checkout/demo-ruleset";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "./support";

const SECRET = "test-secret";
const ENDS = "2099-01-01T00:00:00.000Z";
let testShop: TestShop;

beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop?.stop());

function publishRuleset(ruleset: object) {
  const state = testShop.local.state;
  expect(setMetafields(state, [{ ownerId: state.data.shop.id, namespace: "$app:cartlift", key: "ruleset", type: "json", value: JSON.stringify(ruleset) }]).userErrors).toEqual([]);
}

function phoneOrder(attributes: { key: string; value: string }[] = [], createdAt?: string) {
  return addOrder(testShop.local.state, {
    email: "shopper@example.com",
    customAttributes: attributes,
    lineItems: [{ variantId: `gid://shopify/ProductVariant/${DEMO.phone.gb64}`, quantity: 1 }],
    ...(createdAt ? { createdAt } : {}),
  });
}

describe("the follow-up code for an order", () => {
  it("creates one single-use code for the follow-up's product, and finds the same one again", async () => {
    publishRuleset(demoRuleset({ followUpEndsAt: ENDS }));
    const { admin, shop } = await testShop.scopeFor(uniqueShop("follow-up"));
    const order = phoneOrder();
    const before = listCodeDiscounts(testShop.local.state).length;
    const first = await followUpCode(admin, { shop, orderId: order.id, secret: SECRET, now: Date.now() });
    expect(first).toEqual({ status: 200, body: { code: followUpCodeFor(SECRET, shop, order.id), endsAt: expect.any(String), offerId: "film-follow-up" } });
    const again = await followUpCode(admin, { shop, orderId: order.id, secret: SECRET, now: Date.now() });
    expect(again).toEqual(first);
    const created = listCodeDiscounts(testShop.local.state).slice(before);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      value: { percentage: 0.25 },
      items: { productIds: [`gid://shopify/Product/${DEMO.screenFilm.productId}`], variantIds: [] },
      context: { all: true },
    });
    // A true end: the offer's own (or 30 days, whichever comes first).
    expect(Date.parse(created[0].endsAt!)).toBeLessThanOrEqual(Date.now() + 30 * 864e5 + 60_000);
  });

  it("makes one code when two page loads ask at the same moment", async () => {
    publishRuleset(demoRuleset({ followUpEndsAt: ENDS }));
    const { admin, shop } = await testShop.scopeFor(uniqueShop("follow-up-race"));
    const order = phoneOrder();
    const before = listCodeDiscounts(testShop.local.state).length;
    const answers = await Promise.all([1, 2, 3].map(() => followUpCode(admin, { shop, orderId: order.id, secret: SECRET, now: Date.now() })));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(200);
    expect(listCodeDiscounts(testShop.local.state).length - before).toBe(1);
  });

  it("gives no code to a held-out order, an old order, an order without a discounted follow-up, or no order", async () => {
    publishRuleset(demoRuleset({ followUpEndsAt: ENDS }));
    const { admin, shop } = await testShop.scopeFor(uniqueShop("follow-up-none"));
    const ask = (orderId: string) => followUpCode(admin, { shop, orderId, secret: SECRET, now: Date.now() });
    expect((await ask(phoneOrder([{ key: "_cartlift_group", value: "holdout" }]).id)).body).toEqual({ code: null, reason: "holdout" });
    expect((await ask(phoneOrder([], new Date(Date.now() - 2 * 864e5).toISOString()).id)).body).toEqual({ code: null, reason: "too_old" });
    const { discount: _none, ...undiscounted } = filmFollowUpOffer(ENDS);
    publishRuleset(demoRuleset({ offers: [undiscounted] }));
    expect((await ask(phoneOrder().id)).body).toEqual({ code: null, reason: "no_discount" });
    expect(await ask("gid://shopify/Order/999999")).toEqual({ status: 404, body: { error: "No such order." } });
  });
});

describe("the code's terms", () => {
  const order: FollowUpOrder = {
    id: "gid://shopify/Order/1",
    name: "#1001",
    createdAt: "2026-11-01T12:00:00Z",
    customerId: null,
    attributes: [],
    lines: [{ productId: DEMO.phone.productId, variantId: DEMO.phone.gb64, quantity: 1, unitPrice: 69900 }],
  };
  const now = Date.parse("2026-11-01T12:05:00Z");

  it("is limited to the order's customer when the order has one, to all buyers for a guest", () => {
    const decision = followUpPlan(demoRuleset({ followUpEndsAt: ENDS }), order, "USD", now);
    if (!decision.ok) throw new Error(decision.reason);
    expect(followUpDiscountInput(decision.plan, order, "THANKS-X", "USD", now).context).toEqual({ all: "ALL" });
    expect(followUpDiscountInput(decision.plan, { ...order, customerId: "gid://shopify/Customer/7" }, "THANKS-X", "USD", now).context).toEqual({
      customers: { add: ["gid://shopify/Customer/7"] },
    });
  });

  it("ends with the offer, or after 30 days when the offer has none", () => {
    const soon = "2026-11-05T00:00:00.000Z";
    const decision = followUpPlan(demoRuleset({ followUpEndsAt: soon }), order, "USD", now);
    expect(decision.ok && decision.plan.endsAt).toBe(soon);
    const { endsAt: _open, ...open } = filmFollowUpOffer(ENDS);
    const unending = followUpPlan(demoRuleset({ offers: [open] }), order, "USD", now);
    expect(unending.ok && unending.plan.endsAt).toBe(new Date(now + 30 * 864e5).toISOString());
  });

  it("gives an amount off each unit for an amount discount, in the shop's currency", () => {
    const amountOffer = { ...filmFollowUpOffer(ENDS), discount: { kind: "amount" as const, value: 250 } };
    const decision = followUpPlan(demoRuleset({ offers: [amountOffer] }), order, "USD", now);
    if (!decision.ok) throw new Error(decision.reason);
    expect(followUpDiscountInput(decision.plan, order, "THANKS-X", "USD", now).customerGets.value).toEqual({ discountAmount: { amount: "2.50", appliesOnEachItem: true } });
  });
});
