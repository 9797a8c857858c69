// The Discount Function API (2026-07) types this function uses: the shape of its two input
// queries and of the results Shopify accepts. Shopify CLI generates these from the API's
// schema (`shopify app function typegen`), which it downloads from Shopify; Cartlift's build
// machines cannot, so they are written out here from the published schema, field for field.
// tests/unit/discount-function checks every fixture against the input queries.

/** A signed decimal serialized as a string ("29.99", "1500.0"). */
export type Decimal = string;

export interface MoneyV2 {
  amount: Decimal;
  currencyCode: string;
}

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

export interface InputCartLine {
  /** gid://shopify/CartLine/… */
  id: string;
  quantity: number;
  /** `cost { unit: amountPerQuantity { amount } }`, in the cart's currency
   *  (`cart.cost.subtotalAmount.currencyCode`). */
  cost: { unit: { amount: Decimal } };
  /** `offer: attribute(key: "_cartlift_offer")`: null when the line has none. */
  offer: { value: string | null } | null;
  /** `... on ProductVariant { … }` (`type: productType`): empty for a custom product. */
  merchandise: { id: string; product: { id: string; vendor: string | null; type: string | null } } | Record<string, never>;
}

interface InputBase {
  cart: {
    lines: InputCartLine[];
    cost: { subtotalAmount: MoneyV2 };
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
  /** The shop's current date ("2026-11-24", shop time zone): functions have no clock. */
  shop: { localTime: { date: string } };
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
