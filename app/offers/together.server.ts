// What "frequently bought together" offers need from the shop at publish and preview time:
// the mined lists (the recommender's last rebuild, as published to the product
// metafields), the variant each mined product is offered as, the products' ratings from
// the standard `reviews.rating` / `reviews.rating_count` metafields a review app fills,
// and each offer's exclusions with collections and tags expanded to product ids.
//
// Why the publisher expands at all: the discount function must know exactly which
// products an fbt offer may discount, so the mined products become concrete variant ids
// in the offer's `variants` (the plan's products) at publish. The surfaces still rank
// with the live metafield lists; a product mined after the publish shows at full price
// until the next publish (the engine skips products the ruleset does not hold).
import { shortId, type ProductSnapshot, type TogetherPick } from "../engine";
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { getStoredLists } from "../recommendations/lists.server";
import { expandTriggers, loadVariants, snapshotOf, type VariantDetails } from "./catalog.server";
import { isTogether, type OfferRecord } from "./model";

/** Per product, at most this many variants are looked at for the one to offer. */
const VARIANTS_LOOKED_AT = 10;
/** Products per query: ~25 points each (variants, two metafields), under the 1,000 limit. */
const PRODUCTS_BATCH = 25;

const PRODUCTS = `#graphql
  query CartliftTogetherProducts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        variants(first: ${VARIANTS_LOOKED_AT}) { nodes { id availableForSale } }
        rating: metafield(namespace: "reviews", key: "rating") { value }
        ratingCount: metafield(namespace: "reviews", key: "rating_count") { value }
      }
    }
  }`;

interface ProductNode {
  id: string;
  variants: { nodes: Array<{ id: string; availableForSale: boolean }> };
  rating: { value: string } | null;
  ratingCount: { value: string } | null;
}

export type Rating = NonNullable<ProductSnapshot["rating"]>;

/** A `rating` metafield value ({"value":"4.5","scale_min":"1.0","scale_max":"5.0"}) and a
 *  `number_integer` count, or undefined when either is missing or unreadable. */
export function readRating(rating: string | null | undefined, count: string | null | undefined): Rating | undefined {
  try {
    const value = Number(JSON.parse(rating ?? "null")?.value);
    const n = Number(count);
    if (!Number.isFinite(value) || !Number.isSafeInteger(n) || n < 1) return undefined;
    return { value: Math.round(value * 10) / 10, count: n };
  } catch {
    return undefined;
  }
}

export interface TogetherData {
  /** Anchor product id → its mined list, best first (engine ids). */
  lists: Record<string, TogetherPick[]>;
  /** Mined product id → the variant offered (the first available, else the first). */
  variants: Map<string, VariantDetails>;
  /** Product id → rating, for mined products and the offers' picks. */
  ratings: Record<string, Rating>;
  /** fbt offer id → every product it never recommends (expanded, sorted). */
  excluded: Record<string, string[]>;
}


/** The shop's stored lists in engine ids (the recommender's keys may be GIDs). */
export async function togetherLists(shop: string): Promise<Record<string, TogetherPick[]>> {
  const stored = await getStoredLists(shop);
  const lists: Record<string, TogetherPick[]> = {};
  for (const [anchor, picks] of Object.entries(stored))
    lists[shortId(anchor)] = picks.map((p) => ({ productId: shortId(p.productId), score: p.score, orders: p.orders, recent: p.recentOrders, ...(p.significant === false ? { significant: false } : {}) }));
  return lists;
}

/** Everything the fbt offers among `offers` need; undefined when there is none.
 *  `picked`: the variants already loaded (the offers' picks), for their ratings. */
export async function loadTogether(admin: AdminApi, shop: string, offers: OfferRecord[], currency: string, picked: Iterable<VariantDetails> = []): Promise<TogetherData | undefined> {
  const fbt = offers.filter(isTogether);
  if (!fbt.length) return undefined;
  const lists = await togetherLists(shop);
  const mined = [...new Set(Object.values(lists).flatMap((l) => l.map((p) => p.productId)))].sort();
  const pickedProducts = [...new Set([...picked].map((v) => v.productId))];
  const products = [...new Set([...mined, ...pickedProducts])];
  const chosen = new Map<string, string>();
  const ratings: Record<string, Rating> = {};
  for (let i = 0; i < products.length; i += PRODUCTS_BATCH) {
    const ids = products.slice(i, i + PRODUCTS_BATCH).map((id) => `gid://shopify/Product/${id}`);
    const data = await adminGraphql<{ nodes: Array<ProductNode | null> }>(admin, PRODUCTS, { variables: { ids } });
    for (const node of data.nodes) {
      if (!node?.variants) continue;
      const productId = shortId(node.id);
      const variant = node.variants.nodes.find((v) => v.availableForSale) ?? node.variants.nodes[0];
      if (variant && mined.includes(productId)) chosen.set(productId, shortId(variant.id));
      const rating = readRating(node.rating?.value, node.ratingCount?.value);
      if (rating) ratings[productId] = rating;
    }
  }
  const details = await loadVariants(admin, [...chosen.values()], currency);
  const variants = new Map<string, VariantDetails>();
  for (const v of details.values()) variants.set(v.productId, v);

  const refs = { collections: [...new Set(fbt.flatMap((o) => o.definition.exclude?.collections ?? []))], tags: [...new Set(fbt.flatMap((o) => o.definition.exclude?.tags ?? []))] };
  const expansions = refs.collections.length || refs.tags.length ? await expandTriggers(admin, refs) : undefined;
  const excluded: Record<string, string[]> = {};
  for (const o of fbt) {
    const ex = o.definition.exclude ?? {};
    const set = new Set(ex.products ?? []);
    for (const c of ex.collections ?? []) expansions?.collections[c]?.forEach((p) => set.add(p));
    for (const t of ex.tags ?? []) expansions?.tags[t]?.forEach((p) => set.add(p));
    excluded[o.id] = [...set].sort();
  }
  return { lists, variants, ratings, excluded };
}

/** The catalog snapshot with the mined products' variants and the products' ratings. */
export function togetherCatalog(variants: Iterable<VariantDetails>, together: TogetherData | undefined) {
  const catalog = snapshotOf([...variants, ...(together?.variants.values() ?? [])]);
  for (const [productId, rating] of Object.entries(together?.ratings ?? {})) if (catalog[productId]) catalog[productId].rating = rating;
  return catalog;
}

export const togetherInput = (together: TogetherData | undefined) =>
  together && { variants: Object.fromEntries([...together.variants].map(([productId, v]) => [productId, v.variantId])), excluded: together.excluded };
