// No drift between the discount function and the engine: random rulesets (every offer kind,
// conditions, schedules at the window's edges, gift tiers, per-currency goals) and random
// carts (several currencies and rates, quantities, forged offer attributes, custom products)
// run through the built WebAssembly module, which must give exactly the results the engine
// gives through the plan's meaning (reference.ts): every line, amount, message and free
// shipping, candidate for candidate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Condition, Offer, OfferDiscount, ProductSnapshot, Ruleset, Trigger } from "../../../app/engine";
import { minorDigits, minorToDecimal } from "../../../app/engine";
import { evaluate } from "../../../app/engine";
import { discountPlan, planDiscounts, SCHEDULE_SLOTS, type DiscountPlan } from "../../../app/engine/plan";
import type { CartDeliveryOptionsDiscountsGenerateRunInput, InputCartLine } from "../../../localshop/checkout/function-api";
import { functionOutputProblems } from "../../../localshop/checkout/function-output";
import { reusableRunner } from "../../../localshop/checkout/wasm-function";
import { afterOf, cartOf, contextOf, expectedDeliveryResult, expectedLinesResult } from "./reference";
import { slotAnswers } from "./inputs";

const RUNS = 5000;

// A catalog of 6 products with 2 variants each: product 10k, variants 20k + 2k, 20k + 2k + 1.
const PRODUCTS = [1, 2, 3, 4, 5, 6].map((k) => ({
  id: String(1000 + k),
  variants: [String(2000 + 2 * k), String(2001 + 2 * k)],
  vendor: k % 2 ? "Acme" : "Zoë \"Z\" Co",
  type: k <= 3 ? "Tee" : null,
}));
const VARIANTS = PRODUCTS.flatMap((p) => p.variants);
const productOf = (variantId: string) => PRODUCTS.find((p) => p.variants.includes(variantId))!;

const DAY = Date.parse("2026-11-24T00:00:00Z");
const HOUR = 3_600_000;
/** Schedule instants around the date's window [DAY − 14 h, DAY + 36 h) and far from it: whole
 *  seconds (a slot can hold them), milliseconds (left to the window), and one local time New
 *  York's DST change repeats (2026-11-01 01:30, left to the window there, slotted in UTC). */
const DST_REPEATED = Date.parse("2026-11-01T05:30:00Z");
const INSTANTS = [
  DAY - 14 * HOUR - 1, DAY - 14 * HOUR, DAY - 14 * HOUR + 1, DAY - 3 * HOUR, DAY + 2 * HOUR, DAY + 5 * HOUR, DAY + 5 * HOUR + 1000, DAY + 12 * HOUR,
  DAY + 20 * HOUR, DAY + 36 * HOUR - 1, DAY + 36 * HOUR, DAY + 36 * HOUR + 1, DAY - 30 * 24 * HOUR, DAY + 30 * 24 * HOUR, DST_REPEATED,
];
/** Publish moments and shop time zones the plan is compiled for (publishing settles what
 *  has passed and slots what is ahead). */
const PUBLISHED = [DAY - 40 * 24 * HOUR, DAY - 24 * 24 * HOUR, DAY - 14 * HOUR, DAY, DAY + 5 * HOUR, DAY + 40 * 24 * HOUR];
const ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati"];

const SHOP_CURRENCIES = ["USD", "EUR", "JPY"];
const CART_CURRENCIES = ["USD", "EUR", "JPY", "KWD", "GBP", "KRW"];
const RATES = ["0.92", "151.5", "1.0", "0.3071", "1384.25", "0.7851", "1.1", "123.456789"];

const discount: fc.Arbitrary<OfferDiscount> = fc.oneof(
  fc.record({ kind: fc.constant("percent" as const), value: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(12.5, 33.3, 0.5, 99.99)) }),
  fc.record({ kind: fc.constant("amount" as const), value: fc.integer({ min: 1, max: 6000 }) }),
);

const trigger: fc.Arbitrary<Trigger> = fc.record(
  {
    products: fc.uniqueArray(fc.constantFrom(...PRODUCTS.map((p) => p.id)), { minLength: 1, maxLength: 2 }),
    variants: fc.uniqueArray(fc.constantFrom(...VARIANTS), { minLength: 1, maxLength: 2 }),
    vendors: fc.constant(["Acme"]),
    productTypes: fc.constant(["Tee"]),
    collections: fc.constant(["gid-collection-1"]),
  },
  { requiredKeys: [] },
);

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constantFrom("subtotal" as const, "itemCount" as const, "orderCount" as const), op: fc.constantFrom("gte" as const, "lte" as const, "eq" as const), value: fc.integer({ min: 0, max: 20000 }) }).map((c) =>
    c.fact == "subtotal" ? c : { ...c, value: c.value % 6 },
  ),
  fc.record({ fact: fc.constantFrom("country" as const, "customerTags" as const), op: fc.constantFrom("in" as const, "notIn" as const), value: fc.uniqueArray(fc.constantFrom("US", "CA", "DE", "vip"), { minLength: 1, maxLength: 2 }) }),
  fc.record({ fact: fc.constant("loggedIn" as const), op: fc.constant("eq" as const), value: fc.boolean() }),
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 2, arbitrary: leaf },
  { weight: 1, arbitrary: fc.record({ all: fc.array(leaf, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ any: fc.array(leaf, { minLength: 1, maxLength: 3 }) }) },
);

const base = fc.record(
  {
    title: fc.constantFrom("Bundle & save", "", "Ünïcode \"quoted\" \\ title", "Volume deal", "x"),
    priority: fc.constantFrom(-1, 0, 1, 2),
    conditions: condition,
    startsAt: fc.constantFrom(...INSTANTS),
    endsAt: fc.constantFrom(...INSTANTS),
  },
  { requiredKeys: [] },
);

const offer: fc.Arbitrary<Omit<Offer, "id">> = fc
  .tuple(
    base,
    fc.oneof(
      fc.record({ kind: fc.constant("cross_sell" as const), trigger, variants: fc.uniqueArray(fc.constantFrom(...VARIANTS), { minLength: 1, maxLength: 3 }), discount }, { requiredKeys: ["kind", "variants"] }),
      fc.record({ kind: fc.constant("upsell" as const), trigger, variants: fc.uniqueArray(fc.constantFrom(...VARIANTS), { minLength: 1, maxLength: 2 }), discount }, { requiredKeys: ["kind", "variants", "trigger"] }),
      fc.record({
        kind: fc.constant("bundle" as const),
        components: fc.uniqueArray(fc.constantFrom(...PRODUCTS), { minLength: 2, maxLength: 4 }).chain((ps) =>
          fc.tuple(...ps.map((p) => fc.record({ variantId: fc.constantFrom(...p.variants), quantity: fc.integer({ min: 1, max: 3 }) }))),
        ),
        discount,
      }),
      fc.record(
        {
          kind: fc.constant("quantity_break" as const),
          trigger,
          tiers: fc.uniqueArray(fc.integer({ min: 2, max: 8 }), { minLength: 1, maxLength: 3 }).chain((qs) =>
            fc.tuple(...[...qs].sort((a, b) => a - b).map((quantity) => fc.record({ quantity: fc.constant(quantity), discount }))),
          ),
        },
        { requiredKeys: ["kind", "tiers"] },
      ),
    ),
  )
  .map(([b, kind]) => {
    const o = { ...b, ...kind } as Omit<Offer, "id"> & { trigger?: Trigger };
    // An upsell needs a trigger the engine counts; the schema wants the end after the start.
    if (o.kind == "upsell" && !Object.values(o.trigger ?? {}).some((v) => v?.length)) o.trigger = { products: [PRODUCTS[0].id] };
    if (o.startsAt != null && o.endsAt != null && +o.endsAt <= +o.startsAt) delete o.endsAt;
    const iso = (t: unknown) => new Date(t as number).toISOString();
    if (o.startsAt != null) o.startsAt = iso(o.startsAt);
    if (o.endsAt != null) o.endsAt = iso(o.endsAt);
    return o as Omit<Offer, "id">;
  });

const goal = (cartCurrency: fc.Arbitrary<string>) =>
  fc.record({ amount: fc.integer({ min: 500, max: 30000 }), amounts: fc.option(cartCurrency.chain((c) => fc.dictionary(fc.constant(c), fc.integer({ min: 1, max: 3_000_000 }), { minKeys: 1, maxKeys: 1 })), { nil: undefined }) }).map((g) =>
    g.amounts ? g : { amount: g.amount },
  );

const prices = fc.array(fc.integer({ min: 0, max: 20000 }), { minLength: VARIANTS.length, maxLength: VARIANTS.length });

const ruleset: fc.Arbitrary<Ruleset> = fc
  .record({
    currency: fc.constantFrom(...SHOP_CURRENCIES),
    offers: fc.array(offer, { maxLength: 5 }),
    freeShipping: fc.option(goal(fc.constantFrom(...CART_CURRENCIES)), { nil: undefined }),
    tiers: fc.array(fc.tuple(goal(fc.constantFrom(...CART_CURRENCIES)), fc.option(fc.constantFrom(...VARIANTS), { nil: undefined }), fc.constantFrom("Free tote", "Gift ✨")), { maxLength: 2 }),
    prices,
  })
  .map(({ currency, offers, freeShipping, tiers, prices }) => {
    const products: Record<string, ProductSnapshot> = {};
    for (const p of PRODUCTS) products[p.id] = { title: "", handle: "", variants: Object.fromEntries(p.variants.map((v) => [v, { price: prices[VARIANTS.indexOf(v)] }])) };
    return {
      schemaVersion: 1 as const,
      revision: 1,
      shop: {
        currency,
        ...(freeShipping ? { freeShipping } : {}),
        ...(tiers.length ? { rewardTiers: tiers.map(([g, gift, label], i) => ({ id: `tier-${i}`, label, ...g, ...(gift ? { gift } : {}) })) } : {}),
      },
      offers: offers.map((o, i) => ({ ...o, id: `offer-${i}` }) as Offer),
      products,
    };
  });

interface LineArb {
  variant: string;
  custom: boolean;
  quantity: number;
  price: number;
  offer: number | "forged" | "json" | null;
  tagged: boolean;
}

const line: fc.Arbitrary<LineArb> = fc.record({
  variant: fc.constantFrom(...VARIANTS),
  custom: fc.boolean().map((b) => b && Math.random() < 0.2),
  quantity: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }) }),
  price: fc.oneof(fc.integer({ min: 0, max: 30000 }), fc.integer({ min: 0, max: 3_000_000 })),
  offer: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom("forged" as const, "json" as const) }),
  tagged: fc.boolean(),
});

const scenario = fc.record({
  ruleset,
  lines: fc.array(line, { minLength: 0, maxLength: 10 }),
  currency: fc.constantFrom(...CART_CURRENCIES),
  rate: fc.constantFrom(...RATES),
  buyer: fc.option(fc.record({ isAuthenticated: fc.boolean(), customer: fc.option(fc.record({ numberOfOrders: fc.integer({ min: 0, max: 5 }) }), { nil: null }) }), { nil: null }),
  country: fc.constantFrom("US", "CA", "DE"),
  date: fc.constantFrom("2026-11-24", "2026-11-24", "2026-11-23", "2026-11-25", "2026-10-25", "2026-12-24"),
  classes: fc.constantFrom(["PRODUCT", "SHIPPING"], ["PRODUCT", "SHIPPING"], ["PRODUCT"], ["SHIPPING"]),
  // The plan as the publisher compiles it (at a moment, in a zone), and the moment the input
  // answers the slots at (or, rarely, answers Shopify would never give: the function must
  // still follow them).
  schedule: fc.option(
    fc
      .record({
        publishedAt: fc.constantFrom(...PUBLISHED),
        timeZone: fc.constantFrom(...ZONES),
        now: fc.constantFrom(...INSTANTS, ...PUBLISHED),
        // Half the time a moment after the publish (what Shopify sees), often on an instant.
        after: fc.option(fc.constantFrom(0, 999, 1000, 5 * HOUR, 20 * HOUR, 40 * 24 * HOUR), { freq: 2, nil: undefined }),
        arbitrary: fc.option(fc.array(fc.boolean(), { minLength: SCHEDULE_SLOTS, maxLength: SCHEDULE_SLOTS }), { freq: 8, nil: undefined }),
      })
      .map(({ after, ...s }) => ({ ...s, now: after === undefined ? s.now : Math.max(s.now, s.publishedAt + after) })),
    { freq: 6, nil: undefined },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function inputOf(s: Scenario, plan: DiscountPlan): CartDeliveryOptionsDiscountsGenerateRunInput {
  const { lines, currency } = s;
  const rate = currency == s.ruleset.shop.currency ? "1.0" : s.rate;
  const digits = minorDigits(currency);
  const inputLines: InputCartLine[] = lines.map((l, i): InputCartLine => {
    const product = productOf(l.variant);
    // Prices as Shopify writes them: the currency's decimals, sometimes one fewer ("12.5").
    let amount = minorToDecimal(l.price, currency);
    if (digits > 0 && amount.endsWith("0") && i % 2) amount = amount.slice(0, -1);
    const offer = l.offer === null ? null : l.offer == "forged" ? "free-stuff" : l.offer == "json" ? '{"offer":"offer-0","price":0}' : `offer-${l.offer}`;
    return {
      id: `gid://shopify/CartLine/${i}`,
      q: l.quantity,
      c: { u: { a: amount } },
      o: offer === null ? null : { v: offer },
      m: l.custom ? ({} as Record<string, never>) : { id: `gid://shopify/ProductVariant/${l.variant}`, p: { id: `gid://shopify/Product/${product.id}`, v: l.tagged ? product.vendor : null, t: product.type } },
    };
  });
  return {
    cart: { lines: inputLines, cost: { subtotalAmount: { currencyCode: currency } }, buyerIdentity: s.buyer, deliveryGroups: [{ id: "gid://shopify/CartDeliveryGroup/0" }, { id: "gid://shopify/CartDeliveryGroup/1" }] },
    discount: { discountClasses: [...s.classes], metafield: { jsonValue: plan } },
    localization: { country: { isoCode: s.country } },
    presentmentCurrencyRate: rate,
    shop: { localTime: { date: s.date, ...slotAnswers(s.schedule ? (s.schedule.arbitrary ?? (plan.t ?? []).map((t) => s.schedule!.now >= t)) : []) } },
  };
}

describe("the discount function and the engine agree", () => {
  it(`on ${RUNS.toLocaleString("en-US")} random rulesets and carts: every line, amount, message and free shipping`, () => {
    const run = reusableRunner();
    let discounted = 0;
    let free = 0;
    let slotted = 0;
    let exact = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const options = s.schedule && { publishedAt: s.schedule.publishedAt, timeZone: s.schedule.timeZone };
        const compiled = discountPlan(s.ruleset, options);
        if (!compiled.ok) throw new Error(`generated an invalid ruleset: ${JSON.stringify(compiled.errors)}`);
        const plan = JSON.parse(JSON.stringify(compiled.plan)) as DiscountPlan;
        if (plan.t) slotted++;
        const input = inputOf(s, plan);
        const { deliveryGroups: _groups, ...cart } = input.cart;
        const linesInput = { ...input, cart };
        const lines = run("cart.lines.discounts.generate.run", JSON.stringify(linesInput));
        const delivery = run("cart.delivery-options.discounts.generate.run", JSON.stringify(input));
        if (!lines.ok || !delivery.ok) throw new Error(`the function failed: ${lines.ok ? "" : lines.error} ${delivery.ok ? "" : delivery.error}`);
        expect(lines.output).toEqual(expectedLinesResult(s.ruleset, linesInput, options));
        expect(delivery.output).toEqual(expectedDeliveryResult(s.ruleset, input, options));
        // Exact schedules: with every instant to come in a slot, answered at a real moment
        // after the publish, the plan gives exactly what the engine gives at that moment.
        const engineCart = cartOf(input);
        if (s.schedule && !s.schedule.arbitrary && !plan.w && s.schedule.now >= s.schedule.publishedAt && engineCart?.lines.length) {
          const now = s.schedule.now;
          const planned = planDiscounts(s.ruleset, engineCart, contextOf(input), s.date, { options: options!, after: afterOf(input) });
          const evaluation = evaluate(s.ruleset, engineCart, { ...contextOf(input), now });
          if (!evaluation.diagnostics.length) {
            exact++;
            expect(planned?.lines).toEqual(evaluation.discounts.filter((d) => d.kind == "lineDiscount"));
            expect(planned?.freeShipping ?? null).toBe(evaluation.discounts.find((d) => d.kind == "freeShipping")?.message ?? null);
          }
        }
        const ops = (lines.output as { operations: unknown[] }).operations;
        if (ops.length) {
          discounted++;
          expect(functionOutputProblems("cart.lines.discounts.generate.run", lines.output)).toEqual([]);
        }
        if ((delivery.output as { operations: unknown[] }).operations.length) free++;
      }),
      { numRuns: RUNS },
    );
    // The cases exercise both outcomes, not only "no discount".
    expect(discounted).toBeGreaterThan(RUNS / 8);
    expect(free).toBeGreaterThan(RUNS / 20);
    // Plans with schedule slots, and moments checked exactly against the engine. The runs are
    // unseeded (each CI run explores new cases), so the floors sit far below what a run gives:
    // exact moments came 212–254 times in six runs (about 4.7 % of 5,000, one standard
    // deviation 15); a floor of 200 failed one CI run in about 70 (197 was seen).
    expect(slotted).toBeGreaterThan(RUNS / 10);
    expect(exact).toBeGreaterThan(RUNS / 50);
    // A busy 2-core machine runs the 10,000 module runs and the engine's evaluations in
    // well under a minute; the limit only stops a hang.
  }, 180_000);
});
