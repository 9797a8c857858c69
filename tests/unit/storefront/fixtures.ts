// Storefront test fixtures: cart.js-shaped carts for the demo catalog, and the demo
// ruleset (the real ids of the local shop's seed).
import type { AjaxCart, AjaxCartItem } from "../../../storefront/ajax-cart";
import { buildDemoRuleset, demoIds } from "../../../localshop/storefront/demo-ruleset";

export const ids = demoIds();
export const ruleset = buildDemoRuleset();

const PRODUCTS: Record<string, { productId: string; title: string; variantTitle: string | null; usd: number }> = {
  [ids.phone64]: { productId: ids.phone, title: "Aurora Phone", variantTitle: "64 GB", usd: 69900 },
  [ids.phone128]: { productId: ids.phone, title: "Aurora Phone", variantTitle: "128 GB", usd: 79900 },
  [ids.caseBlack]: { productId: ids.product("aurora-phone-case"), title: "Aurora Phone Case", variantTitle: "Black", usd: 2900 },
  [ids.charger]: { productId: ids.product("usb-c-charger-20w"), title: "20W USB-C Charger", variantTitle: null, usd: 2500 },
  [ids.burger]: { productId: ids.product("classic-burger"), title: "Classic Burger", variantTitle: null, usd: 950 },
  [ids.fries]: { productId: ids.product("crispy-fries"), title: "Crispy Fries", variantTitle: "Regular", usd: 350 },
  [ids.drink]: { productId: ids.product("fountain-drink"), title: "Fountain Drink", variantTitle: "Cola", usd: 225 },
};

/** A cart.js item; `price` in cents of the cart's currency (defaults to the USD price). */
export function item(variantId: string, over: Partial<AjaxCartItem> = {}): AjaxCartItem {
  const p = PRODUCTS[variantId];
  const price = over.original_price ?? p.usd;
  const quantity = over.quantity ?? 1;
  return {
    id: Number(variantId),
    key: `${variantId}:${Object.keys(over.properties ?? {}).length ? "p" : "0"}`,
    variant_id: Number(variantId),
    product_id: Number(p.productId),
    quantity,
    price,
    original_price: price,
    final_price: price,
    line_price: price * quantity,
    final_line_price: price * quantity,
    properties: {},
    title: p.title,
    product_title: p.title,
    variant_title: p.variantTitle,
    vendor: "Vendor",
    product_type: "Type",
    handle: "handle",
    url: "/products/handle",
    image: null,
    ...over,
  };
}

export function ajaxCart(items: AjaxCartItem[], currency = "USD"): AjaxCart {
  const total = items.reduce((s, i) => s + i.final_line_price, 0);
  return { token: "t", currency, item_count: items.reduce((s, i) => s + i.quantity, 0), total_price: total, original_total_price: total, total_discount: 0, items };
}
