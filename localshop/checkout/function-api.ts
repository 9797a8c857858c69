// The Discount Function API (2026-07) shapes Cartlift's discount function works with: its two
// input queries' results (extensions/cartlift-discount/src/*.graphql, aliases included) and
// the results Shopify accepts. Written out from the published schema, field for field; the
// function tests check every fixture against the input queries, and every output against
// Shopify's schema (localshop/checkout/function-output.ts).

/** A signed decimal serialized as a string ("29.99", "1500.0"). */
export type Decimal = string;

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

export interface InputCartLine {
  /** gid://shopify/CartLine/… */
  id: string;
  /** `q: quantity` */
  q: number;
  /** `c: cost { u: amountPerQuantity { a: amount } }`, in the cart's currency
   *  (`cart.cost.subtotalAmount.currencyCode`). */
  c: { u: { a: Decimal } };
  /** `o: attribute(key: "_cartlift_offer") { v: value }`: null when the line has none. */
  o: { v: string | null } | null;
  /** `m: merchandise { ... on ProductVariant { id p: product { id v: vendor t: productType } } }`:
   *  empty for a custom product. */
  m: { id: string; p: { id: string; v: string | null; t: string | null } } | Record<string, never>;
}

interface InputBase {
  cart: {
    lines: InputCartLine[];
    cost: { subtotalAmount: { currencyCode: string } };
    buyerIdentity: { isAuthenticated: boolean; customer: { numberOfOrders: number } | null } | null;
  };
  discount: {
    discountClasses: DiscountClass[];
    /** `metafield(namespace: "$app:cartlift", key: "function-configuration")`. */
    metafield: { jsonValue: unknown } | null;
  };
  localization: { country: { isoCode: string } };
  /** Cart-currency units per shop-currency unit. */
  presentmentCurrencyRate: Decimal;
  /** The shop's current date ("2026-11-24", shop time zone): functions have no clock. `a0`…`a5`:
   *  `dateTimeAfter(dateTime: $t0…$t5)`, whether the shop's current time is at or past the
   *  discount plan's schedule slots (the variables come from the discount's metafield). */
  shop: { localTime: { date: string } & ScheduleSlotAnswers };
}

export interface ScheduleSlotAnswers {
  a0: boolean;
  a1: boolean;
  a2: boolean;
  a3: boolean;
  a4: boolean;
  a5: boolean;
}

export type CartLinesDiscountsGenerateRunInput = InputBase;

export interface CartDeliveryOptionsDiscountsGenerateRunInput extends InputBase {
  cart: InputBase["cart"] & { deliveryGroups: { id: string }[] };
}

/** Either target's input (the delivery one adds delivery groups). */
export type DiscountFunctionInput = CartLinesDiscountsGenerateRunInput | CartDeliveryOptionsDiscountsGenerateRunInput;

// ---- results ---------------------------------------------------------------------------

export type ProductDiscountSelectionStrategy = "ALL" | "FIRST" | "MAXIMUM";
export type OrderDiscountSelectionStrategy = "FIRST" | "MAXIMUM";
export type DeliveryDiscountSelectionStrategy = "ALL";

export interface ProductDiscountCandidate {
  message?: string;
  targets: { cartLine: { id: string; quantity?: number } }[];
  value:
    | { fixedAmount: { amount: Decimal; appliesToEachItem?: boolean } }
    | { percentage: { value: Decimal } };
}

export interface OrderDiscountCandidate {
  message?: string;
  targets: { orderSubtotal: { excludedCartLineIds: string[] } }[];
  value: { fixedAmount: { amount: Decimal } } | { percentage: { value: Decimal } };
}

export interface DeliveryDiscountCandidate {
  message?: string;
  targets: ({ deliveryGroup: { id: string } } | { deliveryOption: { handle: string } })[];
  value: { fixedAmount: { amount: Decimal } } | { percentage: { value: Decimal } };
}

export type CartOperation =
  | { productDiscountsAdd: { candidates: ProductDiscountCandidate[]; selectionStrategy: ProductDiscountSelectionStrategy } }
  | { orderDiscountsAdd: { candidates: OrderDiscountCandidate[]; selectionStrategy: OrderDiscountSelectionStrategy } };

export type DeliveryOperation = {
  deliveryDiscountsAdd: { candidates: DeliveryDiscountCandidate[]; selectionStrategy: DeliveryDiscountSelectionStrategy };
};

export interface CartLinesDiscountsGenerateRunResult {
  operations: CartOperation[];
}

export interface CartDeliveryOptionsDiscountsGenerateRunResult {
  operations: DeliveryOperation[];
}
