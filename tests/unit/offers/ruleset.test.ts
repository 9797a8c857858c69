import { describe, expect, it } from "vitest";
import { evaluate, parseRuleset } from "../../../app/engine";
import {
  checkConfigurationSize,
  checkRulesetSize,
  compileRuleset,
  discountConfiguration,
  byteLength,
} from "../../../app/offers/ruleset";
import { DISCOUNT_CONFIGURATION_LIMIT_BYTES } from "../../../app/offers/metafields";
import { publishedRevision } from "../../../app/offers/publisher.server";
import { defaultSettings } from "../../../app/settings/settings";
import { BURGER, CASE_BLACK, catalog, DRINK, FILM, FRIES, makeRecord, PHONE_128, PHONE_64 } from "./fixtures";

const NOW = Date.parse("2026-06-01T12:00:00Z");

function compile(offers = [makeRecord()], settings = defaultSettings()) {
  return compileRuleset({ revision: 7, currency: "USD", settings, offers, catalog: catalog(), now: NOW });
}

describe("compiling the shop's ruleset", () => {
  it("yields a ruleset parseRuleset accepts, with only the variants the offers name", () => {
    const { ruleset, warnings } = compile();
    expect(warnings).toEqual([]);
    expect(parseRuleset(ruleset).ok).toBe(true);
    expect(ruleset.schemaVersion).toBe(1);
    expect(ruleset.revision).toBe(7);
    expect(Object.keys(ruleset.products).sort()).toEqual(["1003", "1005"]);
    expect(ruleset.display?.texts.ko.add).toBe("추가");
    expect(ruleset.display?.colors).toBeNull();
  });

  it("leaves out paused and ended offers, keeps scheduled ones", () => {
    const paused = makeRecord({ status: "paused" });
    const ended = makeRecord({ endsAt: new Date(NOW - 1000) });
    const scheduled = makeRecord({ startsAt: new Date(NOW + 86_400_000) });
    const { offerIds } = compile([paused, ended, scheduled]);
    expect(offerIds).toEqual([scheduled.id]);
  });

  it("drops products that left the catalog instead of breaking every surface", () => {
    const partly = makeRecord({ name: "Partly gone", definition: { trigger: { variants: [PHONE_64] }, variants: [CASE_BLACK, "404"] } });
    const gone = makeRecord({ name: "All gone", definition: { variants: ["404"] } });
    const { ruleset, warnings, offerIds } = compile([partly, gone]);
    expect(parseRuleset(ruleset).ok).toBe(true);
    expect(offerIds).toEqual([partly.id]);
    expect(warnings.join(" ")).toMatch(/Partly gone.*1 product/);
    expect(warnings.join(" ")).toMatch(/All gone.*left out/);
  });

  it("expands collection and tag triggers to product ids the storefront can match", () => {
    const offer = makeRecord({ definition: { trigger: { collections: ["3001"], tags: ["phone"] }, variants: [CASE_BLACK] } });
    const { ruleset } = compileRuleset({
      revision: 1,
      currency: "USD",
      settings: defaultSettings(),
      offers: [offer],
      catalog: catalog(),
      expansions: { collections: { "3001": ["1001", "1002"] }, tags: { phone: ["1001"] } },
      now: NOW,
    });
    const compiled = ruleset.offers[0];
    expect(compiled.kind == "cross_sell" && compiled.trigger).toEqual({ collections: ["3001"], tags: ["phone"], products: ["1001", "1002"] });
    const evaluation = evaluate(ruleset, { currency: "USD", lines: [{ id: "l", productId: "1002", variantId: "2003", quantity: 1, unitPrice: 54900 }] }, { placement: "cart", now: NOW });
    expect(evaluation.offers.map((o) => o.id)).toEqual([offer.id]);
  });

  it("expands vendor and product-type triggers too, so checkout lines and the discount function can match them", () => {
    const offer = makeRecord({ placements: ["checkout"], definition: { trigger: { vendors: ["Aurora Mobile"], productTypes: ["Phone"] }, variants: [CASE_BLACK] } });
    const { ruleset } = compileRuleset({
      revision: 1,
      currency: "USD",
      settings: defaultSettings(),
      offers: [offer],
      catalog: catalog(),
      expansions: { collections: {}, tags: {}, vendors: { "Aurora Mobile": ["1001", "1003"] }, productTypes: { Phone: ["1001"] } },
      now: NOW,
    });
    const compiled = ruleset.offers[0];
    expect(compiled.kind == "cross_sell" && compiled.trigger?.products).toEqual(["1001", "1003"]);
    // A checkout line knows only its product: the expanded ids are what match it.
    const line = { id: "l", productId: "1001", variantId: PHONE_64, quantity: 1, unitPrice: 69900 };
    expect(evaluate(ruleset, { currency: "USD", lines: [line] }, { placement: "checkout", now: NOW }).offers.map((o) => o.id)).toEqual([offer.id]);
  });

  it("publishes the settings: free-shipping goal, reward tiers, limits", () => {
    const settings = defaultSettings();
    settings.freeShipping = { enabled: true, amount: 7500, amounts: { EUR: 7000 } };
    settings.rewardTiers = [{ id: "tote", label: "Free tote bag", amount: 10000, amounts: {}, gift: DRINK }];
    settings.maxOffers = 2;
    settings.anchorShare = 0.5;
    const { ruleset } = compile([], settings);
    expect(ruleset.shop).toEqual({
      currency: "USD",
      maxOffers: 2,
      anchorShare: 0.5,
      freeShipping: { amount: 7500, amounts: { EUR: 7000 } },
      rewardTiers: [{ id: "tote", label: "Free tote bag", amount: 10000, gift: DRINK }],
    });
    expect(parseRuleset(ruleset).ok).toBe(true);
  });

  it("is deterministic", () => {
    const offers = [makeRecord({ priority: 1 }), makeRecord({ priority: 5 }), makeRecord()];
    expect(JSON.stringify(compile(offers).ruleset)).toBe(JSON.stringify(compile([...offers].reverse()).ruleset));
  });
});

describe("the discount function's configuration", () => {
  it("is the engine's discount plan: only what can discount, no display data", () => {
    const plain = makeRecord({ name: "No discount" });
    const discounted = makeRecord({ definition: { trigger: { variants: [PHONE_64] }, variants: [FILM], discount: { kind: "percent", value: 10 } } });
    const bundle = makeRecord({ kind: "bundle", definition: { components: [{ variantId: BURGER }, { variantId: FRIES }], discount: { kind: "percent", value: 15 } } });
    const upsell = makeRecord({ kind: "upsell", definition: { trigger: { variants: [PHONE_64] }, variants: [PHONE_128] } });
    const settings = defaultSettings();
    settings.freeShipping.enabled = true;
    const { ruleset } = compile([plain, discounted, bundle, upsell], settings);
    const config = discountConfiguration(ruleset);
    if (!config.ok) throw new Error("expected a plan");
    expect(config.plan.o.map((o) => o.i ?? o.k).sort()).toEqual([discounted.id, 2].sort());
    expect(config.plan.f).toEqual({ a: 7500, m: "Free shipping" });
    expect(config.plan.y).toEqual({ "1101": [[config.plan.o.findIndex((o) => o.k == 2), 0]], "1102": [[config.plan.o.findIndex((o) => o.k == 2), 1]] });
    const json = JSON.stringify(config.plan);
    expect(json).not.toContain("handle");
    expect(json).not.toContain("placements");
    const check = checkConfigurationSize(config);
    expect(check.ok).toBe(true);
    if (check.ok) expect(JSON.parse(check.json)).toEqual(config.plan);
  });

  it("refuses an invalid ruleset with the field at fault", () => {
    const { ruleset } = compile();
    const check = checkConfigurationSize(discountConfiguration({ ...ruleset, shop: { ...ruleset.shop, currency: "usd" } }));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/invalid \(shop\.currency must be a currency code\)/);
  });

  it(`refuses a configuration over ${DISCOUNT_CONFIGURATION_LIMIT_BYTES.toLocaleString("en-US")} bytes with what to do`, () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      makeRecord({ id: `discounted-offer-${i}`, definition: { title: `A discounted offer with a headline, number ${i}`, trigger: { variants: [PHONE_64] }, variants: [FILM, CASE_BLACK], discount: { kind: "percent", value: 10 } } }),
    );
    const check = checkConfigurationSize(discountConfiguration(compile(many).ruleset));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(new RegExp(`${DISCOUNT_CONFIGURATION_LIMIT_BYTES.toLocaleString("en-US")}-byte limit.*400 discounted offers name 2 products`));
  });
});

describe("size limits", () => {
  it("refuses a ruleset over the metafield limit and names the largest offers", () => {
    const big = makeRecord({ name: "Huge headline offer", definition: { title: "x".repeat(3000), variants: [FILM] } });
    const { ruleset } = compile([big, makeRecord()]);
    const check = checkRulesetSize(ruleset, { [big.id]: big.name }, 2048);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.message).toMatch(/over Shopify's 2\.0 KB limit/);
      expect(check.message).toMatch(/Largest offers: “Huge headline offer”/);
    }
    const fits = checkRulesetSize(ruleset, {});
    expect(fits.ok && byteLength(fits.json) == fits.bytes).toBe(true);
  });

  it("reads the published revision without parsing the whole value", () => {
    expect(publishedRevision('{"schemaVersion":1,"revision":41,"shop":{}}')).toBe(41);
    expect(publishedRevision(undefined)).toBe(0);
  });
});
