// What the function decides, as pure steps both targets share: read the configuration
// (fail closed), build the engine's Cart and Context from the input, evaluate, and turn the
// engine's `discounts` into Discount Function operations. No discount logic lives here: the
// engine decides which lines earn what; this module only translates.
//
// Invariants:
// - Prices come from `cost.amountPerQuantity` (Shopify's; aliased `unit`), never from an attribute; the
//   `_cartlift_offer` attribute only names an offer, and the engine re-derives whether the
//   line earns anything (so a forged or stale attribute earns nothing).
// - Missing or invalid configuration, an unreadable price or rate, or any engine diagnostic:
//   no operations at all (fail closed).
// - Amounts are the engine's integer minor units of the cart's currency, written as the
//   decimal strings Shopify expects.
import {
  decimalToMinor,
  evaluate,
  minorToDecimal,
  parseRuleset,
  shortId,
  type Cart,
  type CartDiscount,
  type CartLine,
  type Context,
  type Evaluation,
  type Ruleset,
} from "../../../app/engine";
import type { CartOperation, DeliveryOperation, DiscountClass, DiscountFunctionInput, ProductDiscountCandidate } from "./api";

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
    if (!("id" in m) || !m.product) continue;
    const unitPrice = decimalToMinor(line.cost.unit.amount, currency);
    if (!(unitPrice >= 0)) return null;
    const cartLine: CartLine = {
      id: line.id,
      productId: shortId(m.product.id),
      variantId: shortId(m.id),
      quantity: line.quantity,
      unitPrice,
    };
    if (m.product.vendor) cartLine.vendor = m.product.vendor;
    if (m.product.type) cartLine.productType = m.product.type;
    const offerId = line.offer?.value;
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

/** A clock reading Shopify's function runtime never gives (it runs deterministically; its
 *  `Date.now()` is 0): anything earlier is no clock at all. */
const REAL_CLOCK = Date.UTC(2020, 0, 1);
const HOUR = 3_600_000;

/**
 * The moments the function evaluates at. With a real clock (tests, the local checkout): now.
 * In Shopify, only the shop's local date is known, so now lies somewhere in that date in
 * some time zone (UTC−12 to UTC+14): the window from the date's start at UTC+14 to its end
 * at UTC−12. Offers are evaluated at both ends of it and at every schedule boundary inside
 * it, and a line gets the largest discount any of those moments gives: an offer a shopper
 * could be seeing is honored, and an ended offer stops discounting at most 38 hours late.
 * No date either: no moments, no discounts (fail closed).
 */
export function momentsOf(input: DiscountFunctionInput, ruleset: Ruleset, now: number): number[] {
  if (now >= REAL_CLOCK) return [now];
  const date = input.shop?.localTime?.date;
  const day = typeof date == "string" && /^\d{4}-\d\d-\d\d$/.test(date) ? Date.parse(date + "T00:00:00Z") : NaN;
  if (!(day > REAL_CLOCK)) return [];
  const from = day - 14 * HOUR;
  const to = day + 36 * HOUR;
  // Without schedules every moment gives the same answer: one evaluation is enough.
  if (!ruleset.offers.some((o) => o.startsAt || o.endsAt)) return [from];
  const moments = new Set([from, to - 1]);
  for (const o of ruleset.offers)
    for (const t of [o.startsAt && Date.parse(o.startsAt), o.endsAt && Date.parse(o.endsAt) - 1])
      if (typeof t == "number" && t > from && t < to) moments.add(t);
  return [...moments];
}

/** The engine's evaluation of this input (and the cart it evaluated), or null when nothing
 *  may be applied. Evaluated at each of `momentsOf`; merged as described there. */
export function evaluateInput(input: DiscountFunctionInput, now: number): { evaluation: Evaluation; cart: Cart } | null {
  const ruleset = configurationOf(input);
  if (!ruleset) return null;
  const cart = cartOf(input);
  if (!cart || !cart.lines.length) return null;
  const moments = momentsOf(input, ruleset, now);
  let merged: Evaluation | null = null;
  for (const moment of moments) {
    const evaluation = evaluate(ruleset, cart, contextOf(input, moment));
    if (evaluation.diagnostics.length) return null;
    merged = merged ? mergeDiscounts(merged, evaluation) : evaluation;
  }
  return merged && { evaluation: merged, cart };
}

/** Per line the larger discount of the two; free shipping if either reaches the goal. */
function mergeDiscounts(a: Evaluation, b: Evaluation): Evaluation {
  const lines = new Map<string, CartDiscount>();
  let free: CartDiscount | undefined;
  for (const d of [...a.discounts, ...b.discounts]) {
    if (d.kind == "freeShipping") free ??= d;
    else {
      const had = lines.get(d.lineId);
      if (!had || (had.kind == "lineDiscount" && d.amount > had.amount)) lines.set(d.lineId, d);
    }
  }
  return { ...a, discounts: [...lines.values(), ...(free ? [free] : [])] };
}

export const hasClass = (input: DiscountFunctionInput, discountClass: DiscountClass): boolean =>
  Array.isArray(input.discount?.discountClasses) && input.discount.discountClasses.includes(discountClass);

/**
 * The engine's line discounts as one product-discount operation, every candidate applied
 * (the engine gives each line at most one discount). A candidate's fixed amount is the line's
 * whole discount; single-unit lines earning the same amount under the same message share one
 * candidate, the amount applied to each of their items. Shopify caps a function's output
 * (about 20 KB), so a cart of many discounted lines must not cost a candidate each.
 */
export function productDiscountOperations(evaluation: Evaluation, cart: Cart): CartOperation[] {
  const quantity = new Map(cart.lines.map((l) => [l.id, l.quantity]));
  const candidates: ProductDiscountCandidate[] = [];
  const shared = new Map<string, ProductDiscountCandidate>();
  for (const d of evaluation.discounts) {
    if (d.kind != "lineDiscount") continue;
    const amount = minorToDecimal(d.amount, evaluation.currency);
    const single = quantity.get(d.lineId) == 1;
    const key = JSON.stringify([d.message, amount]);
    const same = single && shared.get(key);
    if (same) {
      same.targets.push({ cartLine: { id: d.lineId } });
      same.value = { fixedAmount: { amount, appliesToEachItem: true } };
    } else {
      const candidate: ProductDiscountCandidate = { message: d.message, targets: [{ cartLine: { id: d.lineId } }], value: { fixedAmount: { amount } } };
      if (single) shared.set(key, candidate);
      candidates.push(candidate);
    }
  }
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
