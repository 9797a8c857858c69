// Shopify's Product Recommendations API on the local storefront
// (`GET /{locale}/recommendations/products.json?product_id=…&limit=…&intent=…`), as the Ajax
// API reference describes it: `intent` is `related` (default) or `complementary`, `limit`
// 1 to 10 (default 10); the answer is `{ intent, products }` with products in the Ajax
// product shape (`/products/{handle}.js`: ids numeric, prices in cents of the presentment
// currency). A missing or malformed `product_id`, a bad `limit` or `intent` answers 422
// "Invalid parameter error"; an unknown product 404 "Product not found".
//
// What it recommends:
// - complementary: what the merchant set in Search & Discovery (the product's
//   `shopify--discovery--product_recommendation.complementary_products` list of product
//   references), in the merchant's order. Nothing set: nothing (as Shopify: complementary
//   recommendations need manual configuration).
// - related: its own similarity (Shopify's mixes sales data, descriptions and collections):
//   shared collections 3 each, same product type 2, same vendor 1, shared tags 1 each;
//   best first (ties by title); a product sharing nothing is not related.
// Both leave out the product itself, unpublished products and products with nothing
// available for sale.
import { COMPLEMENTARY_KEY, COMPLEMENTARY_NAMESPACE } from "../seed/catalog";
import { getMetafield, getProduct, getProductCollections, getProductVariants, gidTail, isVariantAvailableForSale, type LocalShopState, type ProductRecord } from "../state";
import { compareAtCents, priceCents } from "./cart";

export type RecommendationIntent = "related" | "complementary";

export interface RecommendationError {
  status: number;
  message: string;
  description: string;
}

const available = (state: LocalShopState, p: ProductRecord) => p.status == "ACTIVE" && getProductVariants(state, p.id).some((v) => isVariantAvailableForSale(state, v));

/** The Ajax product JSON (`/products/{handle}.js`) of a product, in `currency`. */
export function productJs(state: LocalShopState, p: ProductRecord, currency: string, prefix = "") {
  const variants = getProductVariants(state, p.id).map((v) => ({
    id: Number(gidTail(v.id)),
    title: v.title,
    option1: v.selectedOptions[0]?.value ?? null,
    option2: v.selectedOptions[1]?.value ?? null,
    option3: v.selectedOptions[2]?.value ?? null,
    sku: v.sku,
    requires_shipping: v.requiresShipping,
    available: isVariantAvailableForSale(state, v),
    name: v.title == "Default Title" ? p.title : `${p.title} - ${v.title}`,
    public_title: v.title == "Default Title" ? null : v.title,
    options: v.selectedOptions.map((o) => o.value),
    price: priceCents(state, v, currency),
    compare_at_price: compareAtCents(state, v, currency),
    featured_image: null,
  }));
  const prices = variants.map((v) => v.price);
  const image = p.images[0]?.url ?? null;
  return {
    id: Number(gidTail(p.id)),
    title: p.title,
    handle: p.handle,
    description: p.descriptionHtml,
    vendor: p.vendor,
    type: p.productType,
    tags: p.tags,
    price: Math.min(...prices),
    price_min: Math.min(...prices),
    price_max: Math.max(...prices),
    available: variants.some((v) => v.available),
    price_varies: new Set(prices).size > 1,
    variants,
    images: p.images.map((i) => i.url),
    featured_image: image,
    options: p.options.map((o) => o.name),
    url: `${prefix}/products/${p.handle}`,
  };
}

function related(state: LocalShopState, p: ProductRecord): ProductRecord[] {
  const collections = new Set(getProductCollections(state, p.id).map((c) => c.id));
  const tags = new Set(p.tags);
  const scored: Array<[ProductRecord, number]> = [];
  for (const q of state.data.products) {
    if (q.id == p.id || !available(state, q)) continue;
    let score = 0;
    for (const c of getProductCollections(state, q.id)) if (collections.has(c.id)) score += 3;
    if (q.productType && q.productType == p.productType) score += 2;
    if (q.vendor && q.vendor == p.vendor) score += 1;
    for (const t of q.tags) if (tags.has(t)) score += 1;
    if (score > 0) scored.push([q, score]);
  }
  return scored.sort((a, b) => b[1] - a[1] || a[0].title.localeCompare(b[0].title)).map(([q]) => q);
}

function complementary(state: LocalShopState, p: ProductRecord): ProductRecord[] {
  const m = getMetafield(state, p.id, COMPLEMENTARY_NAMESPACE, COMPLEMENTARY_KEY);
  let ids: unknown;
  try {
    ids = JSON.parse(m?.value ?? "[]");
  } catch {
    ids = [];
  }
  return (Array.isArray(ids) ? ids : []).flatMap((id) => {
    const q = typeof id == "string" && id != p.id ? getProduct(state, id) : null;
    return q && available(state, q) ? [q] : [];
  });
}

/** The endpoint's answer for its query parameters: `{ status: 200, body }` or an error. */
export function recommendationsResponse(state: LocalShopState, params: URLSearchParams, currency: string, prefix = ""): { status: number; body: unknown } {
  const invalid = (description: string) => ({ status: 422, body: { status: 422, message: "Invalid parameter error", description } satisfies RecommendationError });
  const productId = params.get("product_id") ?? "";
  if (!/^\d+$/.test(productId)) return invalid("product_id must be a product's numeric id");
  const limitParam = params.get("limit");
  const limit = limitParam === null ? 10 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) return invalid("limit must be between 1 and 10");
  const intent = (params.get("intent") ?? "related") as RecommendationIntent;
  if (intent != "related" && intent != "complementary") return invalid("intent must be related or complementary");
  const product = getProduct(state, `gid://shopify/Product/${productId}`);
  if (!product || product.status != "ACTIVE") return { status: 404, body: { status: 404, message: "Product not found", description: `No product with id ${productId} was found` } satisfies RecommendationError };
  const products = (intent == "complementary" ? complementary(state, product) : related(state, product)).slice(0, limit);
  return { status: 200, body: { intent, products: products.map((q) => productJs(state, q, currency, prefix)) } };
}
