// The local checkout holds every discount function run to Shopify's limits: a module that
// runs past 11,000,000 instructions, an input over 64,000 bytes, or an output the Discount
// Function API schema refuses gives no discount at checkout, and the checkout logs why in one
// line. Fixture modules (assembled from text at test time, see ./fixtures.ts) stand in for
// the deployed function; each refusal is paired with the same module or cart passing when
// only the limit in question is kept.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCart, type StoredCart } from "../../../localshop/cart-store";
import { CARTLIFT_FUNCTION_HANDLE, checkoutView, lineGid, lineKey, localTime } from "../../../localshop/checkout/checkout";
import { runInputQuery } from "../../../localshop/checkout/function-input";
import { runDiscountFunction } from "../../../localshop/checkout/wasm-function";
import { createAutomaticAppDiscount, createLocalShop, findFunction, registerFunction, type LocalShopState } from "../../../localshop/state";
import { DEMO, demoRuleset, discountMetafields, functionConfiguration } from "../checkout/demo-ruleset";
import { ANY_VARIABLES } from "../discount-function/inputs";
import { fixtureModule } from "./fixtures";

const SHOP_URL = "http://127.0.0.1:3191";
const LINES = "cart.lines.discounts.generate.run";
const dir = mkdtempSync(join(tmpdir(), "cartlift-fixture-"));
let written = 0;

/** A fixture module on disk, as a deployed function's module. */
async function deployed(iterations: number, output: unknown): Promise<string> {
  const path = join(dir, `fixture-${written++}.wasm`);
  writeFileSync(path, await fixtureModule(iterations, typeof output == "string" ? output : JSON.stringify(output)));
  return path;
}

let state: LocalShopState;
let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  state = createLocalShop();
  const created = createAutomaticAppDiscount(state, {
    title: "Cartlift offers",
    functionHandle: CARTLIFT_FUNCTION_HANDLE,
    startsAt: "2020-01-01T00:00:00Z",
    discountClasses: ["PRODUCT"],
    metafields: discountMetafields(demoRuleset()),
  });
  expect(created.userErrors).toEqual([]);
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

/** Deploys `path` as the Cartlift discount function's module. */
function deploy(path: string) {
  registerFunction(state, { ...findFunction(state, { handle: CARTLIFT_FUNCTION_HANDLE })!, module: path });
}

function cart(properties: Record<string, string> = {}): StoredCart {
  const c = createCart("USD");
  const variantId = `gid://shopify/ProductVariant/${DEMO.phoneCase.black}`;
  c.lines.push({ key: lineKey(variantId, properties), variantId, quantity: 1, properties });
  return c;
}

/** 10% off the cart's one line, as a result of cart.lines.discounts.generate.run. */
function tenPercentOff(line: string, value: object = { percentage: { value: 10 } }) {
  return { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates: [{ message: "Fixture", targets: [{ cartLine: { id: line } }], value }] } }] };
}

const discountOf = (view: ReturnType<typeof checkoutView>) => view.lines[0].discountAllocations.map((a) => a.discountedAmount.amount);
const logged = () => warn.mock.calls.map((c: unknown[]) => c.join(" "));

describe("the local checkout within Shopify's function limits", () => {
  it("gives no discount when the function runs past 11,000,000 instructions, and logs why", async () => {
    const c = cart();
    const output = tenPercentOff(lineGid(c.lines[0].key));
    // Within the limit: the fixture's 10% applies (the case is $29.00).
    deploy(await deployed(1_000, output));
    expect(discountOf(checkoutView(state, c, SHOP_URL))).toEqual([2.9]);
    expect(logged()).toEqual([]);

    // The same output after 14 + 5 × 2,400,000 = 12,000,014 instructions: refused.
    deploy(await deployed(2_400_000, output));
    const view = checkoutView(state, c, SHOP_URL);
    expect(discountOf(view)).toEqual([]);
    expect(view.cost.totalAmount.amount).toBe(29 + 6.99);
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatch(/^local checkout: cart\.lines\.discounts\.generate\.run: refused as Shopify would refuse it \(ran more than 11000000 instructions .*\); no discount applied$/);
    expect(view.functionProblems).toEqual([expect.stringContaining("ran more than 11000000 instructions")]);
  });

  it("gives no discount when the input is over 64,000 bytes, and logs why", async () => {
    // The real module: the case added through the phone offer gets 20% with a phone…
    const run = (properties: Record<string, string>) => {
      const c = cart(properties);
      const phone = `gid://shopify/ProductVariant/${DEMO.phone.gb64}`;
      c.lines.unshift({ key: lineKey(phone, {}), variantId: phone, quantity: 1, properties: {} });
      return checkoutView(state, c, SHOP_URL).lines[1].discountAllocations.map((a) => a.discountedAmount.amount);
    };
    expect(run({ _cartlift_offer: "phone-case" })).toEqual([5.8]);
    expect(logged()).toEqual([]);
    // …and with a long attribute the input query does not read (it is not in the input)…
    expect(run({ _cartlift_offer: "phone-case", _note: "x".repeat(64_000) })).toEqual([5.8]);
    expect(logged()).toEqual([]);
    // …but not when the attribute the query reads makes the input exceed the limit.
    expect(run({ _cartlift_offer: "phone-case".padEnd(64_000, " ") })).toEqual([]);
    expect(logged().at(-1)).toMatch(/refused as Shopify would refuse it \(input is \d+ bytes, over the 64000-byte limit for 2 cart lines\)/);
  });

  it("gives no discount when the output fails the Discount Function API schema, and logs why", async () => {
    const c = cart();
    const line = lineGid(c.lines[0].key);
    // @oneOf: a value is a percentage or a fixed amount, never both.
    deploy(await deployed(1, tenPercentOff(line, { percentage: { value: 10 }, fixedAmount: { amount: "1.00" } })));
    expect(discountOf(checkoutView(state, c, SHOP_URL))).toEqual([]);
    expect(logged()[0]).toMatch(/output is not a valid result: .*exactly one field \(@oneOf\)/);
    // An enum value the schema does not have.
    deploy(await deployed(1, { operations: [{ productDiscountsAdd: { ...tenPercentOff(line).operations[0].productDiscountsAdd, selectionStrategy: "EVERY" } }] }));
    expect(discountOf(checkoutView(state, c, SHOP_URL))).toEqual([]);
    expect(logged()[1]).toMatch(/output is not a valid result: .*selectionStrategy/);
    expect(logged()).toHaveLength(2);
  });

  it("runs and meters the real module for the checkout", () => {
    const c = cart({ _cartlift_offer: "phone-case" });
    const input = runInputQuery(LINES, {
      cart: {
        lines: [{ id: lineGid(c.lines[0].key), quantity: 1, cost: { amountPerQuantity: { amount: "29.00" } }, attribute: null, merchandise: { __typename: "ProductVariant", id: c.lines[0].variantId, product: { id: "gid://shopify/Product/1003", vendor: null, productType: null } } }],
        cost: { subtotalAmount: { amount: "29.00", currencyCode: "USD" } },
        buyerIdentity: null,
      },
      discount: { discountClasses: ["PRODUCT"], metafield: { jsonValue: functionConfiguration(demoRuleset()) } },
      localization: { country: { isoCode: "US" } },
      presentmentCurrencyRate: "1.0",
      shop: { localTime: localTime(Date.parse("2026-11-24T12:00:00Z"), "UTC") },
    }, ANY_VARIABLES);
    const run = runDiscountFunction(LINES, input);
    expect(run.ok).toBe(true);
    expect(run.instructions).toBeGreaterThan(1_000);
    expect(run.instructions).toBeLessThan(11_000_000);
  });
});
