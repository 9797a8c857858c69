// The local shop's Admin API for checkout end-to-end tests: publish a ruleset (checkout and
// storefront metafields) and Cartlift's automatic discount with the ruleset's discount plan,
// the way the publisher writes them.
import { expect, type APIRequestContext } from "@playwright/test";
import type { Ruleset } from "../../../app/engine";
import { discountMetafields } from "../../unit/checkout/demo-ruleset";

export const SHOP = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3190) + 1}`;
export const ADMIN = `${SHOP}/admin/api/2026-10/graphql.json`;
export const SHOTS = "test-results/screenshots";
export const LINE_LIST = 'iframe[data-target="purchase.checkout.cart-line-list.render-after"]';
export const THANK_YOU = 'iframe[data-target="purchase.thank-you.block.render"]';

export async function admin<T = any>(request: APIRequestContext, query: string, variables: object = {}): Promise<T> {
  const res = await request.post(ADMIN, { headers: { "X-Shopify-Access-Token": "any" }, data: { query, variables } });
  expect(res.ok()).toBe(true);
  const body = await res.json();
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

/** Publishes `ruleset` (with its `display`, if any) and a fresh Cartlift discount with its plan;
 *  every other automatic discount is removed first. */
export async function publish(request: APIRequestContext, ruleset: Ruleset & { display?: unknown }): Promise<void> {
  const existing = await admin(request, `{ shop { id } currentAppInstallation { id } automaticDiscountNodes(first: 50) { nodes { id } } }`);
  for (const { id } of existing.automaticDiscountNodes.nodes)
    await admin(request, `mutation($id: ID!) { discountAutomaticDelete(id: $id) { userErrors { message } } }`, { id });
  const value = JSON.stringify(ruleset);
  const set = await admin(
    request,
    `mutation($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message } } }`,
    {
      metafields: [
        { ownerId: existing.shop.id, namespace: "$app:cartlift", key: "ruleset", type: "json", value },
        { ownerId: existing.currentAppInstallation.id, namespace: "cartlift", key: "ruleset", type: "json", value },
      ],
    },
  );
  expect(set.metafieldsSet.userErrors).toEqual([]);
  const created = await admin(
    request,
    `mutation($discount: DiscountAutomaticAppInput!) {
      discountAutomaticAppCreate(automaticAppDiscount: $discount) { automaticAppDiscount { discountId } userErrors { field message } }
    }`,
    {
      discount: {
        title: "Cartlift offers",
        functionHandle: "cartlift-discount",
        startsAt: "2020-01-01T00:00:00Z",
        discountClasses: ["PRODUCT", "SHIPPING"],
        combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false },
        // The plan and its input query variables, as the publisher writes them (without the
        // variables Shopify cannot run the input query, and neither does the local checkout).
        metafields: discountMetafields(ruleset),
      },
    },
  );
  expect(created.discountAutomaticAppCreate.userErrors).toEqual([]);
}
