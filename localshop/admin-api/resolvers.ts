/**
 * Resolvers of the Admin API double: a read/write view over ../state.ts. Every answer is
 * derived from the state at request time; nothing is cached here.
 */
import { GraphQLError, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import {
  amountToMinorUnits,
  convertFromShopCurrency,
  createAutomaticAppDiscount,
  createMetafieldDefinition,
  deleteAutomaticDiscount,
  deleteMetafields,
  findFunction,
  getApp,
  getAutomaticDiscount,
  getCollection,
  getCollectionByHandle,
  getCollectionProducts,
  getDiscountStatus,
  getImage,
  getMetafield,
  getMetafieldById,
  getOrder,
  getProduct,
  getProductByHandle,
  getProductCollections,
  getProductPriceRange,
  getProductTotalInventory,
  getProductVariants,
  getShop,
  getVariant,
  gidTail,
  gidType,
  isVariantAvailableForSale,
  listAutomaticDiscounts,
  listCollections,
  listFunctions,
  listMetafieldDefinitions,
  listMetafields,
  listOrders,
  listProducts,
  listVariants,
  metafieldDigest,
  minorUnitsToAmount,
  resolveMetafieldNamespace,
  setMetafields,
  updateAutomaticAppDiscount,
  type AutomaticAppDiscountInput,
  type AutomaticAppDiscountRecord,
  type CollectionRecord,
  type CurrencyCode,
  type ImageRecord,
  type LocalShopState,
  type MetafieldDefinitionRecord,
  type MetafieldOwnerType,
  type MetafieldRecord,
  type MetafieldsSetInput,
  type OrderLineItemRecord,
  type OrderRecord,
  type ProductRecord,
  type ShopifyFunctionRecord,
  type ShopRecord,
  type VariantRecord,
} from "../state";
import { paginate, sortBy, type ConnectionArgs } from "./connection";
import { filterBySearch, type SearchSpec, type SearchWarning } from "./search";
import { bulkOperationNode, bulkResolvers } from "./bulk";

export interface AdminContext {
  state: LocalShopState;
  /** Origin of the local shop server (e.g. http://127.0.0.1:4100), for absolute image URLs. */
  origin: string;
  /** Search warnings collected while resolving, reported under `extensions.search`. */
  searchReports: { path: (string | number)[]; query: string; warnings: SearchWarning[] }[];
}

type Resolver<P = any, A = any> = GraphQLFieldResolver<P, AdminContext, A>;
export type ResolverMap = Record<string, Record<string, Resolver>>;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const GID_RE = /^gid:\/\/shopify\/[A-Za-z]+\/[^/\s]+$/;

/** Shopify's answer to a malformed id argument. */
function requireGid(id: string): string {
  if (typeof id !== "string" || !GID_RE.test(id)) {
    throw new GraphQLError(`Invalid global id '${id}'`, {
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  }
  return id;
}

/** Shopify's Decimal serialization: trailing zeros trimmed, at least one decimal ("699.0"). */
export function toDecimalString(amount: string): string {
  if (!amount.includes(".")) return `${amount}.0`;
  const trimmed = amount.replace(/0+$/, "");
  return trimmed.endsWith(".") ? `${trimmed}0` : trimmed;
}

function moneyV2(amount: string, currencyCode: CurrencyCode) {
  return { amount: toDecimalString(amount), currencyCode };
}

function moneyBag(ctx: AdminContext, shopAmount: string, presentment: CurrencyCode) {
  const shopCurrency = getShop(ctx.state).currencyCode;
  const converted = convertFromShopCurrency(ctx.state, shopAmount, presentment);
  return {
    shopMoney: moneyV2(shopAmount, shopCurrency),
    presentmentMoney: converted === null ? moneyV2(shopAmount, shopCurrency) : moneyV2(converted, presentment),
  };
}

function absoluteUrl(ctx: AdminContext, url: string): string {
  return url.startsWith("/") ? `${ctx.origin}${url}` : url;
}

function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

function truncate(text: string, at: number | null | undefined): string {
  if (!at || text.length <= at) return text;
  return `${text.slice(0, Math.max(0, at - 3))}...`;
}

const legacyId = (p: { id: string }) => gidTail(p.id);
const tagged = <T extends object>(typename: string, value: T) => ({ ...value, __typename: typename });

function pageArgs(args: ConnectionArgs): ConnectionArgs {
  return { first: args.first, after: args.after, last: args.last, before: args.before, reverse: args.reverse };
}

function reportSearch(ctx: AdminContext, info: { path: { key: string | number; prev: unknown } }, query: string, warnings: SearchWarning[]) {
  if (warnings.length === 0) return;
  const path: (string | number)[] = [];
  let p: any = info.path;
  while (p) {
    path.unshift(p.key);
    p = p.prev;
  }
  ctx.searchReports.push({ path, query, warnings });
}

const CURRENCY_NAMES: Record<string, string> = {
  USD: "US Dollar",
  EUR: "Euro",
  JPY: "Japanese Yen",
  KRW: "South Korean Won",
  GBP: "British Pound",
  CAD: "Canadian Dollar",
};

const COUNTRY_CURRENCY: Record<string, CurrencyCode> = {
  US: "USD",
  DE: "EUR",
  FR: "EUR",
  ES: "EUR",
  IT: "EUR",
  NL: "EUR",
  PT: "EUR",
  AT: "EUR",
  BE: "EUR",
  FI: "EUR",
  IE: "EUR",
  JP: "JPY",
  KR: "KRW",
  GB: "GBP",
  CA: "CAD",
  BR: "BRL",
  AM: "AMD",
};

const ACCESS_SCOPES = [
  { handle: "read_products", description: "Read products, variants, and collections" },
  { handle: "read_discounts", description: "Read discounts" },
  { handle: "write_discounts", description: "Modify discounts" },
  { handle: "read_orders", description: "Read orders, transactions, and fulfillments" },
  { handle: "write_pixels", description: "Modify web pixels" },
  { handle: "read_customer_events", description: "Read customer events" },
  { handle: "read_themes", description: "Read themes" },
];

/** Shopify lets an app read only the last 60 days of orders unless it was granted
 *  `read_all_orders`, which this app does not ask for (ACCESS_SCOPES): older orders are not in
 *  `orders`, `ordersCount` or `order(id)`, nor, through them, in a bulk operation. */
export const ORDERS_WINDOW_DAYS = 60;
const readable = (state: LocalShopState, order: OrderRecord | null | undefined): order is OrderRecord =>
  !!order && Date.parse(order.createdAt) >= state.now() - ORDERS_WINDOW_DAYS * 86_400_000;
const readableOrders = (state: LocalShopState): OrderRecord[] => listOrders(state).filter((o) => readable(state, o));

// ---------------------------------------------------------------------------------------
// Search specs
// ---------------------------------------------------------------------------------------

const productSpec = (state: LocalShopState): SearchSpec<ProductRecord> => {
  const skus = (p: ProductRecord) => getProductVariants(state, p.id).map((v) => v.sku);
  return {
    freeText: (p) => [p.title, p.vendor, p.productType, ...p.tags, ...skus(p)],
    fields: {
      title: { kind: "text", get: (p) => p.title },
      tag: { kind: "keyword", get: (p) => p.tags },
      tag_not: {
        kind: "custom",
        match: (p, term) => !p.tags.some((t) => t.toLowerCase() === term.value.toLowerCase()),
      },
      vendor: { kind: "keyword", get: (p) => p.vendor },
      product_type: { kind: "keyword", get: (p) => p.productType },
      handle: { kind: "keyword", get: (p) => p.handle },
      status: { kind: "keyword", get: (p) => p.status.toLowerCase() },
      sku: { kind: "keyword", get: (p) => skus(p) },
      id: { kind: "number", get: (p) => Number(legacyId(p)) },
      product_id: { kind: "number", get: (p) => Number(legacyId(p)) },
      inventory_total: { kind: "number", get: (p) => getProductTotalInventory(state, p.id) },
      created_at: { kind: "date", get: (p) => p.createdAt },
      updated_at: { kind: "date", get: (p) => p.updatedAt },
      published_at: { kind: "date", get: (p) => p.publishedAt },
      published_status: {
        kind: "custom",
        match: (p, term) => {
          const v = term.value.toLowerCase();
          if (v === "published") return p.publishedAt !== null;
          if (v === "unpublished") return p.publishedAt === null;
          return true;
        },
      },
      gift_card: { kind: "boolean", get: () => false },
    },
  };
};

const variantSpec = (state: LocalShopState): SearchSpec<VariantRecord> => {
  const product = (v: VariantRecord) => getProduct(state, v.productId)!;
  return {
    freeText: (v) => [v.title, v.sku, product(v).title],
    fields: {
      id: { kind: "number", get: (v) => Number(legacyId(v)) },
      product_id: { kind: "number", get: (v) => Number(gidTail(v.productId)) },
      sku: { kind: "keyword", get: (v) => v.sku },
      title: { kind: "text", get: (v) => v.title },
      inventory_quantity: { kind: "number", get: (v) => v.inventoryQuantity },
      product_status: { kind: "keyword", get: (v) => product(v).status.toLowerCase() },
      vendor: { kind: "keyword", get: (v) => product(v).vendor },
      product_type: { kind: "keyword", get: (v) => product(v).productType },
      tag: { kind: "keyword", get: (v) => product(v).tags },
      updated_at: { kind: "date", get: (v) => v.updatedAt },
      created_at: { kind: "date", get: (v) => v.createdAt },
    },
  };
};

const collectionSpec = (): SearchSpec<CollectionRecord> => ({
  freeText: (c) => [c.title],
  fields: {
    id: { kind: "number", get: (c) => Number(legacyId(c)) },
    title: { kind: "text", get: (c) => c.title },
    handle: { kind: "keyword", get: (c) => c.handle },
    collection_type: { kind: "keyword", get: () => "custom" },
    product_id: {
      kind: "custom",
      match: (c, term) => c.productIds.some((id) => gidTail(id) === (/(\d+)$/.exec(term.value)?.[1] ?? "")),
    },
    updated_at: { kind: "date", get: (c) => c.updatedAt },
  },
});

const orderSpec = (): SearchSpec<OrderRecord> => ({
  freeText: (o) => [o.name.replace(/^#/, ""), o.name, o.email ?? "", ...o.lineItems.map((l) => l.title)],
  fields: {
    id: { kind: "number", get: (o) => Number(legacyId(o)) },
    name: {
      kind: "custom",
      match: (o, term) => o.name.replace(/^#/, "") === term.value.replace(/^#/, ""),
    },
    created_at: { kind: "date", get: (o) => o.createdAt },
    processed_at: { kind: "date", get: (o) => o.createdAt },
    updated_at: { kind: "date", get: (o) => o.createdAt },
    tag: { kind: "keyword", get: (o) => o.tags },
    email: { kind: "keyword", get: (o) => o.email },
    sku: { kind: "keyword", get: (o) => o.lineItems.map((l) => l.sku ?? "") },
  },
});

const discountSpec = (state: LocalShopState): SearchSpec<AutomaticAppDiscountRecord> => ({
  freeText: (d) => [d.title],
  fields: {
    id: { kind: "number", get: (d) => Number(legacyId(d)) },
    title: { kind: "text", get: (d) => d.title },
    status: { kind: "keyword", get: (d) => getDiscountStatus(d, state.now()).toLowerCase() },
    type: { kind: "keyword", get: () => "app" },
    discount_type: { kind: "keyword", get: () => "app" },
    method: { kind: "keyword", get: () => "automatic" },
    discount_class: { kind: "keyword", get: (d) => d.discountClasses.map((c) => c.toLowerCase()) },
    starts_at: { kind: "date", get: (d) => d.startsAt },
    ends_at: { kind: "date", get: (d) => d.endsAt },
    created_at: { kind: "date", get: (d) => d.createdAt },
    updated_at: { kind: "date", get: (d) => d.updatedAt },
    combines_with: {
      kind: "custom",
      match: (d, term) => {
        const v = term.value.toLowerCase();
        if (v === "order_discounts") return d.combinesWith.orderDiscounts;
        if (v === "product_discounts") return d.combinesWith.productDiscounts;
        if (v === "shipping_discounts") return d.combinesWith.shippingDiscounts;
        return false;
      },
    },
  },
});

// ---------------------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------------------

function sortProducts(state: LocalShopState, items: ProductRecord[], key: string): ProductRecord[] {
  const id = (p: ProductRecord) => p.id;
  switch (key) {
    case "TITLE":
      return sortBy(items, (p) => p.title, id);
    case "VENDOR":
      return sortBy(items, (p) => p.vendor, id);
    case "PRODUCT_TYPE":
      return sortBy(items, (p) => p.productType, id);
    case "CREATED_AT":
      return sortBy(items, (p) => p.createdAt, id);
    case "UPDATED_AT":
      return sortBy(items, (p) => p.updatedAt, id);
    case "PUBLISHED_AT":
      return sortBy(items, (p) => p.publishedAt, id);
    case "INVENTORY_TOTAL":
      return sortBy(items, (p) => getProductTotalInventory(state, p.id), id);
    default: // ID, RELEVANCE
      return sortBy(items, () => 0, id);
  }
}

function productSortValue(state: LocalShopState, key: string): (p: ProductRecord) => unknown {
  switch (key) {
    case "TITLE":
      return (p) => p.title;
    case "VENDOR":
      return (p) => p.vendor;
    case "PRODUCT_TYPE":
      return (p) => p.productType;
    case "CREATED_AT":
      return (p) => p.createdAt;
    case "UPDATED_AT":
      return (p) => p.updatedAt;
    case "INVENTORY_TOTAL":
      return (p) => getProductTotalInventory(state, p.id);
    default:
      return (p) => Number(legacyId(p));
  }
}

function sortVariants(items: VariantRecord[], key: string, state: LocalShopState): VariantRecord[] {
  const id = (v: VariantRecord) => v.id;
  switch (key) {
    case "SKU":
      return sortBy(items, (v) => v.sku, id);
    case "TITLE":
      return sortBy(items, (v) => v.title, id);
    case "NAME":
    case "FULL_TITLE":
      return sortBy(items, (v) => `${getProduct(state, v.productId)?.title ?? ""} ${v.title}`, id);
    case "INVENTORY_QUANTITY":
      return sortBy(items, (v) => v.inventoryQuantity, id);
    case "POSITION":
      return sortBy(items, (v) => `${gidTail(v.productId)!.padStart(12, "0")}:${String(v.position).padStart(6, "0")}`, id);
    default:
      return sortBy(items, () => 0, id);
  }
}

// ---------------------------------------------------------------------------------------
// Owners and metafields
// ---------------------------------------------------------------------------------------

const DISCOUNT_NODE_PREFIX = "gid://shopify/DiscountNode/";
const discountNodeId = (d: AutomaticAppDiscountRecord) => `${DISCOUNT_NODE_PREFIX}${gidTail(d.id)}`;
const automaticIdFromAny = (id: string) =>
  id.startsWith(DISCOUNT_NODE_PREFIX) ? `gid://shopify/DiscountAutomaticNode/${gidTail(id)}` : id;

/** The metafield owner id of a HasMetafields parent. */
function ownerIdOf(parent: { id: string; __metafieldOwnerId?: string }): string {
  return parent.__metafieldOwnerId ?? parent.id;
}

function metafieldResolvers(): Record<string, Resolver> {
  return {
    metafield: (parent, args: { namespace?: string | null; key: string }, ctx) =>
      getMetafield(ctx.state, ownerIdOf(parent), args.namespace, args.key),
    metafields: (parent, args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null }, ctx) => {
      let items = listMetafields(ctx.state, ownerIdOf(parent), args.namespace ?? null);
      if (args.keys?.length) {
        const wanted = new Set(
          args.keys.map((k) => {
            const dot = k.lastIndexOf(".");
            return dot === -1 ? k : `${resolveMetafieldNamespace(ctx.state, k.slice(0, dot))}.${k.slice(dot + 1)}`;
          }),
        );
        items = items.filter((m) => wanted.has(`${m.namespace}.${m.key}`));
      }
      return paginate(sortBy(items, () => 0, (m) => m.id), pageArgs(args), (m) => m.id);
    },
  };
}

/** A typed owner object (for `Metafield.owner` and `node`). */
function ownerObject(state: LocalShopState, ownerId: string): object | null {
  return nodeById(state, ownerId);
}

function nodeById(state: LocalShopState, id: string): object | null {
  const shop = getShop(state);
  if (id === shop.id) return tagged("Shop", shop);
  const app = getApp(state);
  if (id === app.installationId) return tagged("AppInstallation", { id: app.installationId });
  if (id === app.id) return tagged("App", app);
  switch (gidType(id)) {
    case "BulkOperation":
      return bulkOperationNode(state, id);
    case "Product": {
      const p = getProduct(state, id);
      return p && tagged("Product", p);
    }
    case "ProductVariant": {
      const v = getVariant(state, id);
      return v && tagged("ProductVariant", v);
    }
    case "Collection": {
      const c = getCollection(state, id);
      return c && tagged("Collection", c);
    }
    case "Metafield": {
      const m = getMetafieldById(state, id);
      return m && tagged("Metafield", m);
    }
    case "Order": {
      const o = getOrder(state, id);
      return readable(state, o) ? tagged("Order", o) : null;
    }
    case "DiscountAutomaticNode": {
      const d = getAutomaticDiscount(state, id);
      return d && tagged("DiscountAutomaticNode", d);
    }
    case "DiscountNode": {
      const d = getAutomaticDiscount(state, automaticIdFromAny(id));
      return d && tagged("DiscountNode", { ...d, id, __metafieldOwnerId: d.id });
    }
    case "MetafieldDefinition": {
      const def = state.data.metafieldDefinitions.find((d) => d.id === id);
      return def ? tagged("MetafieldDefinition", def) : null;
    }
    default:
      return null;
  }
}

function definitionCategory(type: string): string {
  if (type.startsWith("number")) return "NUMBER";
  if (type === "boolean") return "TRUE_FALSE";
  if (type === "json") return "JSON";
  if (type === "url") return "URL";
  if (type.startsWith("date")) return "DATE_TIME";
  return "TEXT";
}

function jsonValueOf(m: MetafieldRecord): unknown {
  switch (m.type) {
    case "json":
      try {
        return JSON.parse(m.value);
      } catch {
        return m.value;
      }
    case "number_integer":
      return Number.parseInt(m.value, 10);
    case "number_decimal":
      return m.value;
    case "boolean":
      return m.value === "true";
    default:
      return m.value;
  }
}

// ---------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------

function discountAppView(d: AutomaticAppDiscountRecord) {
  return tagged("DiscountAutomaticApp", { ...d, discountId: d.id });
}

function toDiscountInput(raw: Record<string, any>): AutomaticAppDiscountInput {
  const input: AutomaticAppDiscountInput = {};
  for (const key of [
    "title",
    "functionId",
    "functionHandle",
    "startsAt",
    "endsAt",
    "discountClasses",
    "appliesOnOneTimePurchase",
    "appliesOnSubscription",
  ] as const) {
    if (key in raw) (input as Record<string, unknown>)[key] = raw[key];
  }
  if (raw.combinesWith) input.combinesWith = { ...raw.combinesWith };
  if (Array.isArray(raw.metafields) && raw.metafields.length > 0) {
    input.metafields = raw.metafields.map((m: Record<string, any>) => ({
      namespace: m.namespace ?? null,
      key: m.key ?? "",
      value: m.value,
      type: m.type ?? null,
    }));
  }
  return input;
}

function userErrorsOut(errors: { field: string[] | null; message: string; code: string | null; elementIndex?: number | null }[]) {
  return errors.map((e) => ({ field: e.field, message: e.message, code: e.code, elementIndex: e.elementIndex ?? null, extraInfo: null }));
}

// ---------------------------------------------------------------------------------------
// The resolver map
// ---------------------------------------------------------------------------------------

function connectionOf<T>(items: T[], args: ConnectionArgs, id: (t: T) => string, sortValue?: (t: T) => unknown) {
  return paginate(items, pageArgs(args), id, sortValue);
}

export const resolvers: ResolverMap = {
  QueryRoot: {
    shop: (_p, _a, ctx) => getShop(ctx.state),
    // `published: true` lists only published locales; false (Shopify's default) lists all.
    shopLocales: (_p, args: { published?: boolean | null }, ctx) => getShop(ctx.state).locales.filter((l) => !args.published || l.published),
    currentAppInstallation: (_p, _a, ctx) => ({ id: getApp(ctx.state).installationId }),
    node: (_p, args: { id: string }, ctx) => nodeById(ctx.state, requireGid(args.id)),
    nodes: (_p, args: { ids: string[] }, ctx) => args.ids.map((id) => nodeById(ctx.state, requireGid(id))),

    product: (_p, args: { id: string }, ctx) => getProduct(ctx.state, requireGid(args.id)),
    productByIdentifier: (_p, args: { identifier: { id?: string | null; handle?: string | null } }, ctx) => {
      const { id, handle } = args.identifier;
      if (id) return getProduct(ctx.state, requireGid(id));
      if (handle) return getProductByHandle(ctx.state, handle);
      throw new GraphQLError("Exactly one identifier is required.", { extensions: { code: "BAD_REQUEST" } });
    },
    products: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(listProducts(ctx.state), args.query, productSpec(ctx.state));
      reportSearch(ctx, info, args.query ?? "", warnings);
      const sorted = sortProducts(ctx.state, items, args.sortKey);
      return connectionOf(sorted, args, (p) => p.id, productSortValue(ctx.state, args.sortKey));
    },
    productsCount: (_p, args: { query?: string | null; limit?: number | null }, ctx) => {
      const count = filterBySearch(listProducts(ctx.state), args.query, productSpec(ctx.state)).items.length;
      const limit = args.limit ?? 10000;
      return { count: Math.min(count, limit), precision: count > limit ? "AT_LEAST" : "EXACT" };
    },
    productVariant: (_p, args: { id: string }, ctx) => getVariant(ctx.state, requireGid(args.id)),
    productVariants: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(listVariants(ctx.state), args.query, variantSpec(ctx.state));
      reportSearch(ctx, info, args.query ?? "", warnings);
      return connectionOf(sortVariants(items, args.sortKey, ctx.state), args, (v) => v.id);
    },
    productVariantsCount: (_p, args: { query?: string | null }, ctx) => ({
      count: filterBySearch(listVariants(ctx.state), args.query, variantSpec(ctx.state)).items.length,
      precision: "EXACT",
    }),
    collection: (_p, args: { id: string }, ctx) => getCollection(ctx.state, requireGid(args.id)),
    collectionByIdentifier: (_p, args: { identifier: { id?: string | null; handle?: string | null } }, ctx) => {
      const { id, handle } = args.identifier;
      if (id) return getCollection(ctx.state, requireGid(id));
      if (handle) return getCollectionByHandle(ctx.state, handle);
      throw new GraphQLError("Exactly one identifier is required.", { extensions: { code: "BAD_REQUEST" } });
    },
    collections: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(listCollections(ctx.state), args.query, collectionSpec());
      reportSearch(ctx, info, args.query ?? "", warnings);
      const id = (c: CollectionRecord) => c.id;
      const sorted =
        args.sortKey === "TITLE"
          ? sortBy(items, (c) => c.title, id)
          : args.sortKey === "UPDATED_AT"
            ? sortBy(items, (c) => c.updatedAt, id)
            : sortBy(items, () => 0, id);
      return connectionOf(sorted, args, id);
    },
    collectionsCount: (_p, args: { query?: string | null }, ctx) => ({
      count: filterBySearch(listCollections(ctx.state), args.query, collectionSpec()).items.length,
      precision: "EXACT",
    }),

    metafieldDefinitions: (
      _p,
      args: ConnectionArgs & { ownerType: MetafieldOwnerType; namespace?: string | null; key?: string | null },
      ctx,
    ) => {
      let defs = listMetafieldDefinitions(ctx.state, { ownerType: args.ownerType, namespace: args.namespace });
      if (args.key) defs = defs.filter((d) => d.key === args.key);
      return connectionOf(sortBy(defs, () => 0, (d) => d.id), args, (d) => d.id);
    },
    metafieldDefinition: (
      _p,
      args: { id?: string | null; identifier?: { ownerType: MetafieldOwnerType; namespace?: string | null; key: string } | null },
      ctx,
    ) => {
      if (args.id) return ctx.state.data.metafieldDefinitions.find((d) => d.id === requireGid(args.id!)) ?? null;
      if (args.identifier) {
        const ns = resolveMetafieldNamespace(ctx.state, args.identifier.namespace);
        return (
          ctx.state.data.metafieldDefinitions.find(
            (d) => d.ownerType === args.identifier!.ownerType && d.namespace === ns && d.key === args.identifier!.key,
          ) ?? null
        );
      }
      return null;
    },

    shopifyFunctions: (_p, args: ConnectionArgs & { apiType?: string | null }, ctx) => {
      const fns = listFunctions(ctx.state).filter((f) => !args.apiType || f.apiType === args.apiType);
      return connectionOf(fns, args, (f) => `gid://shopify/ShopifyFunction/${f.id}`);
    },
    shopifyFunction: (_p, args: { id: string }, ctx) => findFunction(ctx.state, { id: args.id }),

    discountNodes: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(listAutomaticDiscounts(ctx.state), args.query, discountSpec(ctx.state));
      reportSearch(ctx, info, args.query ?? "", warnings);
      const id = (d: AutomaticAppDiscountRecord) => d.id;
      const key = args.sortKey;
      const sorted =
        key === "TITLE"
          ? sortBy(items, (d) => d.title, id)
          : key === "CREATED_AT"
            ? sortBy(items, (d) => d.createdAt, id)
            : key === "UPDATED_AT"
              ? sortBy(items, (d) => d.updatedAt, id)
              : key === "STARTS_AT"
                ? sortBy(items, (d) => d.startsAt, id)
                : key === "ENDS_AT"
                  ? sortBy(items, (d) => d.endsAt, id)
                  : sortBy(items, () => 0, id);
      const conn = connectionOf(sorted, args, id);
      const view = (d: AutomaticAppDiscountRecord) => ({ ...d, id: discountNodeId(d), __metafieldOwnerId: d.id });
      return {
        ...conn,
        edges: conn.edges.map((e) => ({ cursor: e.cursor, node: view(e.node) })),
        nodes: conn.nodes.map(view),
      };
    },
    discountNode: (_p, args: { id: string }, ctx) => {
      const d = getAutomaticDiscount(ctx.state, automaticIdFromAny(requireGid(args.id)));
      return d ? { ...d, id: discountNodeId(d), __metafieldOwnerId: d.id } : null;
    },
    automaticDiscountNodes: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(listAutomaticDiscounts(ctx.state), args.query, discountSpec(ctx.state));
      reportSearch(ctx, info, args.query ?? "", warnings);
      const id = (d: AutomaticAppDiscountRecord) => d.id;
      const sorted = args.sortKey === "CREATED_AT" ? sortBy(items, (d) => d.createdAt, id) : sortBy(items, () => 0, id);
      return connectionOf(sorted, args, id);
    },
    automaticDiscountNode: (_p, args: { id: string }, ctx) =>
      getAutomaticDiscount(ctx.state, automaticIdFromAny(requireGid(args.id))),

    orders: (_p, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx, info) => {
      const { items, warnings } = filterBySearch(readableOrders(ctx.state), args.query, orderSpec());
      reportSearch(ctx, info, args.query ?? "", warnings);
      const id = (o: OrderRecord) => o.id;
      const sorted =
        args.sortKey === "TOTAL_PRICE"
          ? sortBy(items, (o) => amountToMinorUnits(o.totalPrice, o.currencyCode), id)
          : args.sortKey === "ID" || args.sortKey === "ORDER_NUMBER"
            ? sortBy(items, () => 0, id)
            : sortBy(items, (o) => o.createdAt, id);
      return connectionOf(sorted, args, id);
    },
    order: (_p, args: { id: string }, ctx) => {
      const order = getOrder(ctx.state, requireGid(args.id));
      return readable(ctx.state, order) ? order : null;
    },
    ordersCount: (_p, args: { query?: string | null }, ctx) => ({
      count: filterBySearch(readableOrders(ctx.state), args.query, orderSpec()).items.length,
      precision: "EXACT",
    }),
  },

  Mutation: {
    metafieldsSet: (_p, args: { metafields: MetafieldsSetInput[] }, ctx) => {
      const result = setMetafields(ctx.state, args.metafields);
      return { metafields: result.metafields, userErrors: userErrorsOut(result.userErrors) };
    },
    metafieldsDelete: (_p, args: { metafields: { ownerId: string; namespace: string; key: string }[] }, ctx) => {
      const result = deleteMetafields(ctx.state, args.metafields);
      return { deletedMetafields: result.deletedMetafields, userErrors: userErrorsOut(result.userErrors) };
    },
    metafieldDefinitionCreate: (_p, args: { definition: Record<string, any> }, ctx) => {
      const d = args.definition;
      const result = createMetafieldDefinition(ctx.state, {
        name: d.name,
        namespace: d.namespace ?? null,
        key: d.key,
        type: d.type,
        ownerType: d.ownerType,
        description: d.description ?? null,
      });
      return { createdDefinition: result.createdDefinition, userErrors: userErrorsOut(result.userErrors) };
    },
    discountAutomaticAppCreate: (_p, args: { automaticAppDiscount: Record<string, any> }, ctx) => {
      const result = createAutomaticAppDiscount(ctx.state, toDiscountInput(args.automaticAppDiscount));
      return {
        automaticAppDiscount: result.discount ? discountAppView(result.discount) : null,
        userErrors: userErrorsOut(result.userErrors),
      };
    },
    discountAutomaticAppUpdate: (_p, args: { id: string; automaticAppDiscount: Record<string, any> }, ctx) => {
      const result = updateAutomaticAppDiscount(
        ctx.state,
        automaticIdFromAny(requireGid(args.id)),
        toDiscountInput(args.automaticAppDiscount),
      );
      return {
        automaticAppDiscount: result.discount ? discountAppView(result.discount) : null,
        userErrors: userErrorsOut(result.userErrors),
      };
    },
    discountAutomaticDelete: (_p, args: { id: string }, ctx) => {
      const result = deleteAutomaticDiscount(ctx.state, automaticIdFromAny(requireGid(args.id)));
      return { deletedAutomaticDiscountId: result.deletedAutomaticDiscountId, userErrors: userErrorsOut(result.userErrors) };
    },
  },

  Shop: {
    contactEmail: (s) => s.email,
    url: (s) => `https://${s.myshopifyDomain}`,
    primaryDomain: (s) => {
      const url = new URL(s.primaryDomainUrl);
      return { id: "gid://shopify/Domain/1", host: url.host, url: url.origin, sslEnabled: url.protocol === "https:" };
    },
    currencyFormats: (s) => ({
      moneyFormat: s.currencyFormats.moneyFormat,
      moneyInEmailsFormat: s.currencyFormats.moneyFormat,
      moneyWithCurrencyFormat: s.currencyFormats.moneyWithCurrencyFormat,
      moneyWithCurrencyInEmailsFormat: s.currencyFormats.moneyWithCurrencyFormat,
    }),
    // Real Shopify: rates come from Markets (automatic, or a market's manual rate). The
    // double reports its fixed rates as manualRate. Like Shopify, the list leaves out the
    // shop's own currency.
    currencySettings: (s: ShopRecord, args: ConnectionArgs) => {
      const settings = s.enabledPresentmentCurrencies.filter((code) => code !== s.currencyCode).map((code) => ({
        currencyCode: code,
        currencyName: CURRENCY_NAMES[code] ?? code,
        enabled: true,
        manualRate: s.currencyRates[code] === undefined ? null : toDecimalString(String(s.currencyRates[code])),
        rateUpdatedAt: "2026-01-15T10:00:00Z",
      }));
      return connectionOf(settings, args, (c) => `gid://shopify/CurrencySetting/${c.currencyCode}`);
    },
    plan: (s) => ({ publicDisplayName: s.planDisplayName, partnerDevelopment: true, shopifyPlus: false }),
    ...metafieldResolvers(),
  },

  App: {
    installation: (a) => ({ id: a.installationId }),
  },

  AppInstallation: {
    app: (_i, _a, ctx) => getApp(ctx.state),
    launchUrl: (_i, _a, ctx) =>
      `https://admin.shopify.com/store/${getShop(ctx.state).myshopifyDomain.replace(".myshopify.com", "")}/apps/${getApp(ctx.state).handle}`,
    accessScopes: () => ACCESS_SCOPES,
    ...metafieldResolvers(),
  },

  Image: {
    url: (img: ImageRecord, _a, ctx) => absoluteUrl(ctx, img.url),
  },

  MediaImage: {},

  Product: {
    legacyResourceId: legacyId,
    description: (p: ProductRecord, args: { truncateAt?: number | null }) => truncate(stripHtml(p.descriptionHtml), args.truncateAt),
    totalInventory: (p: ProductRecord, _a, ctx) => getProductTotalInventory(ctx.state, p.id),
    tracksInventory: () => true,
    hasOnlyDefaultVariant: (p: ProductRecord, _a, ctx) => {
      const vs = getProductVariants(ctx.state, p.id);
      return vs.length === 1 && vs[0]!.title === "Default Title";
    },
    hasOutOfStockVariants: (p: ProductRecord, _a, ctx) =>
      getProductVariants(ctx.state, p.id).some((v) => v.inventoryQuantity <= 0),
    onlineStoreUrl: (p: ProductRecord, _a, ctx) =>
      p.status === "ACTIVE" && p.publishedAt ? `${getShop(ctx.state).primaryDomainUrl}/products/${p.handle}` : null,
    featuredImage: (p: ProductRecord) => p.images[0] ?? null,
    featuredMedia: (p: ProductRecord) => (p.images[0] ? mediaImage(p.images[0]) : null),
    images: (p: ProductRecord, args: ConnectionArgs) => connectionOf(p.images, args, (i) => i.id),
    media: (p: ProductRecord, args: ConnectionArgs) => connectionOf(p.images.map(mediaImage), args, (m) => m.id),
    priceRangeV2: (p: ProductRecord, _a, ctx) => {
      const range = getProductPriceRange(ctx.state, p.id) ?? { min: "0.00", max: "0.00" };
      const currency = getShop(ctx.state).currencyCode;
      return { minVariantPrice: moneyV2(range.min, currency), maxVariantPrice: moneyV2(range.max, currency) };
    },
    compareAtPriceRange: (p: ProductRecord, _a, ctx) => {
      const currency = getShop(ctx.state).currencyCode;
      const amounts = getProductVariants(ctx.state, p.id)
        .map((v) => v.compareAtPrice)
        .filter((a): a is string => a !== null)
        .map((a) => amountToMinorUnits(a, currency));
      if (amounts.length === 0) return null;
      return {
        minVariantCompareAtPrice: moneyV2(minorUnitsToAmount(Math.min(...amounts), currency), currency),
        maxVariantCompareAtPrice: moneyV2(minorUnitsToAmount(Math.max(...amounts), currency), currency),
      };
    },
    options: (p: ProductRecord, args: { first?: number | null }, ctx) => {
      const variants = getProductVariants(ctx.state, p.id);
      const options = p.options.map((o, i) => ({
        id: `gid://shopify/ProductOption/${gidTail(p.id)}${String(i + 1).padStart(2, "0")}`,
        name: o.name,
        position: i + 1,
        values: o.values,
        optionValues: o.values.map((value, j) => ({
          id: `gid://shopify/ProductOptionValue/${gidTail(p.id)}${String(i + 1).padStart(2, "0")}${String(j + 1).padStart(2, "0")}`,
          name: value,
          hasVariants: variants.some((v) => v.selectedOptions[i]?.value === value),
        })),
      }));
      return args.first ? options.slice(0, args.first) : options;
    },
    variants: (p: ProductRecord, args: ConnectionArgs & { sortKey: string }, ctx) =>
      connectionOf(sortVariants(getProductVariants(ctx.state, p.id), args.sortKey, ctx.state), args, (v) => v.id),
    variantsCount: (p: ProductRecord) => ({ count: p.variantIds.length, precision: "EXACT" }),
    collections: (p: ProductRecord, args: ConnectionArgs & { query?: string | null; sortKey: string }, ctx) => {
      const { items } = filterBySearch(getProductCollections(ctx.state, p.id), args.query, collectionSpec());
      const id = (c: CollectionRecord) => c.id;
      const sorted = args.sortKey === "TITLE" ? sortBy(items, (c) => c.title, id) : sortBy(items, () => 0, id);
      return connectionOf(sorted, args, id);
    },
    inCollection: (p: ProductRecord, args: { id: string }, ctx) =>
      getCollection(ctx.state, requireGid(args.id))?.productIds.includes(p.id) ?? false,
    ...metafieldResolvers(),
  },

  ProductVariant: {
    legacyResourceId: legacyId,
    displayName: (v: VariantRecord, _a, ctx) => `${getProduct(ctx.state, v.productId)?.title ?? ""} - ${v.title}`,
    sku: (v: VariantRecord) => v.sku || null,
    barcode: () => null,
    availableForSale: (v: VariantRecord, _a, ctx) => isVariantAvailableForSale(ctx.state, v),
    sellableOnlineQuantity: (v: VariantRecord) => Math.max(0, v.inventoryQuantity),
    product: (v: VariantRecord, _a, ctx) => getProduct(ctx.state, v.productId),
    image: (v: VariantRecord, _a, ctx) => (v.imageId ? getImage(ctx.state, v.imageId) : null),
    media: (v: VariantRecord, args: ConnectionArgs, ctx) => {
      const image = v.imageId ? getImage(ctx.state, v.imageId) : null;
      return connectionOf(image ? [mediaImage(image)] : [], args, (m) => m.id);
    },
    contextualPricing: (v: VariantRecord, args: { context: { country?: string | null } }, ctx) => {
      const shop = getShop(ctx.state);
      let currency = (args.context.country && COUNTRY_CURRENCY[args.context.country]) || shop.currencyCode;
      if (currency !== shop.currencyCode && !shop.enabledPresentmentCurrencies.includes(currency)) currency = shop.currencyCode;
      const convert = (amount: string) => convertFromShopCurrency(ctx.state, amount, currency) ?? amount;
      return {
        price: moneyV2(convert(v.price), currency),
        compareAtPrice: v.compareAtPrice ? moneyV2(convert(v.compareAtPrice), currency) : null,
      };
    },
    ...metafieldResolvers(),
  },

  Collection: {
    legacyResourceId: legacyId,
    description: (c: CollectionRecord, args: { truncateAt?: number | null }) => truncate(stripHtml(c.descriptionHtml), args.truncateAt),
    sortOrder: () => "MANUAL",
    image: () => null,
    products: (c: CollectionRecord, args: ConnectionArgs & { sortKey: string }, ctx) => {
      const members = getCollectionProducts(ctx.state, c.id);
      const id = (p: ProductRecord) => p.id;
      const currency = getShop(ctx.state).currencyCode;
      let sorted: ProductRecord[];
      switch (args.sortKey) {
        case "TITLE":
          sorted = sortBy(members, (p) => p.title, id);
          break;
        case "PRICE":
          sorted = sortBy(members, (p) => amountToMinorUnits(getProductPriceRange(ctx.state, p.id)?.min ?? "0", currency), id);
          break;
        case "CREATED":
          sorted = sortBy(members, (p) => p.createdAt, id);
          break;
        case "ID":
          sorted = sortBy(members, () => 0, id);
          break;
        default: // COLLECTION_DEFAULT, MANUAL, BEST_SELLING, RELEVANCE: the collection's own order
          sorted = members;
      }
      return connectionOf(sorted, args, id);
    },
    productsCount: (c: CollectionRecord) => ({ count: c.productIds.length, precision: "EXACT" }),
    hasProduct: (c: CollectionRecord, args: { id: string }) => c.productIds.includes(requireGid(args.id)),
    ...metafieldResolvers(),
  },

  Metafield: {
    legacyResourceId: legacyId,
    jsonValue: (m: MetafieldRecord) => jsonValueOf(m),
    compareDigest: (m: MetafieldRecord) => metafieldDigest(m),
    owner: (m: MetafieldRecord, _a, ctx) => ownerObject(ctx.state, m.ownerId),
    definition: (m: MetafieldRecord, _a, ctx) =>
      ctx.state.data.metafieldDefinitions.find(
        (d) => d.ownerType === m.ownerType && d.namespace === m.namespace && d.key === m.key,
      ) ?? null,
  },

  MetafieldDefinition: {
    type: (d: MetafieldDefinitionRecord) => ({ name: d.type, category: definitionCategory(d.type) }),
    pinnedPosition: () => null,
    metafieldsCount: (d: MetafieldDefinitionRecord, _a, ctx) =>
      ctx.state.data.metafields.filter((m) => m.ownerType === d.ownerType && m.namespace === d.namespace && m.key === d.key)
        .length,
  },

  ShopifyFunction: {
    apiVersion: () => "2026-07",
    app: (_f, _a, ctx) => getApp(ctx.state),
    description: () => null,
    useCreationUi: () => false,
  },

  DiscountAutomaticApp: {
    status: (d: AutomaticAppDiscountRecord, _a, ctx) => getDiscountStatus(d, ctx.state.now()),
    discountClass: (d: AutomaticAppDiscountRecord) => (d.discountClasses.includes("PRODUCT") ? "PRODUCT" : "ORDER"),
    appDiscountType: (d: AutomaticAppDiscountRecord, _a, ctx) => {
      const fn: ShopifyFunctionRecord | null = findFunction(ctx.state, { id: d.functionId });
      return {
        appKey: fn?.appKey ?? getApp(ctx.state).apiKey,
        functionId: d.functionId,
        title: fn?.title ?? "",
        description: null,
        discountClasses: d.discountClasses,
        app: getApp(ctx.state),
      };
    },
    asyncUsageCount: () => 0,
  },

  DiscountAutomaticNode: {
    automaticDiscount: (d: AutomaticAppDiscountRecord) => discountAppView(d),
    ...metafieldResolvers(),
  },

  DiscountNode: {
    discount: (d: AutomaticAppDiscountRecord & { __metafieldOwnerId: string }) =>
      discountAppView({ ...d, id: d.__metafieldOwnerId }),
    ...metafieldResolvers(),
  },

  Order: {
    legacyResourceId: legacyId,
    processedAt: (o: OrderRecord) => o.createdAt,
    updatedAt: (o: OrderRecord) => o.createdAt,
    subtotalPriceSet: (o: OrderRecord, _a, ctx) => moneyBag(ctx, o.subtotalPrice, o.presentmentCurrencyCode),
    totalDiscountsSet: (o: OrderRecord, _a, ctx) => moneyBag(ctx, o.totalDiscounts, o.presentmentCurrencyCode),
    totalPriceSet: (o: OrderRecord, _a, ctx) => moneyBag(ctx, o.totalPrice, o.presentmentCurrencyCode),
    currentTotalPriceSet: (o: OrderRecord, _a, ctx) => moneyBag(ctx, o.totalPrice, o.presentmentCurrencyCode),
    lineItems: (o: OrderRecord, args: ConnectionArgs) =>
      connectionOf(
        o.lineItems.map((l) => ({ ...l, __order: o })),
        args,
        (l) => l.id,
      ),
    ...metafieldResolvers(),
  },

  LineItem: {
    name: (l: OrderLineItemRecord) => (l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title),
    currentQuantity: (l: OrderLineItemRecord) => l.quantity,
    variant: (l: OrderLineItemRecord, _a, ctx) => (l.variantId ? getVariant(ctx.state, l.variantId) : null),
    product: (l: OrderLineItemRecord, _a, ctx) => (l.productId ? getProduct(ctx.state, l.productId) : null),
    originalUnitPriceSet: (l: OrderLineItemRecord & { __order: OrderRecord }, _a, ctx) =>
      moneyBag(ctx, l.originalUnitPrice, l.__order.presentmentCurrencyCode),
    originalTotalSet: (l: OrderLineItemRecord & { __order: OrderRecord }, _a, ctx) =>
      moneyBag(ctx, lineTotal(l, ctx.state, false), l.__order.presentmentCurrencyCode),
    discountedTotalSet: (l: OrderLineItemRecord & { __order: OrderRecord }, _a, ctx) =>
      moneyBag(ctx, lineTotal(l, ctx.state, true), l.__order.presentmentCurrencyCode),
    totalDiscountSet: (l: OrderLineItemRecord & { __order: OrderRecord }, _a, ctx) =>
      moneyBag(ctx, l.totalDiscount, l.__order.presentmentCurrencyCode),
  },
};

function lineTotal(l: OrderLineItemRecord, state: LocalShopState, discounted: boolean): string {
  const currency = getShop(state).currencyCode;
  const gross = amountToMinorUnits(l.originalUnitPrice, currency) * l.quantity;
  const discount = discounted ? amountToMinorUnits(l.totalDiscount, currency) : 0;
  return minorUnitsToAmount(gross - discount, currency);
}

function mediaImage(image: ImageRecord) {
  return tagged("MediaImage", {
    id: `gid://shopify/MediaImage/${gidTail(image.id)}`,
    alt: image.altText,
    mediaContentType: "IMAGE",
    status: "READY",
    preview: { image, status: "READY" },
    image,
  });
}

/** Attaches resolver maps to the schema (mutates it once). A resolver must belong to a
 *  field the served subset declares (`served`), so nothing is answered undeclared. */
export function attachResolvers(schema: GraphQLSchema, maps: ResolverMap[], served: GraphQLSchema): GraphQLSchema {
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const type = schema.getType(typeName);
      const declared = served.getType(typeName);
      if (!type || !isObjectType(type) || !declared || !isObjectType(declared)) throw new Error(`Resolver for unknown or unserved type ${typeName}`);
      const defs = type.getFields();
      for (const [fieldName, resolve] of Object.entries(fields)) {
        const def = defs[fieldName];
        if (!def || !declared.getFields()[fieldName]) throw new Error(`Resolver for unknown or unserved field ${typeName}.${fieldName}`);
        def.resolve = resolve;
      }
    }
  }
  return schema;
}

/** Exposed for tests and for other local-shop parts that want the same search semantics. */
export const searchSpecs = { productSpec, variantSpec, collectionSpec, orderSpec, discountSpec };
