// Target cart.lines.discounts.generate.run: the offer, bundle, quantity-break and gift
// discounts the cart earns, as one product-discount operation. Never throws: any failure
// means no discount (fail closed), never a wrong one.
import type { CartLinesDiscountsGenerateRunInput, CartLinesDiscountsGenerateRunResult } from "./api";
import { evaluateInput, hasClass, productDiscountOperations } from "./discounts";

export function cartLinesDiscountsGenerateRun(input: CartLinesDiscountsGenerateRunInput): CartLinesDiscountsGenerateRunResult {
  try {
    if (!hasClass(input, "PRODUCT")) return { operations: [] };
    const evaluated = evaluateInput(input, Date.now());
    return { operations: evaluated ? productDiscountOperations(evaluated.evaluation, evaluated.cart) : [] };
  } catch {
    return { operations: [] };
  }
}
