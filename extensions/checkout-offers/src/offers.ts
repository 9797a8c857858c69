// The checkout and thank-you extensions' decisions, pure and testable without the `shopify`
// global: read the ruleset from app metafields, turn checkout lines into the engine's Cart,
// find the shop→cart currency rate, evaluate, and turn an offer's action into cart line
// changes. The engine decides every offer; nothing here re-implements it.
//
// Invariants:
// - A line's unit price is what the buyer pays before any discount: its total plus the
//   discounts allocated to it, divided by its quantity (checkout exposes only the total).
// - A missing or invalid ruleset, or a cart whose currency cannot be related to the shop's,
//   yields no evaluation: the extension then renders nothing (fail closed).
// - Accepting tags every added line with `_cartlift_offer` = the offer id, and nothing else
//   the buyer could use to set a price.
import {
  DECLINED_CART_ATTRIBUTE,
  OFFER_LINE_PROPERTY,
  evaluate,
  parseDeclined,
  withDeclined,
  minorDigits,
  parseRuleset,
  readTogether,
  shortId,
  variantGid,
  type Cart,
  type CartLine,
  type Customer,
  type Evaluation,
  type OfferAction,
  type OfferItem,
  type Placement,
  type Ruleset,
  type ShownOffer,
  type TogetherPick,
} from "../../../app/engine";

/** What these helpers read of the checkout API's types (structurally compatible with them). */
export interface Money {
  amount: number;
  currencyCode: string;
}
export interface Attribute {
  key: string;
  value: string;
}
export interface CheckoutLine {
  id: string;
  quantity: number;
  merchandise: {
    type?: string;
    id: string;
    title?: string;
    subtitle?: string;
    image?: { url: string };
    product: { id: string; vendor?: string; productType?: string };
    requiresShipping?: boolean;
  };
  cost: { totalAmount: Money };
  attributes: Attribute[];
  discountAllocations: { discountedAmount: Money }[];
}
export interface AppMetafieldEntry {
  target: { type: string; id: string };
  metafield: { namespace: string; key: string; value: string | number | boolean };
}
export type CartLineChange =
  | { type: "addCartLine"; merchandiseId: string; quantity: number; attributes: Attribute[] }
  | { type: "updateCartLine"; id: string; merchandiseId: string; attributes: Attribute[] };
export interface LineInstructions {
  canAddCartLine: boolean;
  canUpdateCartLine: boolean;
}

/** A cart or line attribute's value (undefined when absent). */
export function attributeValue(list: readonly Attribute[] | undefined, key: string): string | undefined {
  const found = list && list.find((a) => a.key == key);
  return found && found.value;
}

/** `$app:cartlift` as the toml declares it, or resolved (`app--7001--cartlift`). */
const RULESET_NAMESPACE = /^(\$app:|app--\d+--)cartlift$/;

/** `$app` as the toml declares it, or resolved (`app--7001`). */
const TOGETHER_NAMESPACE = /^(\$app|app--\d+)$/;

/** The checkout lines' products' frequently-bought-together lists, by product id. */
export function togetherFrom(entries: readonly AppMetafieldEntry[] | undefined): Record<string, TogetherPick[]> {
  const out: Record<string, TogetherPick[]> = {};
  for (const e of entries || [])
    if (e.target.type == "product" && e.metafield.key == "frequently_bought_together" && TOGETHER_NAMESPACE.test(e.metafield.namespace)) out[shortId(e.target.id)] = readTogether(e.metafield.value);
  return out;
}

let lastValue: unknown;
let lastRuleset: Ruleset | null = null;

/** The shop's published ruleset, or null when absent or invalid. Parsed once per value. */
export function rulesetFrom(entries: readonly AppMetafieldEntry[] | undefined): Ruleset | null {
  const entry = entries && entries.find(
    (e) => e.target.type == "shop" && e.metafield.key == "ruleset" && RULESET_NAMESPACE.test(e.metafield.namespace),
  );
  const value = entry && entry.metafield.value;
  if (value !== lastValue) {
    lastValue = value;
    const parsed = typeof value == "string" ? parseRuleset(value) : null;
    lastRuleset = parsed && parsed.ok ? parsed.ruleset : null;
  }
  return lastRuleset;
}

/** The engine's cart for the checkout (or order) lines, in the buyer's currency. */
export function cartFrom(lines: readonly CheckoutLine[], currency: string): Cart {
  const cartLines: CartLine[] = [];
  const minorPerUnit = 10 ** minorDigits(currency);
  for (const line of lines) {
    const m = line.merchandise;
    if ((m.type && m.type != "variant") || !(line.quantity > 0)) continue;
    const discounts = line.discountAllocations.reduce((s, d) => s + d.discountedAmount.amount, 0);
    cartLines.push({
      id: line.id,
      productId: shortId(m.product.id),
      variantId: shortId(m.id),
      quantity: line.quantity,
      unitPrice: Math.round(Math.round((line.cost.totalAmount.amount + discounts) * minorPerUnit) / line.quantity),
      // Undefined when absent: the engine reads these three only for a match (schema.ts).
      vendor: m.product.vendor,
      productType: m.product.productType,
      offerId: attributeValue(line.attributes, OFFER_LINE_PROPERTY),
    });
  }
  return { currency, lines: cartLines };
}

/**
 * Cart-currency units per shop-currency unit. Checkout UI extensions are not told the
 * presentment rate, so it is read off the most expensive line whose variant the ruleset's
 * snapshot prices (the buyer's price over the shop's). Undefined when no line relates them.
 */
export function rateFrom(ruleset: Ruleset, cart: Cart): number | undefined {
  if (cart.currency == ruleset.shop.currency) return 1;
  let best: { shop: number; cart: number } | undefined;
  for (const line of cart.lines) {
    const product = ruleset.products[line.productId];
    const variant = product && product.variants[line.variantId];
    const shopPrice = variant && variant.price;
    if (shopPrice && line.unitPrice > 0 && (!best || shopPrice > best.shop)) best = { shop: shopPrice, cart: line.unitPrice };
  }
  if (!best) return undefined;
  return (best.cart / best.shop) * 10 ** (minorDigits(ruleset.shop.currency) - minorDigits(cart.currency));
}

/** The engine's answer for these lines at `placement`, or null when nothing may be shown. */
export function evaluateLines(
  ruleset: Ruleset | null,
  lines: readonly CheckoutLine[],
  currency: string,
  placement: Placement,
  context: { now: number; country?: string; dismissed?: string[]; together?: Record<string, TogetherPick[]>; customer?: Customer },
): Evaluation | null {
  if (!ruleset) return null;
  const cart = cartFrom(lines, currency);
  const rate = rateFrom(ruleset, cart);
  if (rate === undefined) return null;
  const evaluation = evaluate(ruleset, cart, Object.assign({ placement, rate }, context));
  return evaluation.diagnostics.length ? null : evaluation;
}

/** What completing a bundle saves on the whole set (cart minor units): the engine's line
 *  discounts on the checkout with the offer's missing parts, less what it earns now. */
export function setSaving(ruleset: Ruleset | null, lines: readonly CheckoutLine[], currency: string, offer: ShownOffer, context: { now: number; country?: string; customer?: Customer }): number {
  if (!ruleset || offer.kind != "bundle") return 0;
  const cart = cartFrom(lines, currency);
  const rate = rateFrom(ruleset, cart);
  if (rate === undefined) return 0;
  const off = (c: Cart) => evaluate(ruleset, c, Object.assign({ placement: "checkout" as const, rate }, context)).discounts.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);
  const missing: CartLine[] = offer.items.map((i, k) => ({ id: "set:" + k, productId: i.productId, variantId: i.variantId, quantity: i.quantity, unitPrice: i.priceBefore, offerId: offer.id }));
  return Math.max(0, off({ currency, lines: cart.lines.concat(missing) }) - off(cart));
}

/** Whether free shipping means anything here: some line ships (or none is known yet). */
export const shipsAnything = (lines: readonly CheckoutLine[]): boolean => !lines.length || lines.some((l) => l.merchandise.requiresShipping !== false);

/** Offers this buyer declined: in this browser (the extension's storage) or on any surface
 *  this cart went through (the storefront writes the cart attribute). */
export function declinedOffers(stored: unknown, attributes: readonly { key: string; value: string }[] | undefined): string[] {
  const local = Array.isArray(stored) ? stored.filter((x): x is string => typeof x == "string") : [];
  const carried = parseDeclined(attributeValue(attributes, DECLINED_CART_ATTRIBUTE));
  return [...new Set([...local, ...carried])];
}

/** The attribute change that records one more declined offer on the cart. */
export function declineChange(attributes: readonly { key: string; value: string }[] | undefined, offerId: string) {
  const current = attributeValue(attributes, DECLINED_CART_ATTRIBUTE);
  return { type: "updateAttribute" as const, key: DECLINED_CART_ATTRIBUTE, value: withDeclined(current, [offerId]) };
}

/** The cart line changes that carry out an offer's action, each tagged with the offer id. */
export function changesFor(action: OfferAction, lines: readonly CheckoutLine[]): CartLineChange[] {
  const tag = (offerId: string) => ({ key: OFFER_LINE_PROPERTY, value: offerId });
  if (action.kind == "addLines")
    return action.lines.map((l) => ({
      type: "addCartLine",
      merchandiseId: variantGid(l.variantId),
      quantity: l.quantity,
      attributes: [tag(l.offerId)],
    }));
  const line = lines.find((l) => l.id == action.lineId);
  if (!line) return [];
  return [
    {
      type: "updateCartLine",
      id: line.id,
      merchandiseId: variantGid(action.variantId),
      attributes: [...line.attributes.filter((a) => a.key != OFFER_LINE_PROPERTY), tag(action.offerId)],
    },
  ];
}

/** Why checkout will not take this action (a translation key), or null when it may. */
export function blockedBy(action: OfferAction, instructions: LineInstructions | undefined): "cannotAdd" | "cannotUpdate" | null {
  if (action.kind == "addLines") return instructions && instructions.canAddCartLine ? null : "cannotAdd";
  return instructions && instructions.canUpdateCartLine ? null : "cannotUpdate";
}

/** What a row shows for an offered item. */
export interface ItemDisplay {
  title: string;
  variantTitle?: string;
  image?: string;
  handle?: string;
}

/** From the ruleset's snapshot; for an item it does not hold (a quantity break on a line the
 *  publisher did not snapshot), from that checkout line itself. */
export function displayOf(item: OfferItem, lines: readonly CheckoutLine[]): ItemDisplay {
  const v = item.variant;
  if (item.product) return { title: item.product.title, variantTitle: v && v.title, image: (v && v.image) || item.product.image, handle: item.product.handle };
  const line = lines.find((l) => shortId(l.merchandise.id) == item.variantId);
  const m = line && line.merchandise;
  return m ? { title: m.title || "", variantTitle: m.subtitle, image: m.image && m.image.url } : { title: "" };
}

/**
 * The merchant's words for the buyer's language, from the published ruleset's `display`
 * (what the storefront shows too; app/settings): the language's own texts, else its base
 * language's ("fr-CA" → "fr"); none for a language the merchant has no texts in (the
 * extension's locale files then speak). The extension's translation keys for these texts
 * ARE the admin's (offersHeading, add, upgrade, addAll, dismiss, freeShippingProgress,
 * freeShippingReached), so a merchant's text replaces the extension's under the same key;
 * texts the checkout never asks for (the storefront's countdown, its "Added") go unused.
 * Placeholders stay the merchant's `{amount}`; ui.tsx `formatFor` fills them, and takes only
 * non-blank strings (the admin's form can leave a text empty).
 */
export function merchantTexts(display: { texts?: Record<string, Record<string, unknown>> } | undefined, language: string | undefined): Record<string, unknown> {
  const texts = display && display.texts;
  return (language && texts && (texts[language] || texts[language.split("-")[0]])) || {};
}

/** Minor units → the decimal number `i18n.formatCurrency` takes. */
export const toAmount = (minor: number, currency: string): number => minor / 10 ** minorDigits(currency);
