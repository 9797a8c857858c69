// The thank-you page's follow-up, made worth it: a next-order discount code for the order
// just placed. Pure: what the code gives and to whom, from the order and the published
// ruleset (app/offers/follow-up.server.ts reads them and creates the code).
//
// Invariants:
// - Everything comes from the order and the published ruleset, read from Shopify; nothing
//   the buyer sends sets an amount, a product or a customer.
// - The offer is the engine's first thank-you offer for the order's lines (the one the
//   thank-you page shows), and only a cross-sell or upsell with its own discount earns a
//   code: the code gives exactly that discount on the offer's products.
// - The code is single-use (usage limit 1, once per customer), limited to the order's
//   customer when the order has one, and ends when the offer ends or after
//   FOLLOW_UP_VALIDITY_MS, whichever is first.
// - A held-out order (the `_cartlift_group` attribute) gets no code, like no offer.
import { cartGroup, forGroup, holdoutOf, GROUP_ATTRIBUTE } from "../analytics/holdout";
import { evaluate, minorDigits, type Cart, type OfferDiscount, type Ruleset, type ShownOffer } from "../engine";

/** A code is made for an order only in its first day: the thank-you page is shown right
 *  after payment, and an old order id is no key to a new discount. */
export const FOLLOW_UP_WINDOW_MS = 24 * 3_600_000;
/** How long a code lasts when the offer has no end of its own. */
export const FOLLOW_UP_VALIDITY_MS = 30 * 86_400_000;

export interface FollowUpOrder {
  id: string;
  name: string;
  createdAt: string;
  customerId: string | null;
  attributes: { key: string; value: string }[];
  /** Numeric product and variant ids; unit prices in shop minor units, before discounts. */
  lines: { productId: string; variantId: string; quantity: number; unitPrice: number }[];
}

export interface FollowUpPlan {
  offer: ShownOffer;
  discount: OfferDiscount;
  /** Product GIDs the code applies to. */
  productIds: string[];
  endsAt: string;
}

export type FollowUpDecision = { ok: true; plan: FollowUpPlan } | { ok: false; reason: "too_old" | "no_offer" | "no_discount" | "holdout" };

/** What the order earns for its next one, or why nothing. */
export function followUpPlan(ruleset: Ruleset & { display?: unknown }, order: FollowUpOrder, currency: string, now: number): FollowUpDecision {
  const placedAt = Date.parse(order.createdAt);
  if (!(now - placedAt <= FOLLOW_UP_WINDOW_MS)) return { ok: false, reason: "too_old" };
  const group = cartGroup(order.attributes.find((a) => a.key == GROUP_ATTRIBUTE)?.value);
  if (group == "holdout") return { ok: false, reason: "holdout" };
  const cart: Cart = {
    currency,
    lines: order.lines.map((l, i) => ({ id: `order-line-${i}`, productId: l.productId, variantId: l.variantId, quantity: l.quantity, unitPrice: l.unitPrice })),
  };
  const evaluation = evaluate(ruleset, cart, { placement: "thank_you", now });
  if (evaluation.diagnostics.length) return { ok: false, reason: "no_offer" };
  const offer = forGroup(evaluation, group, holdoutOf(ruleset.display)).offers[0];
  if (!offer) return { ok: false, reason: "no_offer" };
  const source = ruleset.offers.find((o) => o.id == offer.id);
  const discount = source && (source.kind == "cross_sell" || source.kind == "upsell") ? source.discount : undefined;
  if (!discount || !(discount.value > 0)) return { ok: false, reason: "no_discount" };
  const productIds = [...new Set(offer.items.map((i) => `gid://shopify/Product/${i.productId}`))];
  const ends = Math.min(offer.endsAt ? Date.parse(offer.endsAt) : Infinity, now + FOLLOW_UP_VALIDITY_MS);
  return { ok: true, plan: { offer, discount, productIds, endsAt: new Date(ends).toISOString() } };
}

/** `discountCodeBasicCreate`'s input for the plan (Admin API 2026-10 `DiscountCodeBasicInput`). */
export function followUpDiscountInput(plan: FollowUpPlan, order: FollowUpOrder, code: string, currency: string, now: number) {
  const value =
    plan.discount.kind == "percent"
      ? { percentage: Math.round(plan.discount.value * 100) / 10_000 }
      : { discountAmount: { amount: (plan.discount.value / 10 ** minorDigits(currency)).toFixed(minorDigits(currency)), appliesOnEachItem: true } };
  return {
    title: `${plan.offer.title || "Follow-up offer"} · order ${order.name}`,
    code,
    startsAt: new Date(now).toISOString(),
    endsAt: plan.endsAt,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: order.customerId ? { customers: { add: [order.customerId] } } : { all: "ALL" },
    customerGets: { value, items: { products: { productsToAdd: plan.productIds } } },
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
}
