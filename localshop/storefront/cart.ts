// The local shop's Ajax Cart: /cart.js and its mutations over the per-visitor carts of
// ../cart-store.ts, answering in cart.js's shapes. Prices always come from the catalog,
// converted to the cart's currency at the shop's rates: nothing a request carries can
// set a price. Money fields are cents (hundredths of the major unit, even for JPY/KRW),
// as Shopify's Ajax API returns them.
//
// Discounts: Shopify applies the app's automatic discount (the Cartlift discount function,
// which runs the offer engine) to the cart, so cart.js shows them. The local shop stands
// in for that by evaluating the published ruleset with the same engine: a line added
// through an offer earns exactly what the discount function would give it.
import { createHash } from "node:crypto";
import { evaluate, parseRuleset, type CartDiscount } from "../../app/engine";
import { OFFER_LINE_PROPERTY } from "../../app/engine/cart";
import { STOREFRONT_RULESET } from "../../app/offers/metafields";
import { toCents } from "../../storefront/money";
import { createCart, saveCart, type StoredCart, type StoredCartLine } from "../cart-store";
import {
  amountToMinorUnits,
  convertFromShopCurrency,
  getCurrencyRate,
  getMetafieldJson,
  getProduct,
  getVariant,
  getVariantDisplayImage,
  gidTail,
  isVariantAvailableForSale,
  type LocalShopState,
  type ProductRecord,
  type VariantRecord,
} from "../state";

export class CartError extends Error {
  constructor(
    public status: number,
    public description: string,
  ) {
    super(description);
  }
  toJSON() {
    return { status: this.status, message: "Cart Error", description: this.description };
  }
}

export const variantGid = (id: string | number) => `gid://shopify/ProductVariant/${id}`;

/** A variant's unit price in `currency`, in cents. */
export function priceCents(state: LocalShopState, variant: VariantRecord, currency: string): number {
  const amount = convertFromShopCurrency(state, variant.price, currency) ?? variant.price;
  return toCents(amountToMinorUnits(amount, currency), currency);
}

export function compareAtCents(state: LocalShopState, variant: VariantRecord, currency: string): number | null {
  if (!variant.compareAtPrice) return null;
  const amount = convertFromShopCurrency(state, variant.compareAtPrice, currency) ?? variant.compareAtPrice;
  return toCents(amountToMinorUnits(amount, currency), currency);
}

/** cart.js's line key: variant id and a digest of the properties (same both → same line). */
export function lineKey(variantId: string, properties: Record<string, string>): string {
  const sorted = Object.keys(properties)
    .sort()
    .map((k) => [k, properties[k]]);
  return `${gidTail(variantId)}:${createHash("md5").update(JSON.stringify(sorted)).digest("hex")}`;
}

interface PricedLine {
  line: StoredCartLine;
  variant: VariantRecord;
  product: ProductRecord;
  unit: number;
  discount: number;
  discountTitle?: string;
}

/** The engine's discounts for the cart, in cents per line key (fail closed: none). */
function engineDiscounts(state: LocalShopState, cart: StoredCart, lines: PricedLine[]): Map<string, Extract<CartDiscount, { kind: "lineDiscount" }>> {
  const out = new Map<string, Extract<CartDiscount, { kind: "lineDiscount" }>>();
  const json = getMetafieldJson(state, state.data.app.installationId, STOREFRONT_RULESET.namespace, STOREFRONT_RULESET.key);
  if (!json || !lines.length) return out;
  const parsed = parseRuleset(json);
  if (!parsed.ok) return out;
  const currency = cart.currency;
  const evaluation = evaluate(
    parsed.ruleset,
    {
      currency,
      lines: lines.map((l) => ({
        id: l.line.key,
        productId: gidTail(l.product.id)!,
        variantId: gidTail(l.variant.id)!,
        quantity: l.line.quantity,
        unitPrice: amountToMinorUnits(convertFromShopCurrency(state, l.variant.price, currency) ?? l.variant.price, currency),
        tags: l.product.tags,
        vendor: l.product.vendor,
        productType: l.product.productType,
        collectionIds: state.data.collections.filter((c) => c.productIds.includes(l.product.id)).map((c) => gidTail(c.id)!),
        ...(l.line.properties[OFFER_LINE_PROPERTY] ? { offerId: l.line.properties[OFFER_LINE_PROPERTY] } : {}),
      })),
    },
    { placement: "cart", now: state.now(), rate: getCurrencyRate(state, currency) ?? undefined },
  );
  for (const d of evaluation.discounts) if (d.kind == "lineDiscount") out.set(d.lineId, d);
  return out;
}

function priced(state: LocalShopState, cart: StoredCart): PricedLine[] {
  const lines: PricedLine[] = [];
  for (const line of cart.lines) {
    const variant = getVariant(state, line.variantId);
    const product = variant && getProduct(state, variant.productId);
    if (!variant || !product) continue;
    lines.push({ line, variant, product, unit: priceCents(state, variant, cart.currency), discount: 0 });
  }
  const discounts = engineDiscounts(state, cart, lines);
  for (const l of lines) {
    const d = discounts.get(l.line.key);
    if (d) {
      l.discount = toCents(d.amount, cart.currency);
      l.discountTitle = d.message;
    }
  }
  return lines;
}

/** The cart as /cart.js returns it. An absent cart is an empty one in `currency`. */
export function cartJson(state: LocalShopState, cart: StoredCart | undefined, currency: string) {
  const cur = cart?.currency ?? currency;
  const items = cart
    ? priced(state, cart).map(({ line, variant, product, unit, discount, discountTitle }) => {
        const image = getVariantDisplayImage(state, variant);
        const defaultVariant = variant.title == "Default Title";
        const lineTotal = unit * line.quantity;
        const final = lineTotal - discount;
        const allocation = discount
          ? [{ amount: discount, discount_application: { type: "automatic", key: "cartlift", title: discountTitle, description: discountTitle, value_type: "fixed_amount", allocation_method: "each", target_selection: "entitled", target_type: "line_item", total_allocated_amount: discount } }]
          : [];
        return {
          id: Number(gidTail(variant.id)),
          properties: line.properties,
          quantity: line.quantity,
          variant_id: Number(gidTail(variant.id)),
          key: line.key,
          title: defaultVariant ? product.title : `${product.title} - ${variant.title}`,
          price: unit,
          original_price: unit,
          presentment_price: unit / 100,
          discounted_price: Math.round(final / line.quantity),
          line_price: lineTotal,
          original_line_price: lineTotal,
          total_discount: discount,
          discounts: discount ? [{ amount: discount, title: discountTitle }] : [],
          sku: variant.sku,
          grams: 0,
          vendor: product.vendor,
          taxable: variant.taxable,
          product_id: Number(gidTail(product.id)),
          product_has_only_default_variant: defaultVariant,
          gift_card: false,
          final_price: Math.round(final / line.quantity),
          final_line_price: final,
          url: `/products/${product.handle}?variant=${gidTail(variant.id)}`,
          featured_image: image ? { aspect_ratio: image.width / image.height, alt: image.altText, height: image.height, url: image.url, width: image.width } : null,
          image: image?.url ?? null,
          handle: product.handle,
          requires_shipping: variant.requiresShipping,
          product_type: product.productType,
          product_title: product.title,
          product_description: product.descriptionHtml.replace(/<[^>]+>/g, ""),
          variant_title: defaultVariant ? null : variant.title,
          variant_options: variant.selectedOptions.map((o) => o.value),
          options_with_values: defaultVariant ? [] : variant.selectedOptions.map((o) => ({ name: o.name, value: o.value })),
          line_level_discount_allocations: allocation,
          line_level_total_discount: discount,
        };
      })
    : [];
  const original = items.reduce((s, i) => s + i.original_line_price, 0);
  const total = items.reduce((s, i) => s + i.final_line_price, 0);
  return {
    token: cart?.token ?? "",
    note: cart?.note ?? "",
    attributes: cart?.attributes ?? {},
    original_total_price: original,
    total_price: total,
    total_discount: original - total,
    total_weight: 0,
    item_count: items.reduce((s, i) => s + i.quantity, 0),
    items,
    requires_shipping: items.some((i) => i.requires_shipping),
    currency: cur,
    items_subtotal_price: total,
    cart_level_discount_applications: [],
  };
}
export type CartJson = ReturnType<typeof cartJson>;

function sellable(state: LocalShopState, variantId: string): { variant: VariantRecord; product: ProductRecord } {
  const variant = getVariant(state, variantGid(gidTail(variantId) ?? variantId));
  const product = variant && getProduct(state, variant.productId);
  if (!variant || !product || product.status != "ACTIVE") throw new CartError(422, "Cannot find variant");
  if (!isVariantAvailableForSale(state, variant)) throw new CartError(422, `The product '${product.title}' is already sold out.`);
  return { variant, product };
}

function checkStock(state: LocalShopState, cart: StoredCart, variant: VariantRecord, product: ProductRecord): void {
  if (variant.inventoryPolicy == "CONTINUE") return;
  const inCart = cart.lines.filter((l) => l.variantId == variant.id).reduce((s, l) => s + l.quantity, 0);
  if (inCart > variant.inventoryQuantity) {
    const name = variant.title == "Default Title" ? product.title : `${product.title} - ${variant.title}`;
    throw new CartError(422, `You can't add more ${name} to the cart.`);
  }
}

const cleanProperties = (p: unknown): Record<string, string> =>
  p && typeof p == "object" && !Array.isArray(p)
    ? Object.fromEntries(Object.entries(p as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [k, String(v)]))
    : {};

export interface AddItemInput {
  id: string | number;
  quantity?: number | string;
  properties?: unknown;
}

/** /cart/add.js: adds (or merges into) lines; all or nothing. Returns the lines touched. */
export function addItems(state: LocalShopState, cart: StoredCart | undefined, currency: string, inputs: AddItemInput[]): { cart: StoredCart; keys: string[] } {
  if (!inputs.length) throw new CartError(422, "Cart Error");
  const target = cart ?? createCart(currency);
  const lines = target.lines.map((l) => ({ ...l, properties: { ...l.properties } }));
  const draft: StoredCart = { ...target, lines };
  const keys: string[] = [];
  for (const input of inputs) {
    const quantity = input.quantity === undefined || input.quantity === "" ? 1 : Number(input.quantity);
    if (!Number.isInteger(quantity) || quantity < 1) throw new CartError(422, "Quantity must be a whole number of at least 1");
    const { variant, product } = sellable(state, String(input.id));
    const properties = cleanProperties(input.properties);
    const key = lineKey(variant.id, properties);
    const existing = lines.find((l) => l.key == key);
    if (existing) {
      existing.quantity += quantity;
      // cart.js lists the line most recently added to first.
      lines.splice(lines.indexOf(existing), 1);
      lines.unshift(existing);
    } else lines.unshift({ key, variantId: variant.id, quantity, properties });
    checkStock(state, draft, variant, product);
    if (!keys.includes(key)) keys.push(key);
  }
  target.lines = lines;
  return { cart: saveCart(target), keys };
}

/** Finds a line by `id` (a line key, or a variant id: its first line) or 1-based `line`. */
function findLine(cart: StoredCart, id: unknown, line: unknown): StoredCartLine {
  let found: StoredCartLine | undefined;
  if (line !== undefined && line !== null && line !== "") found = cart.lines[Number(line) - 1];
  else if (typeof id == "string" && id.includes(":")) found = cart.lines.find((l) => l.key == id);
  else if (id !== undefined && id !== null && id !== "") found = cart.lines.find((l) => gidTail(l.variantId) == String(id));
  if (!found) throw new CartError(400, "no valid id or line parameter");
  return found;
}

/** /cart/change.js: sets one line's quantity (0 removes it) and/or properties. */
export function changeLine(state: LocalShopState, cart: StoredCart | undefined, currency: string, input: { id?: unknown; line?: unknown; quantity?: unknown; properties?: unknown }): StoredCart {
  const target = cart ?? createCart(currency);
  const line = findLine(target, input.id, input.line);
  if (input.properties !== undefined) {
    line.properties = cleanProperties(input.properties);
    line.key = lineKey(line.variantId, line.properties);
  }
  if (input.quantity !== undefined && input.quantity !== null && input.quantity !== "") {
    const q = Number(input.quantity);
    if (!Number.isInteger(q) || q < 0) throw new CartError(422, "Quantity must be a whole number");
    if (q == 0) target.lines = target.lines.filter((l) => l != line);
    else {
      const before = line.quantity;
      line.quantity = q;
      const variant = getVariant(state, line.variantId)!;
      try {
        checkStock(state, target, variant, getProduct(state, variant.productId)!);
      } catch (e) {
        line.quantity = before;
        throw e;
      }
    }
  }
  return saveCart(target);
}

/** /cart/update.js: `updates` by key or variant id (object) or by position (array); note; attributes. */
export function updateCart(state: LocalShopState, cart: StoredCart | undefined, currency: string, input: { updates?: unknown; note?: unknown; attributes?: unknown }): StoredCart {
  const target = cart ?? createCart(currency);
  const { updates } = input;
  if (Array.isArray(updates)) {
    updates.forEach((q, i) => target.lines[i] && changeLine(state, target, currency, { line: i + 1, quantity: q }));
  } else if (updates && typeof updates == "object") {
    for (const [id, q] of Object.entries(updates as Record<string, unknown>)) {
      const exists = id.includes(":") ? target.lines.some((l) => l.key == id) : target.lines.some((l) => gidTail(l.variantId) == id);
      if (exists) changeLine(state, target, currency, { id, quantity: q });
      else if (Number(q) > 0) addItems(state, target, currency, [{ id, quantity: Number(q) }]);
    }
  }
  if (typeof input.note == "string") target.note = input.note;
  if (input.attributes && typeof input.attributes == "object") {
    for (const [k, v] of Object.entries(input.attributes as Record<string, unknown>)) {
      if (v === "" || v === null) delete target.attributes[k];
      else target.attributes[k] = String(v);
    }
  }
  return saveCart(target);
}

export function clearCart(cart: StoredCart | undefined, currency: string): StoredCart {
  const target = cart ?? createCart(currency);
  target.lines = [];
  target.attributes = {};
  target.note = "";
  return saveCart(target);
}
