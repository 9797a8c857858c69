// Checkout API data for the extension's tests: cart lines and app metafields in the 2026-07
// checkout API's shapes, on the demo catalog.
import { OFFER_LINE_PROPERTY, type Ruleset } from "../../../app/engine";
import { demoVariant } from "./demo-ruleset";

let lineSeq = 0;

export interface LineOptions {
  quantity?: number;
  offer?: string;
  currency?: string;
  /** Unit price in the cart's currency (decimal); default the catalog's USD price. */
  unitPrice?: number;
  /** Discount allocated to the line (decimal, cart currency). */
  discount?: number;
}

/** A checkout cart line (`shopify.lines` item) for a demo variant. */
export function checkoutLine(variantId: string, options: LineOptions = {}) {
  const v = demoVariant(variantId);
  const quantity = options.quantity ?? 1;
  const currencyCode = options.currency ?? "USD";
  const unit = options.unitPrice ?? v.price / 100;
  const discount = options.discount ?? 0;
  return {
    id: `gid://shopify/CartLine/${++lineSeq}`,
    quantity,
    merchandise: {
      type: "variant" as const,
      id: `gid://shopify/ProductVariant/${variantId}`,
      title: v.variant.title,
      selectedOptions: v.variant.selectedOptions,
      product: { id: `gid://shopify/Product/${v.productId}`, vendor: v.product.vendor, productType: v.product.productType },
      requiresShipping: v.variant.requiresShipping,
    },
    cost: { totalAmount: { amount: Math.round((unit * quantity - discount) * 100) / 100, currencyCode } },
    attributes: options.offer ? [{ key: OFFER_LINE_PROPERTY, value: options.offer }] : [],
    discountAllocations: discount
      ? [{ type: "automatic" as const, title: "Offer", discountedAmount: { amount: discount, currencyCode } }]
      : [],
    lineComponents: [],
    parentRelationship: null,
  };
}

/** `shopify.appMetafields` holding the ruleset as the checkout serves the `$app:cartlift` one. */
export function rulesetMetafields(ruleset: Ruleset | string) {
  return [
    {
      target: { type: "shop" as const, id: "gid://shopify/Shop/1" },
      metafield: {
        namespace: "app--7001--cartlift",
        key: "ruleset",
        value: typeof ruleset == "string" ? ruleset : JSON.stringify(ruleset),
        valueType: "json_string" as const,
        type: "json",
      },
    },
  ];
}
