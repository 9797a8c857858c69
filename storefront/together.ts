// Frequently bought together on the storefront: when the mined lists and the merchant's
// picks leave a frequently-bought-together offer short, Shopify's Product Recommendations
// (`/recommendations/products.json`, complementary then related: a call to the shop, never
// to Cartlift) fill in. Pure helpers: which anchors need them, and Shopify's answer in the
// engine's shape. The engine decides what shows.
import type { Evaluation, Placement, RecommendedProduct, Ruleset } from "../app/engine/types";
import { fromCents } from "./money";

interface AjaxProduct {
  id?: number;
  title?: string;
  handle?: string;
  featured_image?: string | null;
  variants?: Array<{ id?: number; price?: number; available?: boolean }>;
}

/** Shopify's `{ products }` as the engine's recommended products: each product's first
 *  available variant (else its first), prices from cents to the cart's minor units. */
export function recommendedFrom(json: unknown, currency: string): RecommendedProduct[] {
  const products = (json as { products?: AjaxProduct[] } | null)?.products;
  if (!Array.isArray(products)) return [];
  return products.flatMap((p) => {
    const v = p?.variants?.find((x) => x?.available) || p?.variants?.[0];
    if (!p?.id || !v?.id || typeof v.price != "number") return [];
    return [{ productId: String(p.id), variantId: String(v.id), title: String(p.title || ""), handle: String(p.handle || ""), image: p.featured_image || undefined, price: fromCents(v.price, currency), available: !!v.available }];
  });
}

/** Whether a frequently-bought-together offer for `placement` came up short (fewer than
 *  three items, or none left after the guards), so Shopify's recommendations may help. */
export function fbtShort(ruleset: Ruleset, ev: Evaluation, placement: Placement): boolean {
  return ruleset.offers.some((o) => {
    if (o.kind != "cross_sell" || o.source != "fbt" || (o.placements && !o.placements.includes(placement))) return false;
    const shown = ev.offers.find((s) => s.id == o.id);
    if (shown) return shown.items.length < 3;
    const skip = ev.skipped.find((s) => s.offerId == o.id)?.reason;
    return skip == "ALREADY_IN_CART" || skip == "UNAVAILABLE" || skip == "OVER_ANCHOR";
  });
}
