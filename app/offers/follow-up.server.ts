// The next-order discount code for a thank-you page (app/offers/follow-up.ts decides what it
// gives): read the order and the published checkout ruleset from Shopify, then find or
// create the order's code with `discountCodeBasicCreate`.
//
// Idempotent per order without any state of ours: the code is derived from the order
// (an HMAC of shop and order id with the app's secret: unguessable, and the same on every
// page load), and Shopify keeps codes unique per shop. A second load finds the code; two
// loads at once both try to create it, one gets TAKEN and reads the one that exists.
import { createHmac } from "node:crypto";
import { adminGraphql } from "../admin-api.server";
import { decimalToMinor, parseRuleset, shortId } from "../engine";
import type { AdminApi } from "../shopify.server";
import { followUpDiscountInput, followUpPlan, type FollowUpOrder } from "./follow-up";
import { CHECKOUT_RULESET } from "./metafields";

const ORDER = `#graphql
  query FollowUpOrder($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      customer { id }
      customAttributes { key value }
      lineItems(first: 100) {
        nodes { quantity variant { id product { id } } originalUnitPriceSet { shopMoney { amount } } }
      }
    }
    shop { currencyCode metafield(namespace: "${CHECKOUT_RULESET.namespace}", key: "${CHECKOUT_RULESET.key}") { value } }
  }`;

const CODE = `#graphql
  query FollowUpCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { endsAt } } }
  }`;

const CREATE = `#graphql
  mutation FollowUpCodeCreate($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { endsAt } } }
      userErrors { field message code }
    }
  }`;

/** Letters and digits a shopper cannot confuse (no I, O, 0, 1). */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** The order's code: `THANKS-` and 10 characters (50 bits) of an HMAC only the app can make. */
export function followUpCodeFor(secret: string, shop: string, orderId: string): string {
  const digest = createHmac("sha256", secret).update(`cartlift-follow-up:${shop}:${shortId(orderId)}`).digest();
  return "THANKS-" + Array.from(digest.subarray(0, 10), (b) => ALPHABET[b & 31]).join("");
}

export type FollowUpAnswer =
  | { status: 200; body: { code: string; endsAt: string | null; offerId: string } }
  | { status: 200; body: { code: null; reason: string } }
  | { status: 404 | 502; body: { error: string } };

type OrderData = {
  order: null | {
    id: string;
    name: string;
    createdAt: string;
    customer: { id: string } | null;
    customAttributes: { key: string; value: string }[];
    lineItems: { nodes: { quantity: number; variant: { id: string; product: { id: string } } | null; originalUnitPriceSet: { shopMoney: { amount: string } } }[] };
  };
  shop: { currencyCode: string; metafield: { value: string } | null };
};

/** The order's follow-up code: found, created, or why there is none. Never throws. */
export async function followUpCode(admin: AdminApi, input: { shop: string; orderId: string; secret: string; now: number }): Promise<FollowUpAnswer> {
  try {
    const data = await adminGraphql<OrderData>(admin, ORDER, { variables: { id: input.orderId } });
    const o = data.order;
    if (!o) return { status: 404, body: { error: "No such order." } };
    const parsed = data.shop.metafield ? parseRuleset(data.shop.metafield.value) : null;
    if (!parsed?.ok) return { status: 200, body: { code: null, reason: "no_offer" } };
    const currency = data.shop.currencyCode;
    const order: FollowUpOrder = {
      id: o.id,
      name: o.name,
      createdAt: o.createdAt,
      customerId: o.customer?.id ?? null,
      attributes: o.customAttributes,
      lines: o.lineItems.nodes
        .filter((l) => l.variant)
        .map((l) => ({
          productId: shortId(l.variant!.product.id),
          variantId: shortId(l.variant!.id),
          quantity: l.quantity,
          unitPrice: decimalToMinor(l.originalUnitPriceSet.shopMoney.amount, currency),
        })),
    };
    const decision = followUpPlan(parsed.ruleset, order, currency, input.now);
    if (!decision.ok) return { status: 200, body: { code: null, reason: decision.reason } };
    const code = followUpCodeFor(input.secret, input.shop, o.id);
    const answer = (endsAt: string | null) => ({ status: 200 as const, body: { code, endsAt, offerId: decision.plan.offer.id } });
    const existing = await adminGraphql<{ codeDiscountNodeByCode: { codeDiscount: { endsAt: string | null } } | null }>(admin, CODE, { variables: { code } });
    if (existing.codeDiscountNodeByCode) return answer(existing.codeDiscountNodeByCode.codeDiscount.endsAt);
    const created = await adminGraphql<{
      discountCodeBasicCreate: { codeDiscountNode: { codeDiscount: { endsAt: string | null } } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] };
    }>(admin, CREATE, { variables: { input: followUpDiscountInput(decision.plan, order, code, currency, input.now) } });
    const { codeDiscountNode, userErrors } = created.discountCodeBasicCreate;
    if (codeDiscountNode) return answer(codeDiscountNode.codeDiscount.endsAt);
    // Another load of the same page created it a moment ago.
    if (userErrors.some((e) => e.code == "TAKEN")) {
      const again = await adminGraphql<{ codeDiscountNodeByCode: { codeDiscount: { endsAt: string | null } } | null }>(admin, CODE, { variables: { code } });
      if (again.codeDiscountNodeByCode) return answer(again.codeDiscountNodeByCode.codeDiscount.endsAt);
    }
    return { status: 502, body: { error: `Shopify refused the code: ${userErrors.map((e) => e.message).join("; ")}` } };
  } catch (error) {
    return { status: 502, body: { error: `Shopify could not be reached: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
