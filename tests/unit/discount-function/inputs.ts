// Function inputs for the discount function's tests, in the exact shape of its input queries:
// every builder runs the query over its fixture (localshop/checkout/function-input.ts) and
// fails if the fixture has a field the query does not ask for, lacks one, or has a wrong type.
import { expect } from "vitest";
import type {
  CartDeliveryOptionsDiscountsGenerateRunInput,
  CartLinesDiscountsGenerateRunInput,
  DiscountClass,
  InputCartLine,
  ScheduleSlotAnswers,
} from "../../../localshop/checkout/function-api";
import { SCHEDULE_SLOTS, UNUSED_SLOT } from "../../../app/engine/plan";
import { convertMinor, minorToDecimal } from "../../../app/engine";
import { runInputQuery, type DiscountTarget } from "../../../localshop/checkout/function-input";
import { demoRuleset, demoVariant, functionConfiguration } from "../checkout/demo-ruleset";

/** Rates of the demo shop (USD → cart currency), as Shopify gives them to a function. */
export const RATES: Record<string, string> = { USD: "1.0", EUR: "0.92", JPY: "151.5" };

export interface LineSpec {
  variantId: string;
  quantity?: number;
  /** The `_cartlift_offer` attribute (anything a buyer could have sent). */
  offer?: string;
  /** Unit price in the cart's currency (decimal string); default: the catalog price at the rate. */
  price?: string;
}

export interface InputSpec {
  lines: LineSpec[];
  currency?: string;
  /** Default RATES[currency]. */
  rate?: string;
  classes?: DiscountClass[];
  /** The metafield's jsonValue; `null` = no metafield. Default: the demo ruleset's plan. */
  configuration?: unknown;
  deliveryGroups?: string[];
  /** The shop's local date (`shop.localTime.date`); default today (UTC). */
  date?: string;
  /** `shop.localTime.a0`…`a7` (schedule slots: now at or past slot k); default all false. */
  after?: boolean[];
  /** `cart.buyerIdentity`; default null (a guest). */
  buyer?: { isAuthenticated: boolean; customer: { numberOfOrders: number } | null } | null;
}

let lineSeq = 0;

/** `variantId: "custom"`: a custom product line (no variant; e.g. a draft order's custom item). */
function lineOf(spec: LineSpec, currency: string, rate: number): InputCartLine {
  if (spec.variantId == "custom")
    return { id: `gid://shopify/CartLine/${++lineSeq}`, q: spec.quantity ?? 1, c: { u: { a: spec.price ?? "10.00" } }, o: null, m: {} };
  const v = demoVariant(spec.variantId);
  const amount = spec.price ?? minorToDecimal(convertMinor(v.price, "USD", currency, rate), currency);
  return {
    id: `gid://shopify/CartLine/${++lineSeq}`,
    q: spec.quantity ?? 1,
    c: { u: { a: amount } },
    o: spec.offer === undefined ? null : { v: spec.offer },
    m: {
      id: `gid://shopify/ProductVariant/${spec.variantId}`,
      p: {
        id: `gid://shopify/Product/${v.productId}`,
        v: v.product.vendor,
        t: v.product.productType,
      },
    },
  };
}

function base(spec: InputSpec): CartLinesDiscountsGenerateRunInput {
  const currency = spec.currency ?? "USD";
  const rate = spec.rate ?? RATES[currency];
  const lines = spec.lines.map((l) => lineOf(l, currency, Number(rate)));
  return {
    cart: {
      lines,
      cost: { subtotalAmount: { currencyCode: currency } },
      buyerIdentity: spec.buyer ?? null,
    },
    discount: {
      discountClasses: spec.classes ?? ["PRODUCT", "SHIPPING"],
      metafield:
        spec.configuration === null
          ? null
          : { jsonValue: spec.configuration === undefined ? functionConfiguration(demoRuleset()) : spec.configuration },
    },
    localization: { country: { isoCode: "US" } },
    presentmentCurrencyRate: rate,
    shop: { localTime: { date: spec.date ?? new Date().toISOString().slice(0, 10), ...slotAnswers(spec.after ?? []) } },
  };
}

/** `a0`…`a7` from a list (missing ones false). */
export function slotAnswers(after: boolean[]): ScheduleSlotAnswers {
  return Object.fromEntries(Array.from({ length: SCHEDULE_SLOTS }, (_, k) => [`a${k}`, !!after[k]])) as unknown as ScheduleSlotAnswers;
}

/** Any valid values for the input queries' variables (fixtures already hold the answers). */
export const ANY_VARIABLES = Object.fromEntries(Array.from({ length: SCHEDULE_SLOTS }, (_, k) => [`t${k}`, UNUSED_SLOT]));

function checked<T extends object>(target: DiscountTarget, input: T): T {
  expect(runInputQuery(target, input, ANY_VARIABLES), `fixture follows the ${target} input query`).toEqual(input);
  return input;
}

export function linesInput(spec: InputSpec): CartLinesDiscountsGenerateRunInput {
  return checked("cart.lines.discounts.generate.run", base(spec));
}

export function deliveryInput(spec: InputSpec): CartDeliveryOptionsDiscountsGenerateRunInput {
  const input = base(spec);
  const groups = (spec.deliveryGroups ?? ["gid://shopify/CartDeliveryGroup/0"]).map((id) => ({ id }));
  return checked("cart.delivery-options.discounts.generate.run", { ...input, cart: { ...input.cart, deliveryGroups: groups } });
}
