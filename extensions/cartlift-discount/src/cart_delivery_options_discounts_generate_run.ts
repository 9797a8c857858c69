// Target cart.delivery-options.discounts.generate.run: free shipping on every delivery group
// exactly when the free-shipping goal is reached in the cart's currency. Never throws.
import type { CartDeliveryOptionsDiscountsGenerateRunInput, CartDeliveryOptionsDiscountsGenerateRunResult } from "./api";
import { deliveryDiscountOperations, evaluateInput, hasClass } from "./discounts";

export function cartDeliveryOptionsDiscountsGenerateRun(
  input: CartDeliveryOptionsDiscountsGenerateRunInput,
): CartDeliveryOptionsDiscountsGenerateRunResult {
  try {
    if (!hasClass(input, "SHIPPING")) return { operations: [] };
    const evaluated = evaluateInput(input, Date.now());
    return { operations: evaluated ? deliveryDiscountOperations(evaluated.evaluation, input.cart.deliveryGroups) : [] };
  } catch {
    return { operations: [] };
  }
}
