// Runs the built discount function (extensions/cartlift-discount/cartlift-discount.wasm)
// through WASI for the function tests, as Shopify would: a failed run or an output Shopify's
// schema refuses fails the test.
import { expect } from "vitest";
import type {
  CartDeliveryOptionsDiscountsGenerateRunInput,
  CartDeliveryOptionsDiscountsGenerateRunResult,
  CartLinesDiscountsGenerateRunInput,
  CartLinesDiscountsGenerateRunResult,
} from "../../../localshop/checkout/function-api";
import type { DiscountTarget } from "../../../localshop/checkout/function-input";
import { functionOutputProblems } from "../../../localshop/checkout/function-output";
import { runDiscountFunction } from "../../../localshop/checkout/wasm-function";

export function runTarget(target: DiscountTarget, input: unknown): unknown {
  const run = runDiscountFunction(target, input);
  if (!run.ok) throw new Error(`the function failed: ${run.error}\n${run.logs}`);
  expect(functionOutputProblems(target, run.output), "output valid against the Discount Function API").toEqual([]);
  return run.output;
}

export const cartLinesDiscountsGenerateRun = (input: CartLinesDiscountsGenerateRunInput) =>
  runTarget("cart.lines.discounts.generate.run", input) as CartLinesDiscountsGenerateRunResult;

export const cartDeliveryOptionsDiscountsGenerateRun = (input: CartDeliveryOptionsDiscountsGenerateRunInput) =>
  runTarget("cart.delivery-options.discounts.generate.run", input) as CartDeliveryOptionsDiscountsGenerateRunResult;
