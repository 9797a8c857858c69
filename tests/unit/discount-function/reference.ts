// The discount function's expected results, computed by the TypeScript engine: the input
// translated into the engine's cart and context (as the function reads it), the plan's
// meaning (`planDiscounts`: engine `evaluate` at the plan's moments), then the engine's
// discounts written as Discount Function operations. The differential test requires the
// built module to give exactly these.
import { decimalToMinor, minorToDecimal, shortId, type Cart, type CartLine, type Context, type Ruleset } from "../../../app/engine";
import { planDiscounts, SCHEDULE_SLOTS, type PlanOptions } from "../../../app/engine/plan";
import type {
  CartDeliveryOptionsDiscountsGenerateRunInput,
  CartOperation,
  DeliveryOperation,
  DiscountFunctionInput,
  ProductDiscountCandidate,
} from "../../../localshop/checkout/function-api";

/** The engine's cart: product-variant lines at Shopify's unit price; null if a price or
 *  currency cannot be read. Custom products (no variant) are not part of any offer. */
export function cartOf(input: DiscountFunctionInput): Cart | null {
  const currency = input.cart.cost.subtotalAmount.currencyCode;
  const lines: CartLine[] = [];
  for (const line of input.cart.lines) {
    const m = line.m;
    if (!("id" in m) || !m.p) continue;
    const unitPrice = decimalToMinor(line.c.u.a, currency);
    if (!(unitPrice >= 0)) return null;
    const cartLine: CartLine = { id: line.id, productId: shortId(m.p.id), variantId: shortId(m.id), quantity: line.q, unitPrice };
    if (m.p.v) cartLine.vendor = m.p.v;
    if (m.p.t) cartLine.productType = m.p.t;
    if (line.o?.v) cartLine.offerId = line.o.v;
    lines.push(cartLine);
  }
  return { currency, lines };
}

/** Placement, rate, country and customer as the function input knows them (no tags). */
export function contextOf(input: DiscountFunctionInput): Omit<Context, "now"> {
  const context: Omit<Context, "now"> = { placement: "checkout" };
  const rate = Number(input.presentmentCurrencyRate);
  if (rate > 0 && rate < Infinity) context.rate = rate;
  const country = input.localization.country.isoCode;
  if (country) context.country = country;
  const buyer = input.cart.buyerIdentity;
  if (buyer?.isAuthenticated) {
    context.customer = { loggedIn: true };
    if (buyer.customer) context.customer.orderCount = buyer.customer.numberOfOrders;
  }
  return context;
}

const has = (input: DiscountFunctionInput, discountClass: string) => input.discount.discountClasses.includes(discountClass as never);

/** The schedule slots' answers the input holds (`a0`… until the first missing one). */
export function afterOf(input: DiscountFunctionInput): boolean[] {
  const localTime = input.shop.localTime as unknown as Record<string, unknown>;
  const after: boolean[] = [];
  for (let k = 0; k < SCHEDULE_SLOTS && typeof localTime[`a${k}`] == "boolean"; k++) after.push(localTime[`a${k}`] as boolean);
  return after;
}

/** `options`: what the plan was compiled with (publish moment, shop time zone), if any. */
function planned(ruleset: Ruleset, input: DiscountFunctionInput, options?: PlanOptions) {
  const cart = cartOf(input);
  return cart && planDiscounts(ruleset, cart, contextOf(input), input.shop.localTime.date, options && { options, after: afterOf(input) });
}

/** The lines target's expected result for the ruleset the plan was compiled from. */
export function expectedLinesResult(ruleset: Ruleset, input: DiscountFunctionInput, options?: PlanOptions): { operations: CartOperation[] } {
  if (!has(input, "PRODUCT")) return { operations: [] };
  const discounts = planned(ruleset, input, options);
  if (!discounts) return { operations: [] };
  const currency = input.cart.cost.subtotalAmount.currencyCode;
  const quantity = new Map(input.cart.lines.map((l) => [l.id, l.q]));
  // Single-unit lines earning the same amount under the same message share one candidate.
  const candidates: ProductDiscountCandidate[] = [];
  const shared = new Map<string, ProductDiscountCandidate>();
  for (const d of discounts.lines) {
    const amount = minorToDecimal(d.amount, currency);
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
  if (!candidates.length) return { operations: [] };
  const result = (candidates: ProductDiscountCandidate[]) => ({ operations: [{ productDiscountsAdd: { candidates, selectionStrategy: "ALL" as const } }] });
  const bytes = (r: object) => Buffer.byteLength(JSON.stringify(r));
  const exact = result(candidates);
  if (bytes(exact) <= OUTPUT_BUDGET) return exact;
  // Too long for Shopify: per message, each total exact, applied once across its lines.
  const index = new Map(cartOf(input)!.lines.map((l, i) => [l.id, i]));
  const groups = new Map<string, { lines: string[]; amount: number }>();
  for (const d of discounts.lines) {
    const g = groups.get(d.message) ?? groups.set(d.message, { lines: [], amount: 0 }).get(d.message)!;
    g.lines.push(d.lineId);
    g.amount += d.amount;
  }
  const candidate = (lines: string[], amount: number, message?: string): ProductDiscountCandidate => ({
    ...(message === undefined ? {} : { message }),
    targets: lines.map((id) => ({ cartLine: { id } })),
    value: { fixedAmount: { amount: minorToDecimal(amount, currency) } },
  });
  const merged = result([...groups].map(([message, g]) => candidate(g.lines, g.amount, message)));
  if (bytes(merged) <= OUTPUT_BUDGET) return merged;
  const total = discounts.lines.reduce((s, d) => s + d.amount, 0);
  const single = result([candidate(discounts.lines.map((d) => d.lineId), total)]);
  if (bytes(single) <= OUTPUT_BUDGET) return single;
  // The lines earning most (ties: cart order), as many as fit.
  const order = [...discounts.lines].sort((a, b) => b.amount - a.amount || index.get(a.lineId)! - index.get(b.lineId)!);
  let size = bytes(single);
  while (size > OUTPUT_BUDGET && order.length > 1) size -= 23 + Buffer.byteLength(JSON.stringify(order.pop()!.lineId)) - 2;
  const trimmed = result([candidate(order.map((d) => d.lineId), order.reduce((s, d) => s + d.amount, 0))]);
  return bytes(trimmed) <= OUTPUT_BUDGET ? trimmed : { operations: [] };
}

/** The function's own bound on the lines target's output (extensions/cartlift-discount
 *  src/output.rs): below Shopify's 20,000 bytes. */
export const OUTPUT_BUDGET = 19_500;

/** The delivery target's expected result: free shipping on every group at the goal. */
export function expectedDeliveryResult(ruleset: Ruleset, input: CartDeliveryOptionsDiscountsGenerateRunInput, options?: PlanOptions): { operations: DeliveryOperation[] } {
  if (!has(input, "SHIPPING")) return { operations: [] };
  const discounts = planned(ruleset, input, options);
  const groups = input.cart.deliveryGroups;
  if (!discounts?.freeShipping || !groups.length) return { operations: [] };
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          candidates: [{ message: discounts.freeShipping, targets: groups.map((g) => ({ deliveryGroup: { id: g.id } })), value: { percentage: { value: "100.0" } } }],
          selectionStrategy: "ALL",
        },
      },
    ],
  };
}

