// The check of a function's result against Shopify's Discount Function schema (from
// @shopify/dev-mcp), which every function test and the local checkout apply: it must refuse
// what Shopify refuses, including the `@oneOf` rule the introspection does not carry.
import { describe, expect, it } from "vitest";
import { GraphQLInputObjectType } from "graphql";
import { discountApiSchema, functionOutputProblems, isOneOf } from "../../../localshop/checkout/function-output";

const LINES = "cart.lines.discounts.generate.run" as const;
const DELIVERY = "cart.delivery-options.discounts.generate.run" as const;
const candidate = { message: "20% off", targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }], value: { fixedAmount: { amount: "5.80" } } };
const product = (c: unknown) => ({ operations: [{ productDiscountsAdd: { candidates: [c], selectionStrategy: "ALL" } }] });

describe("function output against the Discount Function schema", () => {
  it("accepts what the function writes: line discounts, shared candidates, free shipping, nothing", () => {
    expect(functionOutputProblems(LINES, product(candidate))).toEqual([]);
    expect(functionOutputProblems(LINES, product({ ...candidate, value: { fixedAmount: { amount: "1.60", appliesToEachItem: true } } }))).toEqual([]);
    expect(functionOutputProblems(LINES, { operations: [] })).toEqual([]);
    const free = { deliveryDiscountsAdd: { candidates: [{ message: "Free shipping", targets: [{ deliveryGroup: { id: "gid://shopify/CartDeliveryGroup/0" } }], value: { percentage: { value: "100.0" } } }], selectionStrategy: "ALL" } };
    expect(functionOutputProblems(DELIVERY, { operations: [free] })).toEqual([]);
  });

  it("refuses a missing amount, an unknown field, a wrong strategy and a delivery operation on the lines target", () => {
    expect(functionOutputProblems(LINES, product({ ...candidate, value: { fixedAmount: {} } })).join()).toMatch(/amount/);
    expect(functionOutputProblems(LINES, product({ ...candidate, price: "0.00" })).join()).toMatch(/price/);
    expect(functionOutputProblems(LINES, { operations: [{ productDiscountsAdd: { candidates: [candidate], selectionStrategy: "EVERY" } }] }).join()).toMatch(/EVERY/);
    expect(functionOutputProblems(LINES, { operations: [{ deliveryDiscountsAdd: { candidates: [], selectionStrategy: "ALL" } }] })).not.toEqual([]);
  });

  it("enforces @oneOf: exactly one of fixedAmount and percentage, one operation kind per entry", () => {
    const both = { ...candidate, value: { fixedAmount: { amount: "1.00" }, percentage: { value: "10" } } };
    expect(functionOutputProblems(LINES, product(both)).join()).toMatch(/ProductDiscountCandidateValue takes exactly one field/);
    expect(functionOutputProblems(LINES, product({ ...candidate, value: {} })).join()).toMatch(/exactly one field/);
  });

  it("treats exactly Shopify's all-optional input objects as @oneOf (not the fetch results, not the amounts)", () => {
    const schema = discountApiSchema();
    const oneOf = Object.values(schema.getTypeMap()).filter((t): t is GraphQLInputObjectType => t instanceof GraphQLInputObjectType && isOneOf(t)).map((t) => t.name);
    expect(oneOf).toEqual(expect.arrayContaining(["CartOperation", "DeliveryOperation", "ProductDiscountCandidateTarget", "ProductDiscountCandidateValue", "DeliveryDiscountCandidateValue"]));
    expect(oneOf).not.toContain("CartLinesDiscountsGenerateFetchResult");
    expect(oneOf).not.toContain("ProductDiscountCandidateFixedAmount");
  });
});
