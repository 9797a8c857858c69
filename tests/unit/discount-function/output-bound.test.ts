// The lines target's output stays below Shopify's 20,000-byte limit whatever the cart (over
// it Shopify drops the whole result): exact per line while that fits; else one candidate per
// message with each total exact; else one candidate; else (line ids far longer than
// Shopify's) the lines earning most. The built module against the engine's reference, on the
// carts that reach each level (issue 9's worst case among them: 200 lines each earning a
// different amount).
import { describe, expect, it } from "vitest";
import { evaluate, minorToDecimal, type Offer, type Ruleset } from "../../../app/engine";
import { discountPlan } from "../../../app/engine/plan";
import type { CartLinesDiscountsGenerateRunInput, ProductDiscountCandidate } from "../../../localshop/checkout/function-api";
import { functionOutputProblems } from "../../../localshop/checkout/function-output";
import { reusableRunner } from "../../../localshop/checkout/wasm-function";
import { slotAnswers } from "./inputs";
import { cartOf, contextOf, expectedLinesResult, OUTPUT_BUDGET } from "./reference";

const LINES = "cart.lines.discounts.generate.run";
const run = reusableRunner();

/** `count` lines (default 200) of products p0…p{products−1} (two units each, each at its own price). */
function scenario(offers: Offer[], products: number, lineId: (i: number) => string, count = 200) {
  const ruleset: Ruleset = { schemaVersion: 1, revision: 1, shop: { currency: "USD" }, offers, products: {} };
  const plan = discountPlan(ruleset);
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const input: CartLinesDiscountsGenerateRunInput = {
    cart: {
      lines: Array.from({ length: count }, (_, i) => ({
        id: lineId(i),
        q: 2,
        c: { u: { a: minorToDecimal(1000 + 37 * i, "USD") } },
        o: null,
        m: { id: `gid://shopify/ProductVariant/${50000 + i}`, p: { id: `gid://shopify/Product/${10000 + (i % products)}`, v: null, t: null } },
      })),
      cost: { subtotalAmount: { currencyCode: "USD" } },
      buyerIdentity: null,
    },
    discount: { discountClasses: ["PRODUCT"], metafield: { jsonValue: JSON.parse(JSON.stringify(plan.plan)) } },
    localization: { country: { isoCode: "US" } },
    presentmentCurrencyRate: "1.0",
    shop: { localTime: { date: "2026-11-24", ...slotAnswers([]) } },
  };
  const result = run(LINES, JSON.stringify(input));
  if (!result.ok) throw new Error(result.error);
  const output = result.output as { operations: { productDiscountsAdd: { candidates: ProductDiscountCandidate[] } }[] };
  expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(OUTPUT_BUDGET);
  expect(OUTPUT_BUDGET).toBeLessThan(20_000);
  expect(functionOutputProblems(LINES, output)).toEqual([]);
  expect(output).toEqual(expectedLinesResult(ruleset, input));
  const cart = cartOf(input)!;
  const engine = evaluate(ruleset, cart, { ...contextOf(input), now: Date.parse("2026-11-24T12:00:00Z") }).discounts;
  const cents = (amount: string) => Math.round(Number(amount) * 100);
  const candidates = output.operations[0].productDiscountsAdd.candidates;
  const total = candidates.reduce((s, c) => s + cents((c.value as { fixedAmount: { amount: string } }).fixedAmount.amount), 0);
  const engineTotal = engine.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);
  return { candidates, total, engineTotal, lines: candidates.reduce((n, c) => n + c.targets.length, 0) };
}

const uuid = (i: number) => `gid://shopify/CartLine/${String(i).padStart(8, "0")}-5f0e-4c1b-9a4e-3d2c1b0a9f8e`;
const breakFor = (id: string, title: string, products?: string[]): Offer => ({
  id,
  kind: "quantity_break",
  title,
  ...(products ? { trigger: { products } } : {}),
  tiers: [{ quantity: 2, discount: { kind: "percent", value: 10 } }],
});

describe("the lines target's output is bounded below Shopify's 20,000 bytes", () => {
  it("gives each line its exact discount while that fits (a store-wide break, 100 lines)", () => {
    const r = scenario([breakFor("all", "Volume discount")], 1, uuid, 100);
    expect(r.candidates).toHaveLength(100); // one per line, each its line's own amount
    expect(r.candidates.every((c) => c.targets.length == 1 && c.message == "Volume discount")).toBe(true);
    expect(r.total).toBe(r.engineTotal);
  });

  it("issue 9's worst case (200 lines, each a different amount): one candidate, its total exact, Shopify spreading it", () => {
    const r = scenario([breakFor("all", "Volume discount")], 1, uuid);
    expect(r.total).toBe(r.engineTotal);
    expect(r.lines).toBe(200);
  });

  it("one candidate per message when offers differ, every total exact", () => {
    const offers = Array.from({ length: 4 }, (_, k) => breakFor(`qb${k}`, `Deal ${k}`, [String(10000 + k)]));
    const r = scenario(offers, 4, uuid);
    expect(r.candidates.map((c) => c.message)).toEqual(["Deal 0", "Deal 1", "Deal 2", "Deal 3"]);
    expect(r.total).toBe(r.engineTotal);
  });

  it("one candidate without a message when even that is too long (100 offers with long titles)", () => {
    const offers = Array.from({ length: 100 }, (_, k) => breakFor(`qb${k}`, `Deal ${k} `.padEnd(120, "x"), [String(10000 + k)]));
    const r = scenario(offers, 100, uuid);
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0].message).toBeUndefined();
    expect(r.total).toBe(r.engineTotal);
    expect(r.lines).toBe(200);
  });

  it("the lines earning most, as many as fit, when line ids are far longer than Shopify's", () => {
    const r = scenario([breakFor("all", "Volume discount")], 1, (i) => `gid://shopify/CartLine/${String(i).padStart(140, "0")}`);
    expect(r.candidates).toHaveLength(1);
    expect(r.lines).toBeLessThan(200);
    expect(r.lines).toBeGreaterThan(100);
    expect(r.total).toBeLessThan(r.engineTotal);
  });
});
