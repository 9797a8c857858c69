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

/** `$app:cartlift` as the toml declares it, or resolved (`app--7001--cartlift`). */
const RULESET_NAMESPACE = /^(\$app:|app--\d+--)cartlift$/;

/** `$app` as the toml declares it, or resolved (`app--7001`). */
const TOGETHER_NAMESPACE = /^(\$app|app--\d+)$/;

/** The checkout lines' products' frequently-bought-together lists, by product id. */
export function togetherFrom(entries: readonly AppMetafieldEntry[] | undefined): Record<string, TogetherPick[]> {
  const out: Record<string, TogetherPick[]> = {};
  for (const e of entries ?? [])
    if (e.target.type == "product" && e.metafield.key == "frequently_bought_together" && TOGETHER_NAMESPACE.test(e.metafield.namespace)) out[shortId(e.target.id)] = readTogether(e.metafield.value);
  return out;
}

let lastValue: unknown;
let lastRuleset: Ruleset | null = null;

/** The shop's published ruleset, or null when absent or invalid. Parsed once per value. */
export function rulesetFrom(entries: readonly AppMetafieldEntry[] | undefined): Ruleset | null {
  const entry = entries?.find(
    (e) => e.target.type == "shop" && e.metafield.key == "ruleset" && RULESET_NAMESPACE.test(e.metafield.namespace),
  );
  const value = entry?.metafield.value;
  if (value !== lastValue) {
    lastValue = value;
    const parsed = typeof value == "string" ? parseRuleset(value) : null;
    lastRuleset = parsed?.ok ? parsed.ruleset : null;
  }
  return lastRuleset;
}

const toMinor = (amount: number, currency: string) => Math.round(amount * 10 ** minorDigits(currency));

/** The engine's cart for the checkout (or order) lines, in the buyer's currency. */
export function cartFrom(lines: readonly CheckoutLine[], currency: string): Cart {
  const cartLines: CartLine[] = [];
  for (const line of lines) {
    const m = line.merchandise;
    if ((m.type && m.type != "variant") || !(line.quantity > 0)) continue;
    const discounts = line.discountAllocations.reduce((s, d) => s + d.discountedAmount.amount, 0);
    const cartLine: CartLine = {
      id: line.id,
      productId: shortId(m.product.id),
      variantId: shortId(m.id),
      quantity: line.quantity,
      unitPrice: Math.round(toMinor(line.cost.totalAmount.amount + discounts, currency) / line.quantity),
    };
    if (m.product.vendor) cartLine.vendor = m.product.vendor;
    if (m.product.productType) cartLine.productType = m.product.productType;
    const offerId = line.attributes.find((a) => a.key == OFFER_LINE_PROPERTY)?.value;
    if (offerId) cartLine.offerId = offerId;
    cartLines.push(cartLine);
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
    const shopPrice = ruleset.products[line.productId]?.variants[line.variantId]?.price;
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
  const evaluation = evaluate(ruleset, cart, { placement, rate, ...context });
  return evaluation.diagnostics.length ? null : evaluation;
}

/** What completing a bundle saves on the whole set (cart minor units): the engine's line
 *  discounts on the checkout with the offer's missing parts, less what it earns now. */
export function setSaving(ruleset: Ruleset | null, lines: readonly CheckoutLine[], currency: string, offer: ShownOffer, context: { now: number; country?: string; customer?: Customer }): number {
  if (!ruleset || offer.kind != "bundle") return 0;
  const cart = cartFrom(lines, currency);
  const rate = rateFrom(ruleset, cart);
  if (rate === undefined) return 0;
  const off = (c: Cart) => evaluate(ruleset, c, { placement: "checkout", rate, ...context }).discounts.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);
  const missing: CartLine[] = offer.items.map((i, k) => ({ id: "set:" + k, productId: i.productId, variantId: i.variantId, quantity: i.quantity, unitPrice: i.priceBefore, offerId: offer.id }));
  return Math.max(0, off({ ...cart, lines: [...cart.lines, ...missing] }) - off(cart));
}

/** Whether free shipping means anything here: some line ships (or none is known yet). */
export const shipsAnything = (lines: readonly CheckoutLine[]): boolean => !lines.length || lines.some((l) => l.merchandise.requiresShipping !== false);

/** Offers this buyer declined: in this browser (the extension's storage) or on any surface
 *  this cart went through (the storefront writes the cart attribute). */
export function declinedOffers(stored: unknown, attributes: readonly { key: string; value: string }[] | undefined): string[] {
  const local = Array.isArray(stored) ? stored.filter((x): x is string => typeof x == "string") : [];
  const carried = parseDeclined(attributes?.find((a) => a.key == DECLINED_CART_ATTRIBUTE)?.value);
  return [...new Set([...local, ...carried])];
}

/** The attribute change that records one more declined offer on the cart. */
export function declineChange(attributes: readonly { key: string; value: string }[] | undefined, offerId: string) {
  const current = attributes?.find((a) => a.key == DECLINED_CART_ATTRIBUTE)?.value;
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
export function blockedBy(action: OfferAction, instructions: LineInstructions | undefined): "errors.cannotAdd" | "errors.cannotUpdate" | null {
  if (action.kind == "addLines") return instructions?.canAddCartLine ? null : "errors.cannotAdd";
  return instructions?.canUpdateCartLine ? null : "errors.cannotUpdate";
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
  if (item.product)
    return { title: item.product.title, variantTitle: item.variant?.title, image: item.variant?.image || item.product.image, handle: item.product.handle };
  const m = lines.find((l) => shortId(l.merchandise.id) == item.variantId)?.merchandise;
  return { title: m?.title ?? "", variantTitle: m?.subtitle, image: m?.image?.url };
}

/**
 * The merchant's words for the buyer's language, from the published ruleset's `display`
 * (what the storefront shows too; app/settings), keyed by this extension's translation keys
 * with `{{name}}` placeholders. The language's own texts, else its base language's
 * ("fr-CA" → "fr"); none for a language the merchant has no texts in (the extension's
 * locale files then speak). Only keys whose meaning is the same at checkout are taken.
 */
const MERCHANT_KEYS: Record<string, string> = {
  offersHeading: "heading",
  add: "offer.add",
  upgrade: "offer.upgrade",
  addAll: "offer.completeBundle",
  dismiss: "offer.dismiss",
  freeShippingProgress: "freeShipping.remaining",
  freeShippingReached: "freeShipping.reached",
};
export function merchantTexts(ruleset: Ruleset | null, language: string | undefined): Record<string, string> {
  const texts = (ruleset as { display?: { texts?: Record<string, Record<string, unknown>> } } | null)?.display?.texts;
  const own = language && texts ? texts[language] || texts[language.split("-")[0]] : undefined;
  const out: Record<string, string> = {};
  if (own && typeof own == "object")
    for (const key in MERCHANT_KEYS) {
      const value = own[key];
      if (typeof value == "string" && value.trim()) out[MERCHANT_KEYS[key]] = value.replace(/\{(\w+)\}/g, "{{$1}}");
    }
  return out;
}

/** Minor units → the decimal number `i18n.formatCurrency` takes. */
export const toAmount = (minor: number, currency: string): number => minor / 10 ** minorDigits(currency);
