// Liquid objects of the local storefront, as plain data in Shopify's shapes (the fields
// the theme and the extension read; ids numeric, money in cents of the presentment
// currency, URLs localized with the request's locale prefix).
import { appNamespace, getCollectionProducts, getProduct, getProductCollections, getProductVariants, getShop, gidTail, listMetafields, isVariantAvailableForSale, listCollections, type CollectionRecord, type ImageRecord, type LocalShopState, type ProductRecord, type VariantRecord } from "../state";
import { compareAtCents, priceCents, type CartJson } from "./cart";

export const CURRENCY_SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", JPY: "¥", KRW: "₩", GBP: "£", CAD: "$" };
const CURRENCY_NAMES: Record<string, string> = { USD: "United States Dollar", EUR: "Euro", JPY: "Japanese Yen", KRW: "South Korean Won" };

/** Shopify's default formats for presentment currencies other than the shop's. */
const CURRENCY_FORMATS: Record<string, [string, string]> = {
  EUR: ["€{{amount_with_comma_separator}}", "€{{amount_with_comma_separator}} EUR"],
  JPY: ["¥{{amount_no_decimals}}", "¥{{amount_no_decimals}} JPY"],
  KRW: ["₩{{amount_no_decimals}}", "₩{{amount_no_decimals}} KRW"],
  GBP: ["£{{amount}}", "£{{amount}} GBP"],
};

export function moneyFormats(state: LocalShopState, currency: string): { money_format: string; money_with_currency_format: string } {
  const shop = getShop(state);
  if (currency == shop.currencyCode) return { money_format: shop.currencyFormats.moneyFormat, money_with_currency_format: shop.currencyFormats.moneyWithCurrencyFormat };
  const [money_format, money_with_currency_format] = CURRENCY_FORMATS[currency] ?? [`{{amount}} ${currency}`, `{{amount}} ${currency}`];
  return { money_format, money_with_currency_format };
}

export interface RequestInfo {
  locale: string;
  /** "" for the primary locale, else "/ko". */
  prefix: string;
  currency: string;
  path: string;
  origin: string;
}

const currencyDrop = (iso: string) => ({ iso_code: iso, symbol: CURRENCY_SYMBOLS[iso] ?? iso, name: CURRENCY_NAMES[iso] ?? iso });

export function imageDrop(image: ImageRecord | null | undefined) {
  if (!image) return null;
  return { id: Number(gidTail(image.id)), src: image.url, alt: image.altText ?? "", width: image.width, height: image.height, aspect_ratio: image.width / image.height };
}

export function variantDrop(state: LocalShopState, variant: VariantRecord, product: ProductRecord, req: RequestInfo) {
  const id = Number(gidTail(variant.id));
  const image = variant.imageId ? product.images.find((i) => i.id == variant.imageId) : null;
  return {
    id,
    title: variant.title,
    name: variant.title == "Default Title" ? product.title : `${product.title} - ${variant.title}`,
    price: priceCents(state, variant, req.currency),
    compare_at_price: compareAtCents(state, variant, req.currency),
    available: isVariantAvailableForSale(state, variant),
    sku: variant.sku,
    options: variant.selectedOptions.map((o) => o.value),
    option1: variant.selectedOptions[0]?.value ?? null,
    option2: variant.selectedOptions[1]?.value ?? null,
    option3: variant.selectedOptions[2]?.value ?? null,
    inventory_quantity: variant.inventoryQuantity,
    inventory_policy: variant.inventoryPolicy.toLowerCase(),
    requires_shipping: variant.requiresShipping,
    featured_image: imageDrop(image),
    url: `${req.prefix}/products/${product.handle}?variant=${id}`,
  };
}

export function productDrop(state: LocalShopState, product: ProductRecord, req: RequestInfo, selectedVariantId?: string | null) {
  const variants = getProductVariants(state, product.id).map((v) => variantDrop(state, v, product, req));
  const prices = variants.map((v) => v.price);
  const selected = selectedVariantId ? variants.find((v) => String(v.id) == selectedVariantId) ?? null : null;
  const firstAvailable = variants.find((v) => v.available) ?? null;
  const current = selected ?? firstAvailable ?? variants[0];
  const onlyDefault = variants.length == 1 && variants[0].title == "Default Title";
  const drop = {
    id: Number(gidTail(product.id)),
    title: product.title,
    handle: product.handle,
    url: `${req.prefix}/products/${product.handle}`,
    description: product.descriptionHtml,
    content: product.descriptionHtml,
    vendor: product.vendor,
    type: product.productType,
    tags: product.tags,
    available: variants.some((v) => v.available),
    price: current?.price ?? 0,
    price_min: Math.min(...prices),
    price_max: Math.max(...prices),
    price_varies: new Set(prices).size > 1,
    compare_at_price: current?.compare_at_price ?? null,
    featured_image: imageDrop(product.images[0]),
    images: product.images.map(imageDrop),
    options: product.options.map((o) => o.name),
    options_with_values: product.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values, selected_value: current?.options[i] ?? null })),
    has_only_default_variant: onlyDefault,
    variants,
    selected_variant: selected,
    selected_or_first_available_variant: current,
    first_available_variant: firstAvailable,
    collections: getProductCollections(state, product.id).map((c) => ({ id: Number(gidTail(c.id)), handle: c.handle, title: c.title, url: `${req.prefix}/collections/${c.handle}` })),
  };
  return withMetafields(drop, state, product.id, req);
}

/** Adds `metafields` to a drop, read only when Liquid reads it, and left out of the drop's
 *  `json` (as Shopify's product json leaves it out): products reference each other through
 *  their metafields, so building them eagerly would never end. */
function withMetafields<T extends object>(drop: T, state: LocalShopState, ownerId: string, req: RequestInfo): T {
  let metafields: ReturnType<typeof metafieldsDrop> | undefined;
  return Object.defineProperty(drop, "metafields", { enumerable: false, get: () => (metafields ??= metafieldsDrop(state, ownerId, req)) });
}

/** Metafield types whose Liquid `value` is structured (parsed from the stored JSON). */
const STRUCTURED = /^(json|rating|list\.|dimension|volume|weight|money)/;

export interface MetafieldDrop {
  value: unknown;
  type: string;
  "list?": boolean;
}

/** The product a reference names as the online store shows it; null for a product the
 *  store does not sell (deleted, draft, archived), which Liquid leaves out. */
function referencedProduct(state: LocalShopState, ref: unknown, req: RequestInfo) {
  const product = typeof ref == "string" ? getProduct(state, ref) : null;
  return product && product.status == "ACTIVE" ? productDrop(state, product, req) : null;
}

/** An owner's metafields as Liquid reads them: `metafields[namespace][key]` with `value`,
 *  `type` and `list?`. The app's reserved namespace is also reachable as `$app`, the prefix
 *  theme app extensions use. As on Shopify, a reference's `value` is the object it names:
 *  `product_reference` a product, `list.product_reference` an array of products in the
 *  stored order (resolved when read, as a product may reference one that references it). */
export function metafieldsDrop(state: LocalShopState, ownerId: string, req: RequestInfo): Record<string, Record<string, MetafieldDrop>> {
  const out: Record<string, Record<string, MetafieldDrop>> = {};
  for (const m of listMetafields(state, ownerId)) {
    let value: unknown = m.value;
    if (STRUCTURED.test(m.type)) {
      try {
        value = JSON.parse(m.value);
      } catch {
        value = null;
      }
    } else if (m.type == "number_integer" || m.type == "number_decimal") value = Number(m.value);
    else if (m.type == "boolean") value = m.value == "true";
    const drop: MetafieldDrop = { value, type: m.type, "list?": m.type.startsWith("list.") };
    if (m.type == "product_reference" || m.type == "list.product_reference") {
      const stored = value;
      let resolved: unknown;
      Object.defineProperty(drop, "value", {
        enumerable: true,
        get: () =>
          (resolved ??=
            m.type == "product_reference"
              ? referencedProduct(state, stored, req)
              : Array.isArray(stored)
                ? stored.flatMap((ref) => referencedProduct(state, ref, req) ?? [])
                : []),
      });
    }
    (out[m.namespace] ??= {})[m.key] = drop;
  }
  const app = out[appNamespace(state)];
  if (app) out["$app"] = app;
  return out;
}

export function collectionDrop(state: LocalShopState, collection: CollectionRecord, req: RequestInfo) {
  const products = getCollectionProducts(state, collection.id).filter((p) => p.status == "ACTIVE");
  return {
    id: Number(gidTail(collection.id)),
    handle: collection.handle,
    title: collection.title,
    description: collection.descriptionHtml,
    url: `${req.prefix}/collections/${collection.handle}`,
    products: products.map((p) => productDrop(state, p, req)),
    products_count: products.length,
    all_products_count: products.length,
  };
}

/** The `collections` global: by handle, plus `all`. */
export function collectionsDrop(state: LocalShopState, req: RequestInfo) {
  const out: Record<string, unknown> = {};
  for (const c of listCollections(state)) out[c.handle] = collectionDrop(state, c, req);
  const all = state.data.products.filter((p) => p.status == "ACTIVE");
  out.all = { id: 0, handle: "all", title: "All products", description: "", url: `${req.prefix}/collections/all`, products: all.map((p) => productDrop(state, p, req)), products_count: all.length, all_products_count: all.length };
  return out;
}

/** The `cart` object, from the cart.js data (so Liquid and /cart.js always agree). */
export function cartDrop(cart: CartJson, req: RequestInfo, state: LocalShopState) {
  return {
    ...cart,
    empty: cart.items.length == 0,
    currency: currencyDrop(cart.currency),
    items: cart.items.map((i) => ({
      ...i,
      url: req.prefix + i.url,
      image: i.featured_image ? { src: i.featured_image.url, alt: i.featured_image.alt ?? "", width: i.featured_image.width, height: i.featured_image.height } : null,
      product: withMetafields(
        {
          id: i.product_id,
          title: i.product_title,
          handle: i.handle,
          url: `${req.prefix}/products/${i.handle}`,
          has_only_default_variant: i.product_has_only_default_variant,
          vendor: i.vendor,
          type: i.product_type,
        },
        state,
        `gid://shopify/Product/${i.product_id}`,
        req,
      ),
      variant: { id: i.variant_id, title: i.variant_title ?? "Default Title" },
    })),
  };
}

export function shopDrop(state: LocalShopState, req: RequestInfo) {
  const shop = getShop(state);
  return {
    name: shop.name,
    email: shop.email,
    currency: shop.currencyCode,
    ...moneyFormats(state, req.currency),
    enabled_currencies: shop.enabledPresentmentCurrencies.map(currencyDrop),
    domain: shop.myshopifyDomain,
    permanent_domain: shop.myshopifyDomain,
    url: req.origin,
    secure_url: req.origin,
    locale: req.locale,
  };
}

export function localizationDrop(state: LocalShopState, req: RequestInfo) {
  const shop = getShop(state);
  const languages = shop.locales.filter((l) => l.published).map((l) => ({ iso_code: l.locale, endonym_name: l.name, name: l.name, primary: l.primary, root_url: l.primary ? "/" : `/${l.locale}` }));
  return {
    available_currencies: shop.enabledPresentmentCurrencies.map(currencyDrop),
    country: { iso_code: shop.countryCode, name: "United States", currency: currencyDrop(req.currency) },
    language: languages.find((l) => l.iso_code == req.locale) ?? languages[0],
    available_languages: languages,
  };
}

export function routesDrop(req: RequestInfo) {
  const p = req.prefix;
  return {
    root_url: p || "/",
    account_url: `${p}/account`,
    cart_url: `${p}/cart`,
    cart_add_url: `${p}/cart/add`,
    cart_change_url: `${p}/cart/change`,
    cart_update_url: `${p}/cart/update`,
    cart_clear_url: `${p}/cart/clear`,
    collections_url: `${p}/collections`,
    all_products_collection_url: `${p}/collections/all`,
    localization_url: `${p}/localization`,
    search_url: `${p}/search`,
  };
}
