// The function's input queries against the Discount Function API schema, and the fixture check
// every function test relies on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OFFER_LINE_PROPERTY } from "../../../app/engine";
import { DISCOUNT_CONFIGURATION } from "../../../app/offers/metafields";
import { QUERY_FILES, inputQuery, runInputQuery, type DiscountTarget } from "../../../localshop/checkout/function-input";
import { ANY_VARIABLES, linesInput } from "./inputs";
import { DEMO } from "../checkout/demo-ruleset";

const targets = Object.keys(QUERY_FILES) as DiscountTarget[];

describe("input queries", () => {
  for (const target of targets) {
    it(`${target}: validates against the schema`, () => {
      expect(() => inputQuery(target)).not.toThrow();
    });

    it(`${target}: asks for the offer attribute and the configuration metafield where the publisher writes them`, () => {
      const query = readFileSync(QUERY_FILES[target], "utf8");
      expect(query).toContain(`attribute(key: "${OFFER_LINE_PROPERTY}")`);
      expect(query).toContain(`metafield(namespace: "${DISCOUNT_CONFIGURATION.namespace}", key: "${DISCOUNT_CONFIGURATION.key}")`);
      expect(query).toContain("presentmentCurrencyRate");
    });
  }

  it("only the delivery target asks for delivery groups", () => {
    expect(readFileSync(QUERY_FILES["cart.lines.discounts.generate.run"], "utf8")).not.toContain("deliveryGroups");
    expect(readFileSync(QUERY_FILES["cart.delivery-options.discounts.generate.run"], "utf8")).toContain("deliveryGroups");
  });

  it("catches a fixture with a field the query does not ask for, or without one it does", () => {
    const input = linesInput({ lines: [{ variantId: DEMO.phone.gb64 }] });
    const extra = structuredClone(input) as typeof input & { cart: { note?: string } };
    extra.cart.note = "not queried";
    expect(runInputQuery("cart.lines.discounts.generate.run", extra, ANY_VARIABLES)).not.toEqual(extra);
    const missing = structuredClone(input) as { presentmentCurrencyRate?: string };
    delete missing.presentmentCurrencyRate;
    expect(() => runInputQuery("cart.lines.discounts.generate.run", missing, ANY_VARIABLES)).toThrow(/presentmentCurrencyRate/);
  });
});
