// The local checkout's model: a visitor's cart (../cart-store.ts) priced from the catalog in
// the cart's currency, with the shop's active Cartlift automatic discount applied by running
// the discount function's built WebAssembly module (./wasm-function.ts) on an input built by
// its own input queries; the result is
// what the checkout page shows and what the checkout UI extension's `shopify` global holds.
// Also: the cart line changes the extension may ask for, and completing the order.
//
// Invariants: prices come from the catalog at the shop's rates (as the storefront's cart.js
// does), never from a request; line attributes are stored as given but only ever identify
// an offer; amounts are integer minor units of the cart's currency until they are shown.
import { createHash } from "node:crypto";
import { decimalToMinor, minorDigits, minorToDecimal } from "../../app/engine";
import { CHECKOUT_RULESET } from "../../app/offers/metafields";
import { saveCart, type StoredCart, type StoredCartLine } from "../cart-store";
import {
  addOrder,
  amountToMinorUnits,
  convertFromShopCurrency,
  findFunction,
  getCurrencyRate,
  getMetafield,
  getProduct,
  getVariant,
  getVariantDisplayImage,
  gidTail,
  isVariantAvailableForSale,
  listActiveAutomaticDiscounts,
  minorUnitsToAmount,
  type LocalShopState,
  type OrderRecord,
  type ProductRecord,
  type VariantRecord,
} from "../state";
import { codeDiscountApplies, recordCodeUse, redeemableCode, type CodeDiscountRecord } from "../admin-api/code-discounts";
import { inputVariablesMetafield, runInputQuery, type DiscountTarget } from "./function-input";
import { runDiscountFunction } from "./wasm-function";
import { applyDiscountResults, emptyDiscounts, type AppliedDiscounts, type DiscountClass } from "./operations";

/** The discount function this checkout can run (the app's, deployed as `cartlift-discount`). */
export const CARTLIFT_FUNCTION_HANDLE = "cartlift-discount";
/** Flat-rate shipping of the local shop, in the shop's currency. */
export const STANDARD_SHIPPING = { handle: "standard", title: "Standard", amount: "6.99" } as const;
export const DELIVERY_GROUP_ID = "gid://shopify/CartDeliveryGroup/1";

export interface Money {
  amount: number;
  currencyCode: string;
}

/** One checkout line in the 2026-07 checkout API's CartLine shape, plus what the page shows. */
export interface CheckoutLine {
  id: string;
  quantity: number;
  merchandise: {
    type: "variant";
    id: string;
    title: string;
    subtitle?: string;
    image?: { url: string; altText?: string };
    selectedOptions: { name: string; value: string }[];
    product: { id: string; vendor: string; productType: string };
    requiresShipping: boolean;
    sku?: string;
  };
  cost: { totalAmount: Money };
  attributes: { key: string; value: string }[];
  discountAllocations: ({ type: "automatic"; title: string; discountedAmount: Money } | { type: "code"; code: string; title: string; discountedAmount: Money })[];
  lineComponents: [];
  parentRelationship: null;
  /** For the page, not part of the API. */
  display: { productTitle: string; variantTitle: string | null; originalTotal: Money };
}

export interface CheckoutView {
  cartToken: string;
  currency: string;
  country: string;
  shop: { id: string; name: string; storefrontUrl: string; myshopifyDomain: string };
  lines: CheckoutLine[];
  /** The cart's attributes (`shopify.attributes`), as the storefront left them. */
  attributes: { key: string; value: string }[];
  cost: { subtotalAmount: Money; totalShippingAmount?: Money; totalAmount: Money };
  /** The codes applied (`shopify.discountCodes`). */
  discountCodes: { code: string }[];
  /** Order-level discounts (none from Cartlift today) and what was saved in total. */
  discountAllocations: { type: "automatic"; title: string; discountedAmount: Money }[];
  savings: Money;
  shipping: null | { title: string; original: Money; discounted: Money; discounts: { title: string; amount: Money }[] };
  deliveryGroups: {
    id: string;
    groupType: "oneTimePurchase";
    isDeliveryRequired: boolean;
    targetedCartLines: { id: string }[];
    deliveryOptions: { handle: string; title: string; type: "shipping"; cost: Money; costAfterDiscounts: Money }[];
    selectedDeliveryOption?: { handle: string };
  }[];
  /** `shopify.appMetafields`: what the extension's toml declares, as the checkout serves it. */
  appMetafields: { target: { type: "shop" | "product"; id: string }; metafield: { namespace: string; key: string; value: string; valueType: "json_string"; type: string } }[];
  /** Function results Shopify would have rejected (shown to developers on the page). */
  functionProblems: string[];
}

interface PricedLine {
  line: StoredCartLine;
  variant: VariantRecord;
  product: ProductRecord;
  unit: number;
}

/** A line's checkout id (opaque; stable for a given cart line key). */
export const lineGid = (key: string) => `gid://shopify/CartLine/${encodeURIComponent(key)}`;

/** Same line = same variant and same attributes (Shopify merges them), as cart.js keys them. */
export function lineKey(variantId: string, properties: Record<string, string>): string {
  const sorted = Object.keys(properties)
    .sort()
    .map((k) => [k, properties[k]]);
  return `${gidTail(variantId)}:${createHash("md5").update(JSON.stringify(sorted)).digest("hex")}`;
}

const money = (minor: number, currency: string): Money => ({
  amount: minor / 10 ** minorDigits(currency),
  currencyCode: currency,
});

/** A variant's unit price in the cart's currency (minor units), at the shop's rate. */
export function unitPrice(state: LocalShopState, variant: VariantRecord, currency: string): number {
  const amount = convertFromShopCurrency(state, variant.price, currency) ?? variant.price;
  return amountToMinorUnits(amount, currency);
}

function priced(state: LocalShopState, cart: StoredCart): PricedLine[] {
  const out: PricedLine[] = [];
  for (const line of cart.lines) {
    const variant = getVariant(state, line.variantId);
    const product = variant && getProduct(state, variant.productId);
    if (!variant || !product || line.quantity < 1) continue;
    out.push({ line, variant, product, unit: unitPrice(state, variant, cart.currency) });
  }
  return out;
}

function shippingCost(state: LocalShopState, currency: string): number {
  return amountToMinorUnits(convertFromShopCurrency(state, STANDARD_SHIPPING.amount, currency) ?? STANDARD_SHIPPING.amount, currency);
}

/** The input root the function's input queries resolve against (Discount Function API). */
function functionInputRoot(
  state: LocalShopState,
  cart: StoredCart,
  lines: PricedLine[],
  discount: { id: string; discountClasses: DiscountClass[] },
  group: { id: string; cost: number } | null,
) {
  const currency = cart.currency;
  const m = (minor: number) => ({ amount: minorToDecimal(minor, currency), currencyCode: currency });
  const inputLines = lines.map(({ line, variant, product, unit }) => ({
    id: lineGid(line.key),
    quantity: line.quantity,
    cost: { amountPerQuantity: m(unit), compareAtAmountPerQuantity: null, subtotalAmount: m(unit * line.quantity), totalAmount: m(unit * line.quantity) },
    attribute: ({ key }: { key?: string }) => (key && key in line.properties ? { key, value: line.properties[key] } : null),
    merchandise: {
      __typename: "ProductVariant",
      id: variant.id,
      sku: variant.sku || null,
      title: variant.title,
      requiresShipping: variant.requiresShipping,
      product: {
        id: product.id,
        handle: product.handle,
        title: product.title,
        vendor: product.vendor,
        productType: product.productType,
        isGiftCard: false,
        hasAnyTag: ({ tags }: { tags: string[] }) => tags.some((t) => product.tags.includes(t)),
        inAnyCollection: ({ ids }: { ids: string[] }) =>
          state.data.collections.some((c) => ids.includes(c.id) && c.productIds.includes(product.id)),
      },
    },
  }));
  const subtotal = lines.reduce((s, l) => s + l.unit * l.line.quantity, 0);
  const option = { handle: STANDARD_SHIPPING.handle, title: STANDARD_SHIPPING.title, code: STANDARD_SHIPPING.handle, description: null, deliveryMethodType: "SHIPPING", cost: m(group?.cost ?? 0) };
  return {
    cart: {
      attribute: ({ key }: { key?: string }) => (key && key in cart.attributes ? { key, value: cart.attributes[key] } : null),
      buyerIdentity: null,
      cost: { subtotalAmount: m(subtotal), totalAmount: m(subtotal) },
      lines: inputLines,
      deliveryGroups: group
        ? [{ id: group.id, cartLines: inputLines.filter((_, i) => lines[i].variant.requiresShipping), deliveryOptions: [option], selectedDeliveryOption: option }]
        : [],
    },
    discount: {
      discountClasses: discount.discountClasses,
      metafield: ({ namespace, key }: { namespace?: string; key: string }) => {
        const mf = getMetafield(state, discount.id, namespace ?? "$app", key);
        if (!mf) return null;
        let jsonValue: unknown = mf.value;
        try {
          jsonValue = JSON.parse(mf.value);
        } catch {
          // a non-JSON value is served as the string it is
        }
        return { jsonValue, value: mf.value, type: mf.type };
      },
    },
    localization: { country: { isoCode: state.data.shop.countryCode }, language: { isoCode: "EN" } },
    presentmentCurrencyRate: String(getCurrencyRate(state, currency) ?? 1),
    shop: { localTime: localTime(state.now(), state.data.shop.ianaTimezone) },
    triggeringDiscountCode: null,
  };
}

/** The shop's local wall-clock time of `now` as milliseconds of a UTC calendar. */
function wallClock(now: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  for (const p of format.formatToParts(now)) if (p.type != "literal") parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) + (now % 1000);
}

/** Shopify's `LocalTime` at `now` in the shop's time zone: the local date, and the documented
 *  comparisons with a local date-time (DateTimeWithoutTimezone, already checked by the
 *  schema): `dateTimeAfter` "at or past", `dateTimeBefore` "before". */
export function localTime(now: number, timeZone: string) {
  const wall = wallClock(now, timeZone);
  const at = (dateTime: string) => Date.parse(dateTime + "Z");
  return {
    date: new Date(wall).toISOString().slice(0, 10),
    dateTimeAfter: ({ dateTime }: { dateTime: string }) => wall >= at(dateTime),
    dateTimeBefore: ({ dateTime }: { dateTime: string }) => wall < at(dateTime),
  };
}

/** The input queries' variables, as Shopify reads them: the JSON object in the discount's
 *  metafield that the toml's `[extensions.input.variables]` names (none: no variables). */
function inputVariables(state: LocalShopState, discountId: string): Record<string, unknown> | null {
  const where = inputVariablesMetafield();
  const mf = where && getMetafield(state, discountId, where.namespace, where.key);
  if (!mf) return null;
  try {
    const value = JSON.parse(mf.value);
    return value && typeof value == "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Runs every active automatic discount of the Cartlift function on the cart. */
export function runDiscounts(state: LocalShopState, cart: StoredCart, lines: PricedLine[], group: { id: string; cost: number } | null) {
  const applied: AppliedDiscounts = emptyDiscounts();
  const problems: string[] = [];
  const fn = findFunction(state, { handle: CARTLIFT_FUNCTION_HANDLE });
  if (!fn || !lines.length) return { applied, problems };
  for (const discount of listActiveAutomaticDiscounts(state)) {
    if (discount.functionId != fn.id) continue;
    const root = functionInputRoot(state, cart, lines, discount, group);
    const variables = inputVariables(state, discount.id);
    // The function's built module on the input its own query builds (with the variables from
    // the discount's metafield); a failed run, or an input Shopify could not build (a
    // required variable missing or invalid), applies nothing (as on Shopify) and says why.
    const run = (target: DiscountTarget) => {
      let input: unknown;
      try {
        input = runInputQuery(target, root, variables);
      } catch (error) {
        const why = `${target}: the input could not be built (${(error as Error).message}); no discount applied`;
        console.warn(`local checkout: ${why}`);
        problems.push(why);
        return undefined;
      }
      const result = runDiscountFunction(target, input, fn.module);
      if (result.ok) return result.output;
      const why = `${target}: ${result.refused ? "refused as Shopify would refuse it" : "the function failed"} (${result.error}); no discount applied`;
      console.warn(`local checkout: ${why}`);
      problems.push(why);
      return undefined;
    };
    const results = {
      lines: run("cart.lines.discounts.generate.run"),
      delivery: group ? run("cart.delivery-options.discounts.generate.run") : undefined,
    };
    problems.push(
      ...applyDiscountResults(
        applied,
        discount,
        cart.currency,
        lines.map((l) => ({ id: lineGid(l.line.key), quantity: l.line.quantity, unitPrice: l.unit })),
        group ? [group] : [],
        results,
      ),
    );
  }
  return { applied, problems };
}

/** The checkout as the page and the extension see it. */
export function checkoutView(state: LocalShopState, cart: StoredCart, shopUrl: string): CheckoutView {
  const currency = cart.currency;
  const m = (minor: number) => money(minor, currency);
  const lines = priced(state, cart);
  const needsShipping = lines.some((l) => l.variant.requiresShipping);
  const group = needsShipping ? { id: DELIVERY_GROUP_ID, cost: shippingCost(state, currency) } : null;
  const { applied, problems } = runDiscounts(state, cart, lines, group);

  const codes = codeAllocations(state, cart, lines);
  let subtotal = 0;
  let savings = 0;
  const checkoutLines: CheckoutLine[] = lines.map(({ line, variant, product, unit }) => {
    const id = lineGid(line.key);
    const automatic = applied.lines.get(id) ?? [];
    const code = codes.lines.get(id);
    // A code and the automatic discount do not combine on a line: the larger one applies.
    const codeWins = !!code && code.amount > automatic.reduce((s, a) => s + a.amount, 0);
    const allocations: { title: string; amount: number; code?: string }[] = codeWins ? [code] : automatic;
    const discounted = allocations.reduce((s, a) => s + a.amount, 0);
    const total = unit * line.quantity - discounted;
    subtotal += total;
    savings += discounted;
    const image = getVariantDisplayImage(state, variant);
    const variantTitle = variant.title == "Default Title" ? null : variant.title;
    return {
      id,
      quantity: line.quantity,
      merchandise: {
        type: "variant",
        id: variant.id,
        title: product.title,
        ...(variantTitle ? { subtitle: variantTitle } : {}),
        ...(image ? { image: { url: new URL(image.url, shopUrl).href, altText: image.altText ?? product.title } } : {}),
        selectedOptions: variant.selectedOptions,
        product: { id: product.id, vendor: product.vendor, productType: product.productType },
        requiresShipping: variant.requiresShipping,
        ...(variant.sku ? { sku: variant.sku } : {}),
      },
      cost: { totalAmount: m(total) },
      attributes: Object.entries(line.properties).map(([key, value]) => ({ key, value })),
      discountAllocations: allocations.map((a) =>
        a.code ? { type: "code" as const, code: a.code, title: a.code, discountedAmount: m(a.amount) } : { type: "automatic" as const, title: a.title, discountedAmount: m(a.amount) },
      ),
      lineComponents: [],
      parentRelationship: null,
      display: { productTitle: product.title, variantTitle, originalTotal: m(unit * line.quantity) },
    };
  });

  const orderDiscount = applied.order.reduce((s, a) => s + a.amount, 0);
  savings += orderDiscount;
  let shippingTotal = 0;
  let shipping: CheckoutView["shipping"] = null;
  if (group) {
    const discounts = applied.delivery.get(group.id) ?? [];
    const off = Math.min(group.cost, discounts.reduce((s, a) => s + a.amount, 0));
    shippingTotal = group.cost - off;
    savings += off;
    shipping = {
      title: STANDARD_SHIPPING.title,
      original: m(group.cost),
      discounted: m(shippingTotal),
      discounts: discounts.map((d) => ({ title: d.title, amount: m(d.amount) })),
    };
  }
  const shop = state.data.shop;
  const ruleset = getMetafield(state, shop.id, CHECKOUT_RULESET.namespace, CHECKOUT_RULESET.key);
  return {
    cartToken: cart.token,
    currency,
    country: shop.countryCode,
    shop: { id: shop.id, name: shop.name, storefrontUrl: shopUrl, myshopifyDomain: shop.myshopifyDomain },
    lines: checkoutLines,
    attributes: Object.entries(cart.attributes).map(([key, value]) => ({ key, value })),
    discountCodes: codes.applied.map((d) => ({ code: d.code })),
    cost: {
      subtotalAmount: m(subtotal),
      ...(group ? { totalShippingAmount: m(shippingTotal) } : {}),
      totalAmount: m(subtotal - orderDiscount + shippingTotal),
    },
    discountAllocations: applied.order.map((a) => ({ type: "automatic", title: a.title, discountedAmount: m(a.amount) })),
    savings: m(savings),
    shipping,
    deliveryGroups: group
      ? [
          {
            id: group.id,
            groupType: "oneTimePurchase",
            isDeliveryRequired: true,
            targetedCartLines: checkoutLines.filter((l) => l.merchandise.requiresShipping).map((l) => ({ id: l.id })),
            deliveryOptions: [
              { handle: STANDARD_SHIPPING.handle, title: STANDARD_SHIPPING.title, type: "shipping", cost: m(group.cost), costAfterDiscounts: m(shippingTotal) },
            ],
            selectedDeliveryOption: { handle: STANDARD_SHIPPING.handle },
          },
        ]
      : [],
    appMetafields: [
      ...(ruleset
        ? [
            {
              target: { type: "shop" as const, id: shop.id },
              metafield: { namespace: ruleset.namespace, key: ruleset.key, value: ruleset.value, valueType: "json_string" as const, type: ruleset.type },
            },
          ]
        : []),
      // The toml's product metafield ($app frequently_bought_together), for each product of
      // the checkout's lines that has one.
      ...[...new Set(checkoutLines.map((l) => l.merchandise.product.id))].flatMap((productId) => {
        const m = getMetafield(state, productId, "$app", TOGETHER_KEY);
        // Shopify returns app-owned metafields in the `$app` form, never `app--<id>`.
        return m ? [{ target: { type: "product" as const, id: productId }, metafield: { namespace: "$app", key: m.key, value: m.value, valueType: "json_string" as const, type: m.type } }] : [];
      }),
    ],
    functionProblems: problems,
  };
}

// ---- discount codes (applyDiscountCodeChange) --------------------------------------------

/** Who is buying, for a code's once-per-customer rule (the local checkout sells to guests). */
export const CHECKOUT_BUYER = { email: "shopper@example.com" } as const;

/** Each eligible line's share of the cart's codes (cart minor units), and the codes that still
 *  apply (one that was used up or ended meanwhile drops out, as Shopify drops it). */
function codeAllocations(state: LocalShopState, cart: StoredCart, lines: PricedLine[]) {
  const out = new Map<string, { title: string; amount: number; code: string }>();
  const applied: CodeDiscountRecord[] = [];
  for (const code of cart.discountCodes ?? []) {
    const found = redeemableCode(state, code, CHECKOUT_BUYER);
    if (!found.ok) continue;
    const d = found.discount;
    const eligible = lines.filter((l) => codeDiscountApplies(d, l.product.id, l.variant.id) && !out.has(lineGid(l.line.key)));
    if (!eligible.length) continue;
    applied.push(d);
    const totals = eligible.map((l) => l.unit * l.line.quantity);
    let amounts: number[];
    if ("percentage" in d.value) {
      const pct = d.value.percentage;
      amounts = totals.map((t) => Math.round(t * pct));
    } else {
      // A fixed amount (shop currency) in the cart's currency: off each item, or spread over
      // the eligible lines by their totals, never above them.
      const fixed = amountToMinorUnits(convertFromShopCurrency(state, d.value.amount, cart.currency) ?? d.value.amount, cart.currency);
      if (d.value.appliesOnEachItem) amounts = eligible.map((l, i) => Math.min(totals[i], fixed * l.line.quantity));
      else {
        const sum = totals.reduce((a, b) => a + b, 0);
        const capped = Math.min(fixed, sum);
        amounts = totals.map((t) => Math.floor((capped * t) / sum));
        amounts[amounts.length - 1] += capped - amounts.reduce((a, b) => a + b, 0);
      }
    }
    eligible.forEach((l, i) => amounts[i] > 0 && out.set(lineGid(l.line.key), { title: d.code, amount: amounts[i], code: d.code }));
  }
  return { lines: out, applied };
}

export type DiscountCodeChange = { type: "addDiscountCode"; code: string } | { type: "removeDiscountCode"; code: string };

/** Adds or removes a code, refusing one Shopify's checkout would refuse, with its message. */
export function applyDiscountCodeChange(state: LocalShopState, cart: StoredCart, change: DiscountCodeChange): CartLineChangeResult {
  const code = typeof change?.code == "string" ? change.code.trim() : "";
  if (!code) return { type: "error", message: "Enter a discount code" };
  const codes = cart.discountCodes ?? [];
  if (change.type == "removeDiscountCode") {
    cart.discountCodes = codes.filter((c) => c.toLowerCase() != code.toLowerCase());
    saveCart(cart);
    return { type: "success" };
  }
  if (change.type != "addDiscountCode") return { type: "error", message: "Unknown discount code change." };
  const found = redeemableCode(state, code, CHECKOUT_BUYER);
  if (!found.ok) return { type: "error", message: found.message };
  if (!priced(state, cart).some((l) => codeDiscountApplies(found.discount, l.product.id, l.variant.id)))
    return { type: "error", message: `${found.discount.code} discount code isn’t valid for the items in your cart` };
  // One code at a time (a basic code does not combine with another code here).
  cart.discountCodes = [found.discount.code];
  saveCart(cart);
  return { type: "success" };
}

/** The frequently-bought-together product metafield the checkout extension's toml declares. */
const TOGETHER_KEY = "frequently_bought_together";

// ---- cart line changes (applyCartLinesChange) -------------------------------------------

export type CartLineChange =
  | { type: "addCartLine"; merchandiseId: string; quantity: number; attributes?: { key: string; value: string }[] }
  | { type: "removeCartLine"; id: string; quantity: number }
  | { type: "updateCartLine"; id: string; merchandiseId?: string; quantity?: number; attributes?: { key: string; value: string }[] };

export type CartLineChangeResult = { type: "success" } | { type: "error"; message: string };

const MAX_ATTRIBUTES = 50;

// ---- cart attributes (applyAttributeChange) ------------------------------------------------

export type AttributeChange = { type: "updateAttribute"; key: string; value: string } | { type: "removeAttribute"; key: string };

/** Sets or removes one cart attribute, refusing what Shopify refuses (no key, a value that
 *  is not a string, more attributes than a cart holds). */
export function applyAttributeChange(cart: StoredCart, change: AttributeChange): CartLineChangeResult {
  if (!change || typeof change != "object" || typeof change.key != "string" || !change.key) return { type: "error", message: "An attribute change needs a key." };
  if (change.type == "removeAttribute") delete cart.attributes[change.key];
  else if (change.type == "updateAttribute") {
    if (typeof change.value != "string") return { type: "error", message: "An attribute's value must be a string." };
    if (!(change.key in cart.attributes) && Object.keys(cart.attributes).length >= MAX_ATTRIBUTES) return { type: "error", message: "The cart has too many attributes." };
    cart.attributes[change.key] = change.value;
  } else return { type: "error", message: "Unknown attribute change type." };
  saveCart(cart);
  return { type: "success" };
}

function attributesOf(list: unknown): Record<string, string> | string {
  if (list === undefined) return {};
  if (!Array.isArray(list) || list.length > MAX_ATTRIBUTES) return "attributes must be a list of { key, value }";
  const out: Record<string, string> = {};
  for (const a of list) {
    if (typeof a?.key != "string" || !a.key || typeof a.value != "string") return "attributes must be a list of { key, value }";
    out[a.key] = a.value;
  }
  return out;
}

function sellable(state: LocalShopState, merchandiseId: unknown): VariantRecord | string {
  const variant = typeof merchandiseId == "string" ? getVariant(state, merchandiseId) : null;
  if (!variant) return "The merchandise could not be found.";
  if (!isVariantAvailableForSale(state, variant)) return "This item is not available.";
  return variant;
}

/** Applies one change to the stored cart, as checkout's applyCartLinesChange does. */
export function applyCartLinesChange(state: LocalShopState, cart: StoredCart, change: CartLineChange): CartLineChangeResult {
  const fail = (message: string): CartLineChangeResult => ({ type: "error", message });
  const find = (id: unknown) => cart.lines.find((l) => lineGid(l.key) == id);
  const quantityOk = (q: unknown, min: number) => Number.isSafeInteger(q) && (q as number) >= min && (q as number) <= 10_000;
  switch (change?.type) {
    case "addCartLine": {
      const variant = sellable(state, change.merchandiseId);
      if (typeof variant == "string") return fail(variant);
      if (!quantityOk(change.quantity, 1)) return fail("Quantity must be a whole number of at least 1.");
      const properties = attributesOf(change.attributes);
      if (typeof properties == "string") return fail(properties);
      const key = lineKey(variant.id, properties);
      const same = cart.lines.find((l) => l.key == key);
      if (same) same.quantity += change.quantity;
      else cart.lines.push({ key, variantId: variant.id, quantity: change.quantity, properties });
      break;
    }
    case "removeCartLine": {
      const line = find(change.id);
      if (!line) return fail("The cart line could not be found.");
      if (!quantityOk(change.quantity, 1)) return fail("Quantity must be a whole number of at least 1.");
      line.quantity -= change.quantity;
      if (line.quantity <= 0) cart.lines = cart.lines.filter((l) => l != line);
      break;
    }
    case "updateCartLine": {
      const line = find(change.id);
      if (!line) return fail("The cart line could not be found.");
      let variantId = line.variantId;
      if (change.merchandiseId !== undefined) {
        const variant = sellable(state, change.merchandiseId);
        if (typeof variant == "string") return fail(variant);
        variantId = variant.id;
      }
      if (change.quantity !== undefined && !quantityOk(change.quantity, 0)) return fail("Quantity must be a whole number.");
      const properties = change.attributes === undefined ? line.properties : attributesOf(change.attributes);
      if (typeof properties == "string") return fail(properties);
      const quantity = change.quantity ?? line.quantity;
      const at = cart.lines.indexOf(line);
      cart.lines.splice(at, 1);
      if (quantity > 0) {
        // The changed line keeps its place unless it now equals another line (then they merge).
        const key = lineKey(variantId, properties);
        const same = cart.lines.find((l) => l.key == key);
        if (same) same.quantity += quantity;
        else cart.lines.splice(at, 0, { key, variantId, quantity, properties });
      }
      break;
    }
    default:
      return fail("Unknown cart line change.");
  }
  saveCart(cart);
  return { type: "success" };
}

// ---- completing the order ----------------------------------------------------------------

/** Converts cart minor units to the shop's currency (decimal string) at the shop's rate. */
function toShopAmount(state: LocalShopState, minor: number, currency: string): string {
  const shopCurrency = state.data.shop.currencyCode;
  const rate = getCurrencyRate(state, currency) ?? 1;
  const shopMinor = Math.round((minor / rate) * 10 ** (minorDigits(shopCurrency) - minorDigits(currency)));
  return minorUnitsToAmount(shopMinor, shopCurrency);
}

/** "Pay now": records the order (line attributes included) as checkout completion would. */
export function completeCheckout(state: LocalShopState, cart: StoredCart, view: CheckoutView): OrderRecord {
  const byId = new Map(cart.lines.map((l) => [lineGid(l.key), l]));
  // The codes the order used count against their limits.
  for (const { code } of view.discountCodes) {
    const found = redeemableCode(state, code, CHECKOUT_BUYER);
    if (found.ok) recordCodeUse(state, found.discount, CHECKOUT_BUYER);
  }
  return addOrder(state, {
    discountCodes: view.discountCodes.map((d) => d.code),
    presentmentCurrencyCode: cart.currency,
    email: CHECKOUT_BUYER.email,
    note: cart.note || null,
    customAttributes: Object.entries(cart.attributes).map(([key, value]) => ({ key, value })),
    lineItems: view.lines.map((l) => {
      const stored = byId.get(l.id)!;
      const discount = l.discountAllocations.reduce((s, a) => s + decimalToMinor(String(a.discountedAmount.amount), view.currency), 0);
      return {
        variantId: stored.variantId,
        quantity: stored.quantity,
        discount: toShopAmount(state, discount, view.currency),
        customAttributes: Object.entries(stored.properties).map(([key, value]) => ({ key, value })),
      };
    }),
  });
}
