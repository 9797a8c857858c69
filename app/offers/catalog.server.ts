// What Cartlift reads from the shop's catalog through the Admin API: the shop's currency
// context, snapshots of the variants offers name, the facts triggers match on, product and
// collection search for the editor, and the products behind collection and tag triggers.
// Ids leave this module in the engine's form (numeric strings); GIDs stay inside.
import { shortId, type ProductFacts, type ProductSnapshot } from "../engine";
import { decimalToMinor } from "../engine";
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import type { TriggerExpansions } from "./ruleset";

const gid = (type: string, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`);
// A variant with its first media and its product's featured media costs ~10 points: 50 stay well
// under the Admin API's 1,000-point single-query limit.
const NODES_BATCH = 50;

export interface ShopContext {
  shopGid: string;
  installationGid: string;
  name: string;
  currency: string;
  currencies: string[];
  timezone: string;
}

const SHOP_CONTEXT = `#graphql
  query CartliftShopContext {
    shop { id name currencyCode enabledPresentmentCurrencies ianaTimezone }
    currentAppInstallation { id }
  }`;

// The shop's currency, currencies and time zone change rarely; pages and previews read
// them constantly. Kept a minute per shop, so an admin page costs one Admin API call less.
const CONTEXT_TTL_MS = 60_000;
const contextCache = new Map<string, { at: number; context: Promise<ShopContext> }>();

/** The shop's currency context; with `shop` (the session's), cached for a minute. */
export async function loadShopContext(admin: AdminApi, shop?: string): Promise<ShopContext> {
  if (!shop) return fetchShopContext(admin);
  const hit = contextCache.get(shop);
  if (hit && Date.now() - hit.at < CONTEXT_TTL_MS) return hit.context;
  const context = fetchShopContext(admin);
  contextCache.set(shop, { at: Date.now(), context });
  context.catch(() => contextCache.delete(shop));
  return context;
}

async function fetchShopContext(admin: AdminApi): Promise<ShopContext> {
  const data = await adminGraphql<{
    shop: { id: string; name: string; currencyCode: string; enabledPresentmentCurrencies: string[]; ianaTimezone: string };
    currentAppInstallation: { id: string };
  }>(admin, SHOP_CONTEXT);
  const currencies = [data.shop.currencyCode, ...data.shop.enabledPresentmentCurrencies.filter((c) => c != data.shop.currencyCode)];
  return {
    shopGid: data.shop.id,
    installationGid: data.currentAppInstallation.id,
    name: data.shop.name,
    currency: data.shop.currencyCode,
    currencies,
    timezone: data.shop.ianaTimezone,
  };
}

const RATES = `#graphql
  query CartliftCurrencyRates {
    shop { currencySettings(first: 50) { nodes { currencyCode manualRate enabled } } }
  }`;

/** Presentment currency → units per shop-currency unit, where the shop states a rate. */
export async function loadCurrencyRates(admin: AdminApi): Promise<Record<string, number>> {
  try {
    const data = await adminGraphql<{ shop: { currencySettings: { nodes: Array<{ currencyCode: string; manualRate: string | null; enabled: boolean }> } } }>(
      admin,
      RATES,
    );
    const rates: Record<string, number> = {};
    for (const s of data.shop.currencySettings.nodes) if (s.enabled && s.manualRate && Number(s.manualRate) > 0) rates[s.currencyCode] = Number(s.manualRate);
    return rates;
  } catch {
    return {}; // no rates readable: previews in other currencies say so
  }
}

// ---------------------------------------------------------------------------------------
// Variants
// ---------------------------------------------------------------------------------------

/** A variant with everything the admin shows and the engine matches on. */
export interface VariantDetails extends ProductFacts {
  productTitle: string;
  /** Null for a product's only (default) variant. */
  variantTitle: string | null;
  handle: string;
  image: string | null;
  /** Shop minor units. */
  price: number;
  available: boolean;
}

const VARIANTS = `#graphql
  query CartliftVariants($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id title price availableForSale
        media(first: 1) { nodes { preview { image { url } } } }
        product { id title handle hasOnlyDefaultVariant tags vendor productType featuredMedia { preview { image { url } } } }
      }
    }
  }`;

const VARIANT_COLLECTIONS = `#graphql
  query CartliftVariantCollections($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant { id product { collections(first: 25) { nodes { id } } } }
    }
  }`;

/** Shopify's media shapes (Product.featuredMedia, ProductVariant.media): the preview image. */
type MediaPreview = { preview?: { image?: { url: string } | null } | null } | null;
type MediaNodes = { nodes: MediaPreview[] } | null;
const previewUrl = (media: MediaPreview | undefined): string | null => media?.preview?.image?.url ?? null;

interface VariantNode {
  id: string;
  title: string;
  price: string;
  availableForSale: boolean;
  media: MediaNodes;
  product: {
    id: string;
    title: string;
    handle: string;
    hasOnlyDefaultVariant: boolean;
    tags: string[];
    vendor: string;
    productType: string;
    featuredMedia: MediaPreview;
  };
}

/** Details of the given variants (engine ids); variants that no longer exist are absent. */
export async function loadVariants(
  admin: AdminApi,
  variantIds: string[],
  currency: string,
  options: { collections?: boolean } = {},
): Promise<Map<string, VariantDetails>> {
  const ids = [...new Set(variantIds.filter(Boolean))];
  const out = new Map<string, VariantDetails>();
  // Each variant's collections(first: 25) costs ~27 points: 25 variants stay under the
  // Admin API's 1,000-point single-query limit.
  const size = options.collections ? 25 : NODES_BATCH;
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size).map((id) => gid("ProductVariant", id));
    const data = await adminGraphql<{ nodes: Array<VariantNode | null> }>(admin, VARIANTS, { variables: { ids: batch } });
    for (const node of data.nodes) {
      if (!node || !node.product) continue;
      const variantId = shortId(node.id);
      out.set(variantId, {
        productId: shortId(node.product.id),
        variantId,
        unitPrice: decimalToMinor(node.price, currency),
        price: decimalToMinor(node.price, currency),
        tags: node.product.tags,
        vendor: node.product.vendor,
        productType: node.product.productType,
        productTitle: node.product.title,
        variantTitle: node.product.hasOnlyDefaultVariant || node.title == "Default Title" ? null : node.title,
        handle: node.product.handle,
        image: previewUrl(node.media?.nodes[0]) ?? previewUrl(node.product.featuredMedia),
        available: node.availableForSale,
      });
    }
    if (options.collections) {
      const extra = await adminGraphql<{ nodes: Array<{ id: string; product: { collections: { nodes: Array<{ id: string }> } } } | null> }>(
        admin,
        VARIANT_COLLECTIONS,
        { variables: { ids: batch } },
      );
      for (const node of extra.nodes) {
        const details = node && out.get(shortId(node.id));
        if (details) details.collectionIds = node.product.collections.nodes.map((c) => shortId(c.id));
      }
    }
  }
  return out;
}

/** The ruleset's product snapshot for the given variants (each product holds only those). */
export function snapshotOf(variants: Iterable<VariantDetails>): Record<string, ProductSnapshot> {
  const products: Record<string, ProductSnapshot> = {};
  for (const v of variants) {
    const product = (products[v.productId] ??= {
      title: v.productTitle,
      handle: v.handle,
      ...(v.image ? { image: v.image } : {}),
      variants: {},
    });
    product.variants[v.variantId] = {
      price: v.price,
      ...(v.variantTitle ? { title: v.variantTitle } : {}),
      ...(v.available ? {} : { available: false }),
    };
  }
  return products;
}

// ---------------------------------------------------------------------------------------
// Labels for ids the editor shows (products, variants, collections)
// ---------------------------------------------------------------------------------------

export interface ResourceLabel {
  title: string;
  subtitle?: string;
  image?: string | null;
  /** Shop minor units (variants). */
  price?: number;
  available?: boolean;
}

/** Keyed "product:1001", "variant:2001", "collection:3001". */
export type Labels = Record<string, ResourceLabel>;

const LABELS = `#graphql
  query CartliftLabels($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product { id title vendor featuredMedia { preview { image { url } } } }
      ... on Collection { id title }
      ... on ProductVariant {
        id title price availableForSale
        media(first: 1) { nodes { preview { image { url } } } }
        product { title hasOnlyDefaultVariant featuredMedia { preview { image { url } } } }
      }
    }
  }`;

export async function loadLabels(
  admin: AdminApi,
  refs: { products?: string[]; variants?: string[]; collections?: string[] },
  currency: string,
): Promise<Labels> {
  const ids = [
    ...new Set([
      ...(refs.products ?? []).map((id) => gid("Product", id)),
      ...(refs.variants ?? []).map((id) => gid("ProductVariant", id)),
      ...(refs.collections ?? []).map((id) => gid("Collection", id)),
    ]),
  ];
  const labels: Labels = {};
  for (let i = 0; i < ids.length; i += NODES_BATCH) {
    const data = await adminGraphql<{ nodes: Array<Record<string, any> | null> }>(admin, LABELS, { variables: { ids: ids.slice(i, i + NODES_BATCH) } });
    for (const node of data.nodes) {
      if (!node) continue;
      if (node.__typename == "Product") labels[`product:${shortId(node.id)}`] = { title: node.title, subtitle: node.vendor, image: previewUrl(node.featuredMedia) };
      else if (node.__typename == "Collection") labels[`collection:${shortId(node.id)}`] = { title: node.title };
      else if (node.__typename == "ProductVariant")
        labels[`variant:${shortId(node.id)}`] = {
          title: node.product.title,
          subtitle: node.product.hasOnlyDefaultVariant || node.title == "Default Title" ? undefined : node.title,
          image: previewUrl(node.media?.nodes[0]) ?? previewUrl(node.product.featuredMedia),
          price: decimalToMinor(node.price, currency),
          available: node.availableForSale,
        };
    }
  }
  return labels;
}

// ---------------------------------------------------------------------------------------
// Search (the local shop's stand-in for App Bridge's resource picker)
// ---------------------------------------------------------------------------------------

export interface ProductHit {
  id: string;
  title: string;
  vendor: string;
  image: string | null;
  variants: Array<{ id: string; title: string | null; price: number; available: boolean }>;
}

export interface CollectionHit {
  id: string;
  title: string;
  productCount: number | null;
}

const PRODUCT_SEARCH = `#graphql
  query CartliftProductSearch($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, query: $query, sortKey: TITLE) {
      nodes {
        id title vendor hasOnlyDefaultVariant featuredMedia { preview { image { url } } }
        variants(first: 30) { nodes { id title price availableForSale } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const COLLECTION_SEARCH = `#graphql
  query CartliftCollectionSearch($first: Int!, $query: String) {
    collections(first: $first, query: $query, sortKey: TITLE) {
      nodes { id title productsCount { count } }
    }
  }`;

/** Search text → Shopify search syntax: free-text words, the syntax's operators removed. */
export function searchQuery(text: string): string | undefined {
  const words = text
    .replace(/["'():\\*-]/g, " ")
    .split(/\s+/)
    .filter((w) => w && !/^(AND|OR|NOT)$/.test(w));
  return words.length ? words.join(" ") : undefined;
}

export async function searchProducts(
  admin: AdminApi,
  text: string,
  currency: string,
  options: { first?: number; after?: string | null } = {},
): Promise<{ products: ProductHit[]; nextCursor: string | null }> {
  const data = await adminGraphql<{
    products: {
      nodes: Array<{
        id: string;
        title: string;
        vendor: string;
        hasOnlyDefaultVariant: boolean;
        featuredMedia: MediaPreview;
        variants: { nodes: Array<{ id: string; title: string; price: string; availableForSale: boolean }> };
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(admin, PRODUCT_SEARCH, { variables: { first: options.first ?? 10, after: options.after ?? null, query: searchQuery(text) ?? null } });
  return {
    products: data.products.nodes.map((p) => ({
      id: shortId(p.id),
      title: p.title,
      vendor: p.vendor,
      image: previewUrl(p.featuredMedia),
      variants: p.variants.nodes.map((v) => ({
        id: shortId(v.id),
        title: p.hasOnlyDefaultVariant || v.title == "Default Title" ? null : v.title,
        price: decimalToMinor(v.price, currency),
        available: v.availableForSale,
      })),
    })),
    nextCursor: data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null,
  };
}

export async function searchCollections(admin: AdminApi, text: string): Promise<CollectionHit[]> {
  const query = searchQuery(text);
  const data = await adminGraphql<{ collections: { nodes: Array<{ id: string; title: string; productsCount: { count: number } | null }> } }>(
    admin,
    COLLECTION_SEARCH,
    { variables: { first: 10, query: query ? `title:${query.split(" ")[0]}*` : null } },
  );
  return data.collections.nodes.map((c) => ({ id: shortId(c.id), title: c.title, productCount: c.productsCount?.count ?? null }));
}

// ---------------------------------------------------------------------------------------
// Trigger expansion (collections, tags, vendors, product types → product ids)
// ---------------------------------------------------------------------------------------

const EXPANSION_CAP = 500;

const COLLECTION_PRODUCTS = `#graphql
  query CartliftCollectionProducts($id: ID!, $after: String) {
    collection(id: $id) { products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }
  }`;

const SEARCHED_PRODUCTS = `#graphql
  query CartliftSearchedProducts($query: String!, $after: String) {
    products(first: 250, after: $after, query: $query) { nodes { id } pageInfo { hasNextPage endCursor } }
  }`;

type Page = { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function collectIds(fetchPage: (after: string | null) => Promise<Page | null>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page = await fetchPage(after);
    if (!page) break;
    ids.push(...page.nodes.map((n) => shortId(n.id)));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && ids.length < EXPANSION_CAP);
  return ids.slice(0, EXPANSION_CAP);
}

/** Product ids of the products a search (`tag:"x"`, `vendor:"x"`, …) finds. */
function searchedIds(admin: AdminApi, query: string): Promise<string[]> {
  return collectIds(async (after) => {
    const data = await adminGraphql<{ products: Page }>(admin, SEARCHED_PRODUCTS, { variables: { query, after } });
    return data.products;
  });
}

/** Search syntax of each expanded trigger field but collections (fetched by id). */
const SEARCH_FIELD = { tags: "tag", vendors: "vendor", productTypes: "product_type" } as const;

/** Product ids of each collection, tag, vendor and product type a trigger names (not every
 *  surface can see those; see TriggerExpansions), at most 500 products each. */
export async function expandTriggers(
  admin: AdminApi,
  refs: { collections: string[]; tags: string[]; vendors?: string[]; productTypes?: string[] },
): Promise<Required<TriggerExpansions>> {
  const expansions: Required<TriggerExpansions> = { collections: {}, tags: {}, vendors: {}, productTypes: {} };
  for (const id of refs.collections)
    expansions.collections[id] = await collectIds(async (after) => {
      const data = await adminGraphql<{ collection: { products: Page } | null }>(admin, COLLECTION_PRODUCTS, { variables: { id: gid("Collection", id), after } });
      return data.collection?.products ?? null;
    });
  for (const field of ["tags", "vendors", "productTypes"] as const) {
    for (const value of refs[field] ?? []) {
      expansions[field][value] = await searchedIds(admin, `${SEARCH_FIELD[field]}:"${value.replace(/"/g, "")}"`);
    }
  }
  return expansions;
}

const FIRST_VARIANT = `#graphql
  query CartliftFirstVariant($id: ID!) {
    product(id: $id) { variants(first: 1) { nodes { id } } }
  }`;

/** A product's first variant (engine id), or null when the product is gone. */
export async function firstVariantOf(admin: AdminApi, productId: string): Promise<string | null> {
  const data = await adminGraphql<{ product: { variants: { nodes: Array<{ id: string }> } } | null }>(admin, FIRST_VARIANT, {
    variables: { id: gid("Product", productId) },
  });
  const id = data.product?.variants.nodes[0]?.id;
  return id ? shortId(id) : null;
}
