/**
 * The local shop's data store: an in-memory double of the Shopify data Cartlift touches
 * (shop, catalog, metafields, automatic app discounts, orders), seeded deterministically
 * from ./seed/catalog.ts and optionally persisted as JSON to a file.
 *
 * Other parts of the local shop (storefront, checkout, the Admin API double in
 * ./admin-api) read and write it only through the plain functions exported here, so the
 * shapes below are a contract: add fields, do not rename them.
 *
 * Invariants
 * - Ids are Shopify GIDs (`gid://shopify/Product/1001`); seeded ids are stable across runs.
 * - Money amounts are decimal strings in the shop currency ("699.00"), as the Admin API
 *   returns them; use `amountToMinorUnits` to get integer minor units.
 * - Metafield namespaces are stored resolved: `$app` becomes `app--<appId>`, `$app:x`
 *   becomes `app--<appId>--x`, as Shopify does for app-reserved namespaces.
 * - Writes that can fail return Shopify-shaped `userErrors` and change nothing on error
 *   (metafieldsSet is atomic in Shopify too).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { buildSeedData } from "./seed/catalog";
import { applyDemoOrderHistory } from "./seed/orders";

// ---------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------

export type Gid = string;
export type CurrencyCode = string;
/** ISO 8601 date-time without milliseconds, e.g. "2026-11-01T09:00:00Z". */
export type DateTimeString = string;

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT";

export interface ShopLocaleRecord {
  locale: string;
  name: string;
  primary: boolean;
  published: boolean;
}

export interface ShopRecord {
  id: Gid;
  name: string;
  email: string;
  myshopifyDomain: string;
  primaryDomainUrl: string;
  currencyCode: CurrencyCode;
  /** Includes the shop currency, as Shopify's `enabledPresentmentCurrencies` does. */
  enabledPresentmentCurrencies: CurrencyCode[];
  /**
   * Units of each presentment currency per one unit of the shop currency
   * (e.g. `{ EUR: 0.92 }`). Real Shopify has no such shop field: rates come from Markets
   * (market currency settings / conversion at checkout). The double keeps them here.
   */
  currencyRates: Record<CurrencyCode, number>;
  currencyFormats: { moneyFormat: string; moneyWithCurrencyFormat: string };
  locales: ShopLocaleRecord[];
  ianaTimezone: string;
  countryCode: string;
  planDisplayName: string;
}

export interface AppRecord {
  /** `gid://shopify/App/<n>`; `<n>` names the app-reserved metafield namespace. */
  id: Gid;
  installationId: Gid;
  title: string;
  handle: string;
  apiKey: string;
}

export interface ImageRecord {
  id: Gid;
  /** Root-relative path served by the local shop, e.g. `/localshop/images/aurora-phone.svg`. */
  url: string;
  altText: string | null;
  width: number;
  height: number;
}

export interface SelectedOption {
  name: string;
  value: string;
}

export interface ProductOptionRecord {
  name: string;
  values: string[];
}

export interface ProductRecord {
  id: Gid;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
  publishedAt: DateTimeString | null;
  options: ProductOptionRecord[];
  /** First image is the featured image. */
  images: ImageRecord[];
  /** In position order. */
  variantIds: Gid[];
}

export interface VariantRecord {
  id: Gid;
  productId: Gid;
  /** "Default Title" for single-variant products, like Shopify. */
  title: string;
  sku: string;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  selectedOptions: SelectedOption[];
  imageId: Gid | null;
  position: number;
  taxable: boolean;
  requiresShipping: boolean;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export interface CollectionRecord {
  id: Gid;
  handle: string;
  title: string;
  descriptionHtml: string;
  /** Manual collection membership, in collection order. */
  productIds: Gid[];
  updatedAt: DateTimeString;
}

export type MetafieldOwnerType =
  | "SHOP"
  | "API_PERMISSION"
  | "PRODUCT"
  | "PRODUCTVARIANT"
  | "COLLECTION"
  | "DISCOUNT"
  | "ORDER";

export interface MetafieldRecord {
  id: Gid;
  ownerId: Gid;
  ownerType: MetafieldOwnerType;
  /** Resolved namespace (`app--7001`, never `$app`). */
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export interface MetafieldDefinitionRecord {
  id: Gid;
  name: string;
  namespace: string;
  key: string;
  type: string;
  ownerType: MetafieldOwnerType;
  description: string | null;
  createdAt: DateTimeString;
}

export interface ShopifyFunctionRecord {
  /** Function id as Shopify shows it (a UUID-like string, not a GID). */
  id: string;
  /** The extension handle from shopify.extension.toml (`functionHandle` in 2025-10+). */
  handle: string;
  title: string;
  apiType: "discount" | "cart_transform" | "delivery_customization" | "payment_customization";
  appKey: string;
  appTitle: string;
  /** Local shop only: the path of the function's deployed WebAssembly module; unset, the
   *  app's built module (localshop/checkout/wasm-function.ts FUNCTION_WASM). */
  module?: string;
}

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

export interface CombinesWith {
  orderDiscounts: boolean;
  productDiscounts: boolean;
  shippingDiscounts: boolean;
}

export interface AutomaticAppDiscountRecord {
  /** `gid://shopify/DiscountAutomaticNode/<n>`: also the metafield owner of its config. */
  id: Gid;
  title: string;
  functionId: string;
  startsAt: DateTimeString;
  endsAt: DateTimeString | null;
  combinesWith: CombinesWith;
  discountClasses: DiscountClass[];
  appliesOnOneTimePurchase: boolean;
  appliesOnSubscription: boolean;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export type DiscountStatus = "ACTIVE" | "EXPIRED" | "SCHEDULED";

export interface AttributeRecord {
  key: string;
  value: string | null;
}

export interface OrderLineItemRecord {
  id: Gid;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  variantId: Gid | null;
  productId: Gid | null;
  /** Unit price before discounts, in the order currency. */
  originalUnitPrice: string;
  /** Total discount allocated to this line, in the order currency. */
  totalDiscount: string;
  customAttributes: AttributeRecord[];
}

export interface OrderRecord {
  id: Gid;
  /** "#1001" */
  name: string;
  createdAt: DateTimeString;
  /** Shop currency. */
  currencyCode: CurrencyCode;
  presentmentCurrencyCode: CurrencyCode;
  subtotalPrice: string;
  totalDiscounts: string;
  totalPrice: string;
  email: string | null;
  note: string | null;
  tags: string[];
  customAttributes: AttributeRecord[];
  lineItems: OrderLineItemRecord[];
  /** Set when the order was cancelled. */
  cancelledAt?: DateTimeString | null;
  /** Shopify's `displayFinancialStatus`; absent means PAID. */
  displayFinancialStatus?: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED";
  /** Discount codes the buyer used. */
  discountCodes?: string[];
}

export interface ThrottleBucket {
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
  currentlyAvailable: number;
  /** Clock time (ms) of the last refill computation. */
  updatedAtMs: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Everything that persists. */
export interface LocalShopData {
  version: 1;
  shop: ShopRecord;
  app: AppRecord;
  products: ProductRecord[];
  variants: VariantRecord[];
  collections: CollectionRecord[];
  metafields: MetafieldRecord[];
  metafieldDefinitions: MetafieldDefinitionRecord[];
  functions: ShopifyFunctionRecord[];
  automaticDiscounts: AutomaticAppDiscountRecord[];
  orders: OrderRecord[];
  /** Next numeric id per GID resource type. */
  sequences: Record<string, number>;
  /**
   * Hash of the seed the catalog came from. When a persisted file's differs from the
   * current seed's, the catalog (shop, app, products, variants, collections, functions) is
   * reloaded from the seed and everything written since (metafields, definitions,
   * discounts, orders) is kept.
   */
  seedFingerprint?: string;
  /** UTC day number (epoch days) of the seeded demo order history, when it has one. */
  orderHistoryDay?: number;
}

export type LocalShopEvent =
  | { topic: "orders/create"; order: OrderRecord }
  | { topic: "metafields/set"; metafields: MetafieldRecord[] }
  | { topic: "metafields/delete"; ids: Gid[] }
  | { topic: "discounts/create" | "discounts/update"; discount: AutomaticAppDiscountRecord }
  | { topic: "discounts/delete"; id: Gid }
  | { topic: "products/update"; product: ProductRecord }
  | { topic: "collections/update"; collection: CollectionRecord }
  | { topic: "bulk_operations/finish"; operation: { id: Gid; type: "QUERY" | "MUTATION"; status: string; errorCode: string | null; createdAt: string; completedAt: string | null } };

export interface LocalShopOptions {
  /** When set, state is loaded from this JSON file if present and saved after every write. */
  persistPath?: string;
  /** "demo" (default) seeds the demo catalog; "empty" leaves only the shop and the app. */
  seed?: "demo" | "empty";
  /** Clock in epoch ms (tests pass a fake one). Defaults to Date.now. */
  now?: () => number;
  /** Leaky-bucket settings of the Admin API double. Defaults: 2000 points, 100/s. */
  throttle?: { maximumAvailable?: number; restoreRate?: number };
  /**
   * Access tokens the Admin API accepts. Empty or unset: any non-empty token is accepted
   * (the app's offline local-shop session can use whatever it stores).
   */
  accessTokens?: string[];
  /** Seeds 60 days of demo orders ending today (./seed/orders.ts); demo catalog only. */
  orderHistory?: boolean;
}

export interface LocalShopState {
  data: LocalShopData;
  throttle: ThrottleBucket;
  readonly persistPath: string | null;
  readonly now: () => number;
  readonly accessTokens: readonly string[];
  readonly listeners: Set<(event: LocalShopEvent) => void>;
  /** A Shopify outage to rehearse (tests; POST /localshop/outage): while `adminApi` is
   *  true the Admin GraphQL API answers 503 Service Unavailable. Never persisted. */
  outage: { adminApi: boolean };
}

export interface UserError<Code extends string = string> {
  field: string[] | null;
  message: string;
  code: Code | null;
  /** Index into the input list (metafieldsSet), when relevant. */
  elementIndex?: number | null;
}

// ---------------------------------------------------------------------------------------
// Creation, persistence, events
// ---------------------------------------------------------------------------------------

export const DEFAULT_THROTTLE = { maximumAvailable: 2000, restoreRate: 100 } as const;

export function createLocalShop(options: LocalShopOptions = {}): LocalShopState {
  const now = options.now ?? Date.now;
  const persistPath = options.persistPath ?? null;
  const seed = buildSeedData({ withCatalog: options.seed !== "empty" });
  seed.seedFingerprint = seedFingerprint(seed);
  let data: LocalShopData | null = null;
  let refreshed = false;
  if (persistPath && existsSync(persistPath)) {
    try {
      const parsed = JSON.parse(readFileSync(persistPath, "utf8")) as LocalShopData;
      if (parsed && parsed.version === 1) data = parsed;
    } catch {
      data = null; // unreadable file: start from the seed and overwrite it
    }
    if (data && data.seedFingerprint !== seed.seedFingerprint) {
      data = {
        ...data,
        shop: seed.shop,
        app: seed.app,
        products: seed.products,
        variants: seed.variants,
        collections: seed.collections,
        functions: seed.functions,
        // The seed's own metafields (demo ratings, complementary products) come back;
        // everything written since stays.
        metafields: [...seed.metafields.filter((m) => !data!.metafields.some((d) => d.ownerId == m.ownerId && d.namespace == m.namespace && d.key == m.key)), ...data.metafields],
        seedFingerprint: seed.seedFingerprint,
      };
      refreshed = true;
    }
  }
  data ??= seed;
  if (options.orderHistory && options.seed !== "empty" && applyDemoOrderHistory(data, now())) refreshed = true;
  const maximumAvailable = options.throttle?.maximumAvailable ?? DEFAULT_THROTTLE.maximumAvailable;
  const state: LocalShopState = {
    data,
    throttle: {
      maximumAvailable,
      restoreRate: options.throttle?.restoreRate ?? DEFAULT_THROTTLE.restoreRate,
      currentlyAvailable: maximumAvailable,
      updatedAtMs: now(),
    },
    persistPath,
    now,
    accessTokens: options.accessTokens ?? [],
    listeners: new Set(),
    outage: { adminApi: false },
  };
  if (persistPath && (refreshed || !existsSync(persistPath))) persistState(state);
  return state;
}

function seedFingerprint(seed: LocalShopData): string {
  const catalog = [seed.shop, seed.app, seed.products, seed.variants, seed.collections, seed.functions, seed.metafields];
  return createHash("sha256").update(JSON.stringify(catalog)).digest("hex").slice(0, 16);
}

/** Writes the state to its persist path (atomically); no-op without one. */
export function persistState(state: LocalShopState): void {
  if (!state.persistPath) return;
  mkdirSync(dirname(state.persistPath), { recursive: true });
  const tmp = `${state.persistPath}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state.data, null, 2));
  renameSync(tmp, state.persistPath);
}

/** Subscribes to writes (e.g. to deliver webhooks). Returns the unsubscribe function. */
export function onLocalShopEvent(
  state: LocalShopState,
  listener: (event: LocalShopEvent) => void,
): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** Tells the listeners of something that is not stored (a bulk operation finishing). */
export function announce(state: LocalShopState, event: LocalShopEvent): void {
  for (const listener of state.listeners) listener(event);
}

function committed(state: LocalShopState, event: LocalShopEvent): void {
  persistState(state);
  announce(state, event);
}

/** Current clock time as a Shopify DateTime string (no milliseconds). */
export function nowIso(state: LocalShopState): DateTimeString {
  return toDateTimeString(state.now());
}

export function toDateTimeString(ms: number): DateTimeString {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function nextGid(state: LocalShopState, type: string, start: number): Gid {
  const n = state.data.sequences[type] ?? start;
  state.data.sequences[type] = n + 1;
  return `gid://shopify/${type}/${n}`;
}

/** The numeric tail of a GID (`gid://shopify/Product/1001` -> "1001"), or null. */
export function gidTail(gid: string): string | null {
  const m = /^gid:\/\/shopify\/[A-Za-z]+\/([^/?]+)/.exec(gid);
  return m ? m[1]! : null;
}

export function gidType(gid: string): string | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid);
  return m ? m[1]! : null;
}

// ---------------------------------------------------------------------------------------
// Shop, app, currencies, money
// ---------------------------------------------------------------------------------------

export function getShop(state: LocalShopState): ShopRecord {
  return state.data.shop;
}

export function getApp(state: LocalShopState): AppRecord {
  return state.data.app;
}

/** Rate from the shop currency to `currency` (1 for the shop currency), or null if not enabled. */
export function getCurrencyRate(state: LocalShopState, currency: CurrencyCode): number | null {
  const shop = state.data.shop;
  if (currency === shop.currencyCode) return 1;
  if (!shop.enabledPresentmentCurrencies.includes(currency)) return null;
  return shop.currencyRates[currency] ?? null;
}

const ZERO_DECIMAL_CURRENCIES = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX"]);

/** Minor-unit exponent of a currency (2 for USD/EUR, 0 for JPY/KRW). */
export function currencyDecimals(currency: CurrencyCode): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
}

/** "699.00" -> 69900 (USD); "1380" -> 1380 (KRW). Exact: no float multiplication. */
export function amountToMinorUnits(amount: string, currency: CurrencyCode): number {
  const decimals = currencyDecimals(currency);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new Error(`Not a decimal amount: ${amount}`);
  const fraction = (m[3] ?? "").padEnd(decimals, "0");
  const kept = fraction.slice(0, decimals);
  const rest = fraction.slice(decimals);
  let units = Number(m[2]) * 10 ** decimals + (kept ? Number(kept) : 0);
  if (rest && rest[0]! >= "5") units += 1; // half-up on the first dropped digit
  return m[1] ? -units : units;
}

/** 69900 -> "699.00" (USD); 1380 -> "1380" (KRW)... Admin API Money keeps two decimals for USD. */
export function minorUnitsToAmount(units: number, currency: CurrencyCode): string {
  const decimals = currencyDecimals(currency);
  if (!Number.isInteger(units)) throw new Error(`Minor units must be an integer: ${units}`);
  const sign = units < 0 ? "-" : "";
  const abs = Math.abs(units);
  if (decimals === 0) return `${sign}${abs}.0`;
  const whole = Math.floor(abs / 10 ** decimals);
  const frac = String(abs % 10 ** decimals).padStart(decimals, "0");
  return `${sign}${whole}.${frac}`;
}

/**
 * Converts a shop-currency amount into `currency` at the shop's rate, rounded to the
 * currency's minor unit (no Markets rounding rules). Null if the currency is not enabled.
 */
export function convertFromShopCurrency(
  state: LocalShopState,
  amount: string,
  currency: CurrencyCode,
): string | null {
  const rate = getCurrencyRate(state, currency);
  if (rate === null) return null;
  const shopCurrency = state.data.shop.currencyCode;
  const shopUnits = amountToMinorUnits(amount, shopCurrency);
  const scale = 10 ** (currencyDecimals(currency) - currencyDecimals(shopCurrency));
  return minorUnitsToAmount(Math.round(shopUnits * rate * scale), currency);
}

// ---------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------

export function listProducts(
  state: LocalShopState,
  filter: { status?: ProductStatus | ProductStatus[] } = {},
): ProductRecord[] {
  const statuses = filter.status === undefined ? null : ([] as ProductStatus[]).concat(filter.status);
  return statuses ? state.data.products.filter((p) => statuses.includes(p.status)) : state.data.products;
}

export function getProduct(state: LocalShopState, id: Gid): ProductRecord | null {
  return state.data.products.find((p) => p.id === id) ?? null;
}

export function getProductByHandle(state: LocalShopState, handle: string): ProductRecord | null {
  return state.data.products.find((p) => p.handle === handle) ?? null;
}

/**
 * The merchant edits a product's tags in Shopify's admin (Shopify keeps them trimmed,
 * without duplicates, at most 250 of at most 255 characters each): the product is updated
 * and `products/update` is announced, as Shopify sends that webhook after any product edit.
 */
export function setProductTags(state: LocalShopState, id: Gid, tags: string[]): ProductRecord {
  const product = getProduct(state, id);
  if (!product) throw new Error(`No product ${id}`);
  const clean: string[] = [];
  for (const raw of tags) {
    const tag = String(raw).trim();
    if (!tag) continue;
    if (tag.length > 255) throw new Error(`A tag is at most 255 characters (got ${tag.length})`);
    if (!clean.some((t) => t.toLowerCase() === tag.toLowerCase())) clean.push(tag);
  }
  if (clean.length > 250) throw new Error(`A product has at most 250 tags (got ${clean.length})`);
  product.tags = clean;
  product.updatedAt = nowIso(state);
  committed(state, { topic: "products/update", product });
  return product;
}

export function listVariants(state: LocalShopState): VariantRecord[] {
  return state.data.variants;
}

export function getVariant(state: LocalShopState, id: Gid): VariantRecord | null {
  return state.data.variants.find((v) => v.id === id) ?? null;
}

export function getProductVariants(state: LocalShopState, productId: Gid): VariantRecord[] {
  const product = getProduct(state, productId);
  if (!product) return [];
  return product.variantIds.map((id) => getVariant(state, id)).filter((v): v is VariantRecord => !!v);
}

/** Shopify's rule: sellable if in stock, or inventory policy CONTINUE; product must be ACTIVE. */
export function isVariantAvailableForSale(state: LocalShopState, variant: VariantRecord): boolean {
  const product = getProduct(state, variant.productId);
  if (!product || product.status !== "ACTIVE") return false;
  return variant.inventoryQuantity > 0 || variant.inventoryPolicy === "CONTINUE";
}

export function getProductTotalInventory(state: LocalShopState, productId: Gid): number {
  return getProductVariants(state, productId).reduce((sum, v) => sum + v.inventoryQuantity, 0);
}

/** Min and max variant price of a product, as decimal strings in the shop currency. */
export function getProductPriceRange(
  state: LocalShopState,
  productId: Gid,
): { min: string; max: string } | null {
  const currency = state.data.shop.currencyCode;
  const prices = getProductVariants(state, productId).map((v) => amountToMinorUnits(v.price, currency));
  if (prices.length === 0) return null;
  return {
    min: minorUnitsToAmount(Math.min(...prices), currency),
    max: minorUnitsToAmount(Math.max(...prices), currency),
  };
}

export function getImage(state: LocalShopState, imageId: Gid): ImageRecord | null {
  for (const p of state.data.products) {
    const image = p.images.find((i) => i.id === imageId);
    if (image) return image;
  }
  return null;
}

/** The variant's own image, else its product's featured image. */
export function getVariantDisplayImage(state: LocalShopState, variant: VariantRecord): ImageRecord | null {
  if (variant.imageId) return getImage(state, variant.imageId);
  return getProduct(state, variant.productId)?.images[0] ?? null;
}

/** Sets a variant's stock (the local checkout decrements it). */
export function setVariantInventory(state: LocalShopState, variantId: Gid, quantity: number): VariantRecord {
  const variant = getVariant(state, variantId);
  if (!variant) throw new Error(`No variant ${variantId}`);
  variant.inventoryQuantity = quantity;
  variant.updatedAt = nowIso(state);
  persistState(state);
  return variant;
}

export function listCollections(state: LocalShopState): CollectionRecord[] {
  return state.data.collections;
}

export function getCollection(state: LocalShopState, id: Gid): CollectionRecord | null {
  return state.data.collections.find((c) => c.id === id) ?? null;
}

export function getCollectionByHandle(state: LocalShopState, handle: string): CollectionRecord | null {
  return state.data.collections.find((c) => c.handle === handle) ?? null;
}

/**
 * The merchant adds a product to a manual collection (or takes it out) in Shopify's admin.
 * From the collection's page Shopify sends `collections/update`; from the product's page it
 * sends `products/update` (the product's payload says nothing of its collections).
 */
export function setInCollection(state: LocalShopState, collectionId: Gid, productId: Gid, member: boolean, via: "collection" | "product" = "collection"): CollectionRecord {
  const collection = getCollection(state, collectionId);
  const product = getProduct(state, productId);
  if (!collection) throw new Error(`No collection ${collectionId}`);
  if (!product) throw new Error(`No product ${productId}`);
  const has = collection.productIds.includes(productId);
  if (member && !has) collection.productIds.push(productId);
  if (!member && has) collection.productIds = collection.productIds.filter((id) => id !== productId);
  const at = nowIso(state);
  collection.updatedAt = at;
  if (via === "product") {
    product.updatedAt = at;
    committed(state, { topic: "products/update", product });
  } else committed(state, { topic: "collections/update", collection });
  return collection;
}

export function getCollectionProducts(state: LocalShopState, collectionId: Gid): ProductRecord[] {
  const collection = getCollection(state, collectionId);
  if (!collection) return [];
  return collection.productIds.map((id) => getProduct(state, id)).filter((p): p is ProductRecord => !!p);
}

export function getProductCollections(state: LocalShopState, productId: Gid): CollectionRecord[] {
  return state.data.collections.filter((c) => c.productIds.includes(productId));
}

// ---------------------------------------------------------------------------------------
// Metafields
// ---------------------------------------------------------------------------------------

/** Metafield types the double validates and stores. */
export const SUPPORTED_METAFIELD_TYPES = [
  "json",
  "single_line_text_field",
  "multi_line_text_field",
  "number_integer",
  "number_decimal",
  "boolean",
  "url",
  "date",
  "date_time",
  "product_reference",
  "list.product_reference",
] as const;

/** Items a list metafield holds at most (Shopify's metafield limits: every list type but metaobject references). */
export const METAFIELD_LIST_MAX_ITEMS = 128;

/** Documented size limits (bytes): json 128 KB for API 2026-04+, url 2 KB, others 64 KB. */
export const METAFIELD_VALUE_LIMITS: Record<string, number> = {
  json: 128 * 1024,
  url: 2 * 1024,
  default: 64 * 1024,
};

export const METAFIELDS_SET_MAX_INPUTS = 25;

export interface MetafieldsSetInput {
  ownerId: Gid;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
  /**
   * Omitted (`undefined`): no write guarantee. A string: the write happens only if the
   * stored metafield's digest matches. `null`: only if the metafield does not exist yet.
   */
  compareDigest?: string | null;
}

export type MetafieldsSetUserErrorCode =
  | "APP_NOT_AUTHORIZED"
  | "BLANK"
  | "CAPABILITY_VIOLATION"
  | "INCLUSION"
  | "INTERNAL_ERROR"
  | "INVALID"
  | "INVALID_COMPARE_DIGEST"
  | "INVALID_TYPE"
  | "INVALID_VALUE"
  | "LESS_THAN_OR_EQUAL_TO"
  | "PRESENT"
  | "STALE_OBJECT"
  | "TAKEN"
  | "TOO_LONG"
  | "TOO_SHORT";

/** The app-reserved namespace of this app (`app--7001`). */
export function appNamespace(state: LocalShopState): string {
  return `app--${gidTail(state.data.app.id)}`;
}

/**
 * Resolves `$app` / `$app:suffix` to the app-reserved namespace (`app--7001`,
 * `app--7001--suffix`); other namespaces are returned unchanged. An omitted namespace
 * means `$app`, as in metafieldsSet since 2024-xx.
 */
export function resolveMetafieldNamespace(state: LocalShopState, namespace: string | null | undefined): string {
  const ns = namespace ?? "$app";
  if (ns === "$app") return appNamespace(state);
  if (ns.startsWith("$app:")) return `${appNamespace(state)}--${ns.slice("$app:".length)}`;
  return ns;
}

/** Digest of a stored value, for compare-and-set (`compareDigest`). */
export function metafieldDigest(metafield: Pick<MetafieldRecord, "type" | "value">): string {
  return createHash("sha256").update(`${metafield.type}\u0000${metafield.value}`).digest("hex");
}

/** The owner type of an id, or null if no such owner exists in the shop. */
export function metafieldOwnerType(state: LocalShopState, ownerId: Gid): MetafieldOwnerType | null {
  const d = state.data;
  if (ownerId === d.shop.id) return "SHOP";
  if (ownerId === d.app.installationId) return "API_PERMISSION"; // Shopify's owner type of app-installation metafields
  switch (gidType(ownerId)) {
    case "Product":
      return getProduct(state, ownerId) ? "PRODUCT" : null;
    case "ProductVariant":
      return getVariant(state, ownerId) ? "PRODUCTVARIANT" : null;
    case "Collection":
      return getCollection(state, ownerId) ? "COLLECTION" : null;
    case "DiscountAutomaticNode":
      return getAutomaticDiscount(state, ownerId) ? "DISCOUNT" : null;
    case "Order":
      return getOrder(state, ownerId) ? "ORDER" : null;
    default:
      return null;
  }
}

export function getMetafield(
  state: LocalShopState,
  ownerId: Gid,
  namespace: string | null | undefined,
  key: string,
): MetafieldRecord | null {
  const ns = resolveMetafieldNamespace(state, namespace);
  return state.data.metafields.find((m) => m.ownerId === ownerId && m.namespace === ns && m.key === key) ?? null;
}

export function getMetafieldById(state: LocalShopState, id: Gid): MetafieldRecord | null {
  return state.data.metafields.find((m) => m.id === id) ?? null;
}

/** An owner's metafields, optionally in one namespace (`$app` allowed), in creation order. */
export function listMetafields(
  state: LocalShopState,
  ownerId: Gid,
  namespace?: string | null,
): MetafieldRecord[] {
  const ns = namespace === undefined || namespace === null ? null : resolveMetafieldNamespace(state, namespace);
  return state.data.metafields.filter((m) => m.ownerId === ownerId && (ns === null || m.namespace === ns));
}

/** Parsed value of a json metafield, or null when it is missing or not valid JSON. */
export function getMetafieldJson<T = unknown>(
  state: LocalShopState,
  ownerId: Gid,
  namespace: string | null | undefined,
  key: string,
): T | null {
  const m = getMetafield(state, ownerId, namespace, key);
  if (!m) return null;
  try {
    return JSON.parse(m.value) as T;
  } catch {
    return null;
  }
}

const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d+$/;

/** A product reference must name a product of this shop (Shopify refuses the write otherwise). */
function validateProductReference(state: LocalShopState, ref: unknown): string | null {
  if (typeof ref !== "string" || !PRODUCT_GID.test(ref)) return "Value must be a product reference (gid://shopify/Product/<id>).";
  return getProduct(state, ref) ? null : `Value references a product that does not exist: ${ref}.`;
}

function validateMetafieldValue(state: LocalShopState, type: string, value: string): string | null {
  switch (type) {
    case "product_reference":
      return validateProductReference(state, value);
    case "list.product_reference": {
      let refs: unknown;
      try {
        refs = JSON.parse(value);
      } catch {
        return "Value must be a JSON array of product references.";
      }
      if (!Array.isArray(refs)) return "Value must be a JSON array of product references.";
      if (refs.length > METAFIELD_LIST_MAX_ITEMS) return `Value has too many items (maximum is ${METAFIELD_LIST_MAX_ITEMS}).`;
      for (const ref of refs) {
        const problem = validateProductReference(state, ref);
        if (problem) return problem;
      }
      return null;
    }
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch (e) {
        return `Value is invalid JSON: ${(e as Error).message}.`;
      }
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? "Value must be a single line text string." : null;
    case "multi_line_text_field":
      return null;
    case "number_integer":
      return /^[-+]?\d+$/.test(value.trim()) && Math.abs(Number(value)) <= Number.MAX_SAFE_INTEGER
        ? null
        : "Value must be an integer.";
    case "number_decimal":
      return /^[-+]?\d+(\.\d+)?$/.test(value.trim()) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "url":
      return /^(https?|mailto|sms|tel):/i.test(value) ? null : "Value must be a valid URL.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return Number.isNaN(Date.parse(value)) ? "Value must be in ISO 8601 date and time format." : null;
    default:
      return null;
  }
}

function validateMetafieldInput(
  state: LocalShopState,
  input: MetafieldsSetInput,
  index: number,
  fieldRoot: string,
): { errors: UserError<MetafieldsSetUserErrorCode>[]; namespace: string; type: string; ownerType: MetafieldOwnerType | null } {
  const errors: UserError<MetafieldsSetUserErrorCode>[] = [];
  const field = (name: string) => [fieldRoot, String(index), name];
  const err = (name: string, message: string, code: MetafieldsSetUserErrorCode) =>
    errors.push({ field: field(name), message, code, elementIndex: index });

  const ownerType = metafieldOwnerType(state, input.ownerId);
  if (!ownerType) err("ownerId", "Owner does not exist.", "INVALID");

  const rawNs = input.namespace;
  const namespace = resolveMetafieldNamespace(state, rawNs);
  if (/^app--/.test(namespace) && !namespace.startsWith(appNamespace(state))) {
    err("namespace", "Access to this namespace was denied.", "APP_NOT_AUTHORIZED");
  } else if (rawNs !== null && rawNs !== undefined && !rawNs.startsWith("$app")) {
    if (rawNs.length < 2) err("namespace", "Namespace is too short (minimum is 2 characters)", "TOO_SHORT");
    else if (rawNs.length > 255) err("namespace", "Namespace is too long (maximum is 255 characters)", "TOO_LONG");
    else if (!/^[A-Za-z0-9_-]+$/.test(rawNs))
      err("namespace", "Namespace contains one or more invalid characters.", "INVALID");
  }

  const key = input.key ?? "";
  if (key.length < 2) err("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  else if (key.length > 64) err("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
  else if (!/^[A-Za-z0-9_-]+$/.test(key)) err("key", "Key contains one or more invalid characters.", "INVALID");

  const definition = ownerType
    ? state.data.metafieldDefinitions.find(
        (d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key,
      )
    : undefined;
  const existing = state.data.metafields.find(
    (m) => m.ownerId === input.ownerId && m.namespace === namespace && m.key === key,
  );
  const type = input.type ?? definition?.type ?? existing?.type ?? "";
  if (!type) {
    err("type", "Type can't be blank", "BLANK");
  } else if (!(SUPPORTED_METAFIELD_TYPES as readonly string[]).includes(type)) {
    err("type", `Type '${type}' is not a valid type.`, "INVALID_TYPE");
  } else if (definition && definition.type !== type) {
    err("type", `Type '${type}' must be consistent with the definition's type: '${definition.type}'.`, "INVALID_TYPE");
  }

  const value = input.value;
  if (typeof value !== "string") {
    err("value", "Value can't be blank", "BLANK");
  } else if (type && errors.every((e) => e.code !== "INVALID_TYPE")) {
    const limit = METAFIELD_VALUE_LIMITS[type] ?? METAFIELD_VALUE_LIMITS.default!;
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > limit) {
      err("value", `Value is too long (maximum is ${limit} bytes).`, "TOO_LONG");
    } else {
      const problem = validateMetafieldValue(state, type, value);
      if (problem) err("value", problem, "INVALID_VALUE");
    }
  }

  if (input.compareDigest !== undefined) {
    if (input.compareDigest !== null && !/^[0-9a-f]{64}$/.test(input.compareDigest)) {
      err("compareDigest", "The compareDigest is invalid.", "INVALID_COMPARE_DIGEST");
    } else if (input.compareDigest === null) {
      if (existing) {
        err("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
      }
    } else if (!existing || metafieldDigest(existing) !== input.compareDigest) {
      err("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
    }
  }
  return { errors, namespace, type, ownerType };
}

/**
 * Shopify's `metafieldsSet`: creates or updates up to 25 metafields atomically. Returns the
 * written metafields, or `[]` with userErrors (nothing written) when any input fails.
 */
export function setMetafields(
  state: LocalShopState,
  inputs: MetafieldsSetInput[],
): { metafields: MetafieldRecord[]; userErrors: UserError<MetafieldsSetUserErrorCode>[] } {
  if (inputs.length > METAFIELDS_SET_MAX_INPUTS) {
    return {
      metafields: [],
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_MAX_INPUTS}.`,
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  }
  const checked = inputs.map((input, i) => ({ input, ...validateMetafieldInput(state, input, i, "metafields") }));
  const userErrors = checked.flatMap((c) => c.errors);
  // The same owner/namespace/key twice in one call is ambiguous.
  const seen = new Map<string, number>();
  checked.forEach((c, i) => {
    const k = `${c.input.ownerId}\u0000${c.namespace}\u0000${c.input.key}`;
    if (seen.has(k)) {
      userErrors.push({
        field: ["metafields", String(i), "key"],
        message: "The same metafield is set more than once in this request.",
        code: "TAKEN",
        elementIndex: i,
      });
    }
    seen.set(k, i);
  });
  if (userErrors.length > 0) return { metafields: [], userErrors };

  const ts = nowIso(state);
  const written = checked.map((c) => {
    const existing = state.data.metafields.find(
      (m) => m.ownerId === c.input.ownerId && m.namespace === c.namespace && m.key === c.input.key,
    );
    if (existing) {
      existing.value = c.input.value;
      existing.type = c.type;
      existing.updatedAt = ts;
      return existing;
    }
    const created: MetafieldRecord = {
      id: nextGid(state, "Metafield", 50001),
      ownerId: c.input.ownerId,
      ownerType: c.ownerType!,
      namespace: c.namespace,
      key: c.input.key,
      type: c.type,
      value: c.input.value,
      createdAt: ts,
      updatedAt: ts,
    };
    state.data.metafields.push(created);
    return created;
  });
  committed(state, { topic: "metafields/set", metafields: written });
  return { metafields: written, userErrors: [] };
}

export interface MetafieldIdentifierInput {
  ownerId: Gid;
  namespace: string;
  key: string;
}

/**
 * Shopify's `metafieldsDelete`: deletes by owner/namespace/key. Each identifier maps to
 * the deleted identifier (resolved namespace) or null when nothing matched.
 */
export function deleteMetafields(
  state: LocalShopState,
  identifiers: MetafieldIdentifierInput[],
): { deletedMetafields: (MetafieldIdentifierInput | null)[]; userErrors: UserError[] } {
  const userErrors: UserError[] = [];
  identifiers.forEach((id, i) => {
    if (!metafieldOwnerType(state, id.ownerId)) {
      userErrors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist.", code: "INVALID" });
    }
  });
  if (userErrors.length > 0) return { deletedMetafields: [], userErrors };
  const deletedIds: Gid[] = [];
  const deletedMetafields = identifiers.map((id) => {
    const m = getMetafield(state, id.ownerId, id.namespace, id.key);
    if (!m) return null;
    state.data.metafields = state.data.metafields.filter((x) => x !== m);
    deletedIds.push(m.id);
    return { ownerId: m.ownerId, namespace: m.namespace, key: m.key };
  });
  if (deletedIds.length > 0) committed(state, { topic: "metafields/delete", ids: deletedIds });
  return { deletedMetafields, userErrors: [] };
}

export interface MetafieldDefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: MetafieldOwnerType;
  description?: string | null;
}

export type MetafieldDefinitionCreateUserErrorCode =
  | "BLANK"
  | "INCLUSION"
  | "INVALID"
  | "TAKEN"
  | "TOO_LONG"
  | "TOO_SHORT"
  | "UNSTRUCTURED_ALREADY_EXISTS";

export function listMetafieldDefinitions(
  state: LocalShopState,
  filter: { ownerType?: MetafieldOwnerType; namespace?: string | null } = {},
): MetafieldDefinitionRecord[] {
  const ns = filter.namespace ? resolveMetafieldNamespace(state, filter.namespace) : null;
  return state.data.metafieldDefinitions.filter(
    (d) => (!filter.ownerType || d.ownerType === filter.ownerType) && (!ns || d.namespace === ns),
  );
}

/** Minimal `metafieldDefinitionCreate`. */
export function createMetafieldDefinition(
  state: LocalShopState,
  input: MetafieldDefinitionInput,
): { createdDefinition: MetafieldDefinitionRecord | null; userErrors: UserError<MetafieldDefinitionCreateUserErrorCode>[] } {
  const userErrors: UserError<MetafieldDefinitionCreateUserErrorCode>[] = [];
  const namespace = resolveMetafieldNamespace(state, input.namespace);
  if (!input.name?.trim()) userErrors.push({ field: ["definition", "name"], message: "Name can't be blank", code: "BLANK" });
  if (!input.key || input.key.length < 2)
    userErrors.push({ field: ["definition", "key"], message: "Key is too short (minimum is 2 characters)", code: "TOO_SHORT" });
  if (!(SUPPORTED_METAFIELD_TYPES as readonly string[]).includes(input.type))
    userErrors.push({ field: ["definition", "type"], message: "Type name is not a valid type.", code: "INCLUSION" });
  if (
    state.data.metafieldDefinitions.some(
      (d) => d.ownerType === input.ownerType && d.namespace === namespace && d.key === input.key,
    )
  ) {
    userErrors.push({ field: ["definition", "key"], message: "Key is in use for this owner type and namespace.", code: "TAKEN" });
  }
  if (userErrors.length > 0) return { createdDefinition: null, userErrors };
  const created: MetafieldDefinitionRecord = {
    id: nextGid(state, "MetafieldDefinition", 60001),
    name: input.name,
    namespace,
    key: input.key,
    type: input.type,
    ownerType: input.ownerType,
    description: input.description ?? null,
    createdAt: nowIso(state),
  };
  state.data.metafieldDefinitions.push(created);
  persistState(state);
  return { createdDefinition: created, userErrors: [] };
}

// ---------------------------------------------------------------------------------------
// Shopify Functions and automatic app discounts
// ---------------------------------------------------------------------------------------

export function listFunctions(state: LocalShopState): ShopifyFunctionRecord[] {
  return state.data.functions;
}

/** Finds a function by id or by handle. */
export function findFunction(
  state: LocalShopState,
  ref: { id?: string | null; handle?: string | null },
): ShopifyFunctionRecord | null {
  return (
    state.data.functions.find((f) => (ref.id && f.id === ref.id) || (ref.handle && f.handle === ref.handle)) ?? null
  );
}

/** Registers (or replaces by handle) a function, as deploying an extension would. */
export function registerFunction(state: LocalShopState, fn: ShopifyFunctionRecord): ShopifyFunctionRecord {
  state.data.functions = state.data.functions.filter((f) => f.handle !== fn.handle && f.id !== fn.id);
  state.data.functions.push(fn);
  persistState(state);
  return fn;
}

export interface AutomaticAppDiscountInput {
  title?: string | null;
  functionId?: string | null;
  functionHandle?: string | null;
  startsAt?: DateTimeString | null;
  endsAt?: DateTimeString | null;
  combinesWith?: Partial<CombinesWith> | null;
  discountClasses?: DiscountClass[] | null;
  appliesOnOneTimePurchase?: boolean | null;
  appliesOnSubscription?: boolean | null;
  /** Metafields on the discount (its function configuration); ownerId is implied. */
  metafields?: Omit<MetafieldsSetInput, "ownerId" | "compareDigest">[] | null;
}

export type DiscountErrorCode =
  | "BLANK"
  | "INVALID"
  | "TOO_LONG"
  | "PRESENT"
  | "TAKEN"
  | "EXCEEDED_MAX"
  | "MISSING_ARGUMENT"
  | "INTERNAL_ERROR";

export function listAutomaticDiscounts(state: LocalShopState): AutomaticAppDiscountRecord[] {
  return state.data.automaticDiscounts;
}

export function getAutomaticDiscount(state: LocalShopState, id: Gid): AutomaticAppDiscountRecord | null {
  return state.data.automaticDiscounts.find((d) => d.id === id) ?? null;
}

export function getDiscountStatus(
  discount: Pick<AutomaticAppDiscountRecord, "startsAt" | "endsAt">,
  atMs: number,
): DiscountStatus {
  if (Date.parse(discount.startsAt) > atMs) return "SCHEDULED";
  if (discount.endsAt && Date.parse(discount.endsAt) <= atMs) return "EXPIRED";
  return "ACTIVE";
}

/** Discounts active now (the local checkout runs their functions). */
export function listActiveAutomaticDiscounts(state: LocalShopState): AutomaticAppDiscountRecord[] {
  const at = state.now();
  return state.data.automaticDiscounts.filter((d) => getDiscountStatus(d, at) === "ACTIVE");
}

const ALL_DISCOUNT_CLASSES: DiscountClass[] = ["ORDER", "PRODUCT", "SHIPPING"];
const TITLE_MAX = 255;

function validateDiscountInput(
  state: LocalShopState,
  input: AutomaticAppDiscountInput,
  mode: "create" | "update",
  existing: AutomaticAppDiscountRecord | null,
): { errors: UserError<DiscountErrorCode>[]; fn: ShopifyFunctionRecord | null } {
  const errors: UserError<DiscountErrorCode>[] = [];
  const root = "automaticAppDiscount";
  let fn: ShopifyFunctionRecord | null = null;
  if (mode === "create" || input.title !== undefined) {
    if (!input.title?.trim()) errors.push({ field: [root, "title"], message: "Title can't be blank", code: "BLANK" });
    else if (input.title.length > TITLE_MAX)
      errors.push({ field: [root, "title"], message: `Title is too long (maximum is ${TITLE_MAX} characters)`, code: "TOO_LONG" });
  }
  if (input.functionId && input.functionHandle) {
    errors.push({
      field: [root, "functionHandle"],
      message: "Only one of functionId or functionHandle is allowed.",
      code: "INVALID",
    });
  } else if (input.functionId || input.functionHandle) {
    fn = findFunction(state, { id: input.functionId, handle: input.functionHandle });
    const fieldName = input.functionId ? "functionId" : "functionHandle";
    if (!fn || fn.apiType !== "discount") {
      errors.push({ field: [root, fieldName], message: "Function not found.", code: "INVALID" });
      fn = null;
    } else if (existing && existing.functionId !== fn.id) {
      errors.push({ field: [root, fieldName], message: "Function can't be changed.", code: "INVALID" });
    }
  } else if (mode === "create") {
    errors.push({
      field: [root, "functionHandle"],
      message: "Either functionId or functionHandle must be provided.",
      code: "MISSING_ARGUMENT",
    });
  }
  for (const name of ["startsAt", "endsAt"] as const) {
    const v = input[name];
    if (v !== undefined && v !== null && Number.isNaN(Date.parse(v))) {
      errors.push({ field: [root, name], message: `${name === "startsAt" ? "Starts at" : "Ends at"} is invalid`, code: "INVALID" });
    }
  }
  const startsAt = input.startsAt ?? existing?.startsAt ?? null;
  const endsAt = input.endsAt === undefined ? existing?.endsAt ?? null : input.endsAt;
  if (startsAt && endsAt && !Number.isNaN(Date.parse(startsAt)) && Date.parse(endsAt) <= Date.parse(startsAt)) {
    errors.push({ field: [root, "endsAt"], message: "Ends at needs to be after starts_at", code: "INVALID" });
  }
  if (input.discountClasses) {
    if (input.discountClasses.length === 0)
      errors.push({ field: [root, "discountClasses"], message: "Discount classes can't be blank", code: "BLANK" });
    for (const c of input.discountClasses) {
      if (!ALL_DISCOUNT_CLASSES.includes(c))
        errors.push({ field: [root, "discountClasses"], message: `Discount class ${c} is invalid`, code: "INVALID" });
    }
  }
  return { errors, fn };
}

function discountMetafieldErrors(
  state: LocalShopState,
  metafields: AutomaticAppDiscountInput["metafields"],
): UserError<DiscountErrorCode>[] {
  if (!metafields) return [];
  return metafields.flatMap((m, i) => {
    // Validate as if the owner existed: the discount is created in the same write.
    const probe = validateMetafieldInput(
      state,
      { ...m, ownerId: state.data.shop.id },
      i,
      "metafields",
    ).errors.filter((e) => e.field?.[2] !== "ownerId" && e.code !== "STALE_OBJECT");
    return probe.map((e) => ({
      field: ["automaticAppDiscount", ...(e.field ?? [])],
      message: e.message,
      code: (e.code === "TOO_LONG" ? "TOO_LONG" : e.code === "BLANK" ? "BLANK" : "INVALID") as DiscountErrorCode,
    }));
  });
}

function writeDiscountMetafields(
  state: LocalShopState,
  ownerId: Gid,
  metafields: AutomaticAppDiscountInput["metafields"],
): void {
  if (!metafields || metafields.length === 0) return;
  const ts = nowIso(state);
  for (const m of metafields) {
    const namespace = resolveMetafieldNamespace(state, m.namespace);
    const existing = state.data.metafields.find(
      (x) => x.ownerId === ownerId && x.namespace === namespace && x.key === m.key,
    );
    const type = m.type ?? existing?.type ?? "json";
    if (existing) {
      existing.value = m.value;
      existing.type = type;
      existing.updatedAt = ts;
    } else {
      state.data.metafields.push({
        id: nextGid(state, "Metafield", 50001),
        ownerId,
        ownerType: "DISCOUNT",
        namespace,
        key: m.key,
        type,
        value: m.value,
        createdAt: ts,
        updatedAt: ts,
      });
    }
  }
}

/** Shopify's `discountAutomaticAppCreate`. */
export function createAutomaticAppDiscount(
  state: LocalShopState,
  input: AutomaticAppDiscountInput,
): { discount: AutomaticAppDiscountRecord | null; userErrors: UserError<DiscountErrorCode>[] } {
  const { errors, fn } = validateDiscountInput(state, input, "create", null);
  errors.push(...discountMetafieldErrors(state, input.metafields));
  if (!input.startsAt && errors.length === 0) {
    // Shopify requires startsAt for automatic app discounts.
    errors.push({ field: ["automaticAppDiscount", "startsAt"], message: "Starts at can't be blank", code: "BLANK" });
  }
  if (errors.length > 0 || !fn) return { discount: null, userErrors: errors };
  const ts = nowIso(state);
  const discount: AutomaticAppDiscountRecord = {
    id: nextGid(state, "DiscountAutomaticNode", 70001),
    title: input.title!.trim(),
    functionId: fn.id,
    startsAt: toDateTimeString(Date.parse(input.startsAt!)),
    endsAt: input.endsAt ? toDateTimeString(Date.parse(input.endsAt)) : null,
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    discountClasses: input.discountClasses?.length ? [...input.discountClasses] : ["PRODUCT"],
    appliesOnOneTimePurchase: input.appliesOnOneTimePurchase ?? true,
    appliesOnSubscription: input.appliesOnSubscription ?? false,
    createdAt: ts,
    updatedAt: ts,
  };
  state.data.automaticDiscounts.push(discount);
  writeDiscountMetafields(state, discount.id, input.metafields);
  committed(state, { topic: "discounts/create", discount });
  return { discount, userErrors: [] };
}

/** Shopify's `discountAutomaticAppUpdate`: only the given fields change. */
export function updateAutomaticAppDiscount(
  state: LocalShopState,
  id: Gid,
  input: AutomaticAppDiscountInput,
): { discount: AutomaticAppDiscountRecord | null; userErrors: UserError<DiscountErrorCode>[] } {
  const existing = getAutomaticDiscount(state, id);
  if (!existing) {
    return { discount: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }] };
  }
  const { errors } = validateDiscountInput(state, input, "update", existing);
  errors.push(...discountMetafieldErrors(state, input.metafields));
  if (errors.length > 0) return { discount: null, userErrors: errors };
  if (input.title !== undefined && input.title !== null) existing.title = input.title.trim();
  if (input.startsAt) existing.startsAt = toDateTimeString(Date.parse(input.startsAt));
  if (input.endsAt !== undefined) existing.endsAt = input.endsAt ? toDateTimeString(Date.parse(input.endsAt)) : null;
  if (input.combinesWith) existing.combinesWith = { ...existing.combinesWith, ...stripNullish(input.combinesWith) };
  if (input.discountClasses) existing.discountClasses = [...input.discountClasses];
  if (typeof input.appliesOnOneTimePurchase === "boolean") existing.appliesOnOneTimePurchase = input.appliesOnOneTimePurchase;
  if (typeof input.appliesOnSubscription === "boolean") existing.appliesOnSubscription = input.appliesOnSubscription;
  existing.updatedAt = nowIso(state);
  writeDiscountMetafields(state, id, input.metafields);
  committed(state, { topic: "discounts/update", discount: existing });
  return { discount: existing, userErrors: [] };
}

/** Shopify's `discountAutomaticDelete`; also deletes the discount's metafields. */
export function deleteAutomaticDiscount(
  state: LocalShopState,
  id: Gid,
): { deletedAutomaticDiscountId: Gid | null; userErrors: UserError<DiscountErrorCode>[] } {
  if (!getAutomaticDiscount(state, id)) {
    return { deletedAutomaticDiscountId: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }] };
  }
  state.data.automaticDiscounts = state.data.automaticDiscounts.filter((d) => d.id !== id);
  state.data.metafields = state.data.metafields.filter((m) => m.ownerId !== id);
  committed(state, { topic: "discounts/delete", id });
  return { deletedAutomaticDiscountId: id, userErrors: [] };
}

function stripNullish<T extends object>(o: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<{
    [K in keyof T]: NonNullable<T[K]>;
  }>;
}

// ---------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------

export interface NewOrderLineInput {
  variantId: Gid;
  quantity: number;
  /** Unit price in the shop currency; defaults to the variant's price. */
  price?: string;
  /** Total discount on the line in the shop currency; defaults to "0.00". */
  discount?: string;
  customAttributes?: AttributeRecord[];
}

export interface NewOrderInput {
  lineItems: NewOrderLineInput[];
  presentmentCurrencyCode?: CurrencyCode;
  createdAt?: DateTimeString;
  email?: string | null;
  note?: string | null;
  tags?: string[];
  customAttributes?: AttributeRecord[];
  discountCodes?: string[];
}

/**
 * Records an order (what checkout completion would create) and emits `orders/create`.
 * Amounts are in the shop currency. Throws on unknown variants or bad quantities: this is
 * a test and demo helper, not an API surface.
 */
export function addOrder(state: LocalShopState, input: NewOrderInput): OrderRecord {
  const currency = state.data.shop.currencyCode;
  if (input.lineItems.length === 0) throw new Error("An order needs at least one line item");
  let subtotal = 0;
  let discounts = 0;
  const lineItems = input.lineItems.map((line) => {
    const variant = getVariant(state, line.variantId);
    if (!variant) throw new Error(`No variant ${line.variantId}`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new Error(`Bad quantity ${line.quantity}`);
    const product = getProduct(state, variant.productId)!;
    const unit = amountToMinorUnits(line.price ?? variant.price, currency);
    const discount = amountToMinorUnits(line.discount ?? "0", currency);
    subtotal += unit * line.quantity;
    discounts += discount;
    const item: OrderLineItemRecord = {
      id: nextGid(state, "LineItem", 90001),
      title: product.title,
      variantTitle: variant.title === "Default Title" ? null : variant.title,
      sku: variant.sku || null,
      quantity: line.quantity,
      variantId: variant.id,
      productId: product.id,
      originalUnitPrice: minorUnitsToAmount(unit, currency),
      totalDiscount: minorUnitsToAmount(discount, currency),
      customAttributes: (line.customAttributes ?? []).map((a) => ({ ...a })),
    };
    return item;
  });
  const id = nextGid(state, "Order", 80001);
  const number = (state.data.sequences["OrderNumber"] ?? 1001);
  state.data.sequences["OrderNumber"] = number + 1;
  const order: OrderRecord = {
    id,
    name: `#${number}`,
    createdAt: input.createdAt ? toDateTimeString(Date.parse(input.createdAt)) : nowIso(state),
    currencyCode: currency,
    presentmentCurrencyCode: input.presentmentCurrencyCode ?? currency,
    subtotalPrice: minorUnitsToAmount(subtotal - discounts, currency),
    totalDiscounts: minorUnitsToAmount(discounts, currency),
    totalPrice: minorUnitsToAmount(subtotal - discounts, currency),
    email: input.email ?? null,
    note: input.note ?? null,
    tags: input.tags ?? [],
    customAttributes: (input.customAttributes ?? []).map((a) => ({ ...a })),
    lineItems,
    ...(input.discountCodes?.length ? { discountCodes: [...input.discountCodes] } : {}),
  };
  state.data.orders.push(order);
  committed(state, { topic: "orders/create", order });
  return order;
}

export function listOrders(state: LocalShopState): OrderRecord[] {
  return state.data.orders;
}

export function getOrder(state: LocalShopState, id: Gid): OrderRecord | null {
  return state.data.orders.find((o) => o.id === id) ?? null;
}

// ---------------------------------------------------------------------------------------
// Throttling: the Admin API's leaky bucket (per app and shop)
// ---------------------------------------------------------------------------------------

function refill(state: LocalShopState): ThrottleBucket {
  const b = state.throttle;
  const t = state.now();
  const elapsed = Math.max(0, t - b.updatedAtMs) / 1000;
  b.currentlyAvailable = Math.min(b.maximumAvailable, b.currentlyAvailable + elapsed * b.restoreRate);
  b.updatedAtMs = t;
  return b;
}

/** The bucket as Shopify reports it (`currentlyAvailable` rounded down to an integer). */
export function getThrottleStatus(state: LocalShopState): ThrottleStatus {
  const b = refill(state);
  return {
    maximumAvailable: b.maximumAvailable,
    currentlyAvailable: Math.floor(b.currentlyAvailable),
    restoreRate: b.restoreRate,
  };
}

/**
 * Takes `cost` points if the bucket holds them; otherwise takes nothing. Shopify checks
 * the requested (worst-case) cost before running a query.
 */
export function consumeThrottle(state: LocalShopState, cost: number): { ok: boolean; status: ThrottleStatus } {
  const b = refill(state);
  if (cost > b.currentlyAvailable) return { ok: false, status: getThrottleStatus(state) };
  b.currentlyAvailable -= cost;
  return { ok: true, status: getThrottleStatus(state) };
}

/** Gives back points (requested minus actual cost, after a query ran). */
export function refundThrottle(state: LocalShopState, points: number): ThrottleStatus {
  const b = refill(state);
  b.currentlyAvailable = Math.min(b.maximumAvailable, b.currentlyAvailable + Math.max(0, points));
  return getThrottleStatus(state);
}

/** Test hook: empties the bucket (or leaves `leave` points) so the next costly call is THROTTLED. */
export function drainThrottleBucket(state: LocalShopState, leave = 0): ThrottleStatus {
  const b = refill(state);
  b.currentlyAvailable = Math.max(0, Math.min(leave, b.maximumAvailable));
  return getThrottleStatus(state);
}

/** Test hook: fills the bucket. */
export function resetThrottleBucket(state: LocalShopState): ThrottleStatus {
  const b = refill(state);
  b.currentlyAvailable = b.maximumAvailable;
  return getThrottleStatus(state);
}

// ---------------------------------------------------------------------------------------
// Access tokens
// ---------------------------------------------------------------------------------------

/** Whether the Admin API accepts this `X-Shopify-Access-Token`. */
export function isAccessTokenValid(state: LocalShopState, token: string | null | undefined): boolean {
  if (!token) return false;
  return state.accessTokens.length === 0 || state.accessTokens.includes(token);
}
