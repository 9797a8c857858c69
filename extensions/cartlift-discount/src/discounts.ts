// What the function decides, as pure steps both targets share: read the configuration
// (fail closed), build the engine's Cart and Context from the input, evaluate, and turn the
// engine's `discounts` into Discount Function operations. No discount logic lives here: the
// engine decides which lines earn what; this module only translates.
//
// Invariants:
// - Prices come from `cost.amountPerQuantity` (Shopify's), never from an attribute; the
//   `_cartlift_offer` attribute only names an offer, and the engine re-derives whether the
//   line earns anything (so a forged or stale attribute earns nothing).
// - Missing or invalid configuration, an unreadable price or rate, or any engine diagnostic:
//   no operations at all (fail closed).
// - Amounts are the engine's integer minor units of the cart's currency, written as the
//   decimal strings Shopify expects.
import {
  OFFER_LINE_PROPERTY,
  decimalToMinor,
  evaluate,
  minorToDecimal,
  parseRuleset,
  shortId,
  type Cart,
  type CartLine,
  type Context,
  type Evaluation,
  type Ruleset,
} from "../../../app/engine";
import type { CartOperation, DeliveryOperation, DiscountClass, DiscountFunctionInput } from "./api";

/** The attribute the input queries ask for; a constant so a rename breaks a test, not checkout. */
export const OFFER_ATTRIBUTE = OFFER_LINE_PROPERTY;

/** The published ruleset from the discount's metafield, or null (missing or invalid). */
export function configurationOf(input: DiscountFunctionInput): Ruleset | null {
  const metafield = input.discount?.metafield;
  if (!metafield || metafield.jsonValue == null) return null;
  const parsed = parseRuleset(metafield.jsonValue);
  return parsed.ok ? parsed.ruleset : null;
}

/** The engine's cart: product-variant lines at Shopify's unit price; null if a price or
 *  currency cannot be read (the caller then applies nothing). */
export function cartOf(input: DiscountFunctionInput): Cart | null {
  const currency = input.cart?.cost?.subtotalAmount?.currencyCode;
  if (typeof currency != "string") return null;
  const lines: CartLine[] = [];
  for (const line of input.cart.lines) {
    const m = line.merchandise;
    // Custom products (no variant) can carry no offer: they are simply not part of it.
    if (m.__typename != "ProductVariant") continue;
    const price = line.cost.amountPerQuantity;
    const unitPrice = decimalToMinor(price.amount, currency);
    if (price.currencyCode != currency || !(unitPrice >= 0)) return null;
    const cartLine: CartLine = {
      id: line.id,
      productId: shortId(m.product.id),
      variantId: shortId(m.id),
      quantity: line.quantity,
      unitPrice,
    };
    if (m.product.vendor) cartLine.vendor = m.product.vendor;
    if (m.product.productType) cartLine.productType = m.product.productType;
    const offerId = line.attribute?.value;
    if (offerId) cartLine.offerId = offerId;
    lines.push(cartLine);
  }
  return { currency, lines };
}

/** Placement, clock, rate, country and customer as the function input knows them. */
export function contextOf(input: DiscountFunctionInput, now: number): Context {
  const context: Context = { placement: "checkout", now };
  const rate = Number(input.presentmentCurrencyRate);
  // A missing rate is left out: the engine then refuses a cart in another currency.
  if (rate > 0 && rate < Infinity) context.rate = rate;
  const country = input.localization?.country?.isoCode;
  if (country) context.country = country;
  const buyer = input.cart.buyerIdentity;
  if (buyer?.isAuthenticated) {
    context.customer = { loggedIn: true };
    if (buyer.customer) context.customer.orderCount = buyer.customer.numberOfOrders;
  }
  return context;
}

/** The engine's evaluation of this input, or null when nothing may be applied. */
export function evaluateInput(input: DiscountFunctionInput, now: number): Evaluation | null {
  const ruleset = configurationOf(input);
  if (!ruleset) return null;
  const cart = cartOf(input);
  if (!cart || !cart.lines.length) return null;
  const evaluation = evaluate(ruleset, cart, contextOf(input, now));
  return evaluation.diagnostics.length ? null : evaluation;
}

export const hasClass = (input: DiscountFunctionInput, discountClass: DiscountClass): boolean =>
  Array.isArray(input.discount?.discountClasses) && input.discount.discountClasses.includes(discountClass);

/** One fixed-amount candidate per discounted line (the engine gives each line at most one),
 *  all applied together. The amount covers the whole line, so `appliesToEachItem` is false. */
export function productDiscountOperations(evaluation: Evaluation): CartOperation[] {
  const candidates = [];
  for (const d of evaluation.discounts)
    if (d.kind == "lineDiscount")
      candidates.push({
        message: d.message,
        targets: [{ cartLine: { id: d.lineId } }],
        value: { fixedAmount: { amount: minorToDecimal(d.amount, evaluation.currency), appliesToEachItem: false } },
      });
  return candidates.length ? [{ productDiscountsAdd: { candidates, selectionStrategy: "ALL" } }] : [];
}

/** Free shipping (100% off every delivery group) exactly when the engine says the goal is
 *  reached in the cart's currency. */
export function deliveryDiscountOperations(evaluation: Evaluation, deliveryGroups: { id: string }[]): DeliveryOperation[] {
  const free = evaluation.discounts.find((d) => d.kind == "freeShipping");
  if (!free || !deliveryGroups.length) return [];
  return [
    {
      deliveryDiscountsAdd: {
        candidates: [
          {
            message: free.message,
            targets: deliveryGroups.map((g) => ({ deliveryGroup: { id: g.id } })),
            value: { percentage: { value: "100.0" } },
          },
        ],
        selectionStrategy: "ALL",
      },
    },
  ];
}
