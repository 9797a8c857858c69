// The function's input queries against the Discount Function API schema, and the fixture check
// every function test relies on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OFFER_LINE_PROPERTY } from "../../../app/engine";
import { DISCOUNT_CONFIGURATION, DISCOUNT_VARIABLES } from "../../../app/offers/metafields";
import { getNamedType, isLeafType, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import { discountFunctionSchema, inputVariablesMetafield, QUERY_FILES, inputQuery, runInputQuery, type DiscountTarget } from "../../../localshop/checkout/function-input";
import { SCHEDULE_SLOTS } from "../../../app/engine/plan";
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

  it("stay within Shopify's input query cost of 30, counting every leaf field as 1 (the safe reading)", () => {
    // Shopify documents a maximum calculated cost of 30 per input query, with 3 for
    // `metafield`, `attribute`, `hasAnyTag`, `hasTags`, `inAnyCollection`, `inCollections`.
    // Whether other leaf fields cost 0 or 1 could not be checked offline: count them as 1.
    const THREE = new Set(["metafield", "attribute", "hasAnyTag", "hasTags", "inAnyCollection", "inCollections"]);
    for (const target of targets) {
      const info = new TypeInfo(discountFunctionSchema());
      let cost = 0;
      visit(
        inputQuery(target),
        visitWithTypeInfo(info, {
          Field(node) {
            const field = info.getFieldDef();
            if (THREE.has(node.name.value)) cost += 3;
            if (field && isLeafType(getNamedType(field.type)) && node.name.value != "__typename") cost += 1;
          },
        }),
      );
      expect(cost, target).toBeLessThanOrEqual(30);
    }
  });

  it("ask whether now is at or past each schedule slot, with the variables the publisher writes", () => {
    for (const target of targets) {
      const query = readFileSync(QUERY_FILES[target], "utf8");
      for (let k = 0; k < SCHEDULE_SLOTS; k++) {
        expect(query).toContain(`$t${k}: DateTimeWithoutTimezone!`);
        expect(query).toContain(`a${k}: dateTimeAfter(dateTime: $t${k})`);
      }
      expect(query).not.toContain(`$t${SCHEDULE_SLOTS}`);
    }
    expect(inputVariablesMetafield()).toEqual({ namespace: DISCOUNT_VARIABLES.namespace, key: DISCOUNT_VARIABLES.key });
    // A variable Shopify's DateTimeWithoutTimezone refuses fails the input, like a missing one.
    const input = linesInput({ lines: [{ variantId: DEMO.phone.gb64 }] });
    expect(() => runInputQuery("cart.lines.discounts.generate.run", input, { ...ANY_VARIABLES, t0: "2026-11-24 12:00" })).toThrow(/t0/);
    expect(() => runInputQuery("cart.lines.discounts.generate.run", input, { ...ANY_VARIABLES, t0: "2026-02-30T12:00:00" })).toThrow(/t0/);
    const { t0: _t0, ...missing } = ANY_VARIABLES;
    expect(() => runInputQuery("cart.lines.discounts.generate.run", input, missing)).toThrow(/\$t0/);
  });

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
