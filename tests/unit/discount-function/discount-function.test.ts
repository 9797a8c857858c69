// The discount function, its built WebAssembly module run through WASI with inputs that follow
// its input queries (every output checked against Shopify's schema): what it discounts, what
// it refuses, and that free shipping starts exactly at the goal in the cart's currency.
import { describe, expect, it } from "vitest";
import type { CartLinesDiscountsGenerateRunResult, ProductDiscountCandidate } from "../../../localshop/checkout/function-api";
import { BURGER_MEAL_OFFER, COFFEE_BREAKS_OFFER, DEMO, PHONE_CASE_OFFER, demoRuleset, functionConfiguration } from "../checkout/demo-ruleset";
import { deliveryInput, linesInput, type InputSpec } from "./inputs";
import { PLAN_VERSION } from "../../../app/engine/plan";
import { cartDeliveryOptionsDiscountsGenerateRun, cartLinesDiscountsGenerateRun } from "./run";

const phone = { variantId: DEMO.phone.gb64 };
const caseFromOffer = { variantId: DEMO.phoneCase.black, offer: "phone-case" };

/** Discount per line id (line total, decimal), as the single product operation states it. */
function lineDiscounts(result: CartLinesDiscountsGenerateRunResult, input: { cart: { lines: { id: string; q: number }[] } }): Record<string, string> {
  if (!result.operations.length) return {};
  expect(result.operations).toHaveLength(1);
  const op = result.operations[0];
  if (!("productDiscountsAdd" in op)) throw new Error("expected productDiscountsAdd");
  expect(op.productDiscountsAdd.selectionStrategy).toBe("ALL");
  const quantity = new Map(input.cart.lines.map((l) => [l.id, l.q]));
  const out: Record<string, string> = {};
  for (const c of op.productDiscountsAdd.candidates as ProductDiscountCandidate[]) {
    const value = c.value as { fixedAmount: { amount: string; appliesToEachItem?: boolean } };
    // One target with the line's whole discount, or single-unit lines sharing an amount per item.
    if (c.targets.length > 1) expect(value.fixedAmount.appliesToEachItem).toBe(true);
    for (const t of c.targets) {
      expect(out[t.cartLine.id]).toBeUndefined();
      if (value.fixedAmount.appliesToEachItem) expect(quantity.get(t.cartLine.id)).toBe(1);
      out[t.cartLine.id] = value.fixedAmount.amount;
    }
  }
  return out;
}

function runLines(spec: InputSpec) {
  const input = linesInput(spec);
  const byLine = lineDiscounts(cartLinesDiscountsGenerateRun(input), input);
  // Map line ids back to the spec's order for readable expectations.
  return input.cart.lines.map((l) => byLine[l.id] ?? null);
}

describe("offer discounts", () => {
  it("gives the case added through the phone offer 20% off while the phone is in the cart", () => {
    expect(runLines({ lines: [phone, caseFromOffer] })).toEqual([null, "5.80"]);
  });

  it("passes over custom product lines (no variant) and still discounts the rest", () => {
    expect(runLines({ lines: [{ variantId: "custom", price: "50.00" }, phone, caseFromOffer] })).toEqual([null, null, "5.80"]);
  });

  it("uses the offer's title as the message shoppers see", () => {
    const result = cartLinesDiscountsGenerateRun(linesInput({ lines: [phone, caseFromOffer] }));
    const op = result.operations[0] as { productDiscountsAdd: { candidates: ProductDiscountCandidate[] } };
    expect(op.productDiscountsAdd.candidates[0].message).toBe(PHONE_CASE_OFFER.title);
  });

  it("removes the discount when the parent product is removed", () => {
    expect(runLines({ lines: [caseFromOffer] })).toEqual([null]);
  });

  it("gives nothing to the same case added without the offer", () => {
    expect(runLines({ lines: [phone, { variantId: DEMO.phoneCase.black }] })).toEqual([null, null]);
  });

  it("discounts every unit of the offer line", () => {
    expect(runLines({ lines: [phone, { ...caseFromOffer, quantity: 3 }] })).toEqual([null, "17.40"]);
  });

  it("converts an amount off with the presentment rate (upgrade: $50 off → €46.00)", () => {
    expect(runLines({ currency: "EUR", lines: [{ variantId: DEMO.phone.gb128, offer: "phone-upgrade" }] })).toEqual(["46.00"]);
  });

  it("takes percentages of Shopify's price in the cart's currency (EUR, JPY)", () => {
    expect(runLines({ currency: "EUR", lines: [phone, caseFromOffer] })).toEqual([null, "5.34"]);
    expect(runLines({ currency: "JPY", lines: [phone, caseFromOffer] })).toEqual([null, "879"]);
  });
});

describe("output size", () => {
  it("gives single-unit lines earning the same discount one shared candidate", () => {
    const rs = functionConfiguration(demoRuleset({ offers: [COFFEE_BREAKS_OFFER] }));
    const input = linesInput({ configuration: rs, lines: [{ variantId: DEMO.coffee.wholeBean }, { variantId: DEMO.coffee.ground }] });
    const [op] = cartLinesDiscountsGenerateRun(input).operations as { productDiscountsAdd: { candidates: ProductDiscountCandidate[] } }[];
    expect(op.productDiscountsAdd.candidates).toEqual([
      {
        message: "Stock up on coffee",
        targets: input.cart.lines.map((l) => ({ cartLine: { id: l.id } })),
        value: { fixedAmount: { amount: "1.60", appliesToEachItem: true } },
      },
    ]);
  });

  it("states a multi-unit line's whole discount as one amount for the line", () => {
    const input = linesInput({ lines: [phone, { ...caseFromOffer, quantity: 2 }] });
    const [op] = cartLinesDiscountsGenerateRun(input).operations as { productDiscountsAdd: { candidates: ProductDiscountCandidate[] } }[];
    expect(op.productDiscountsAdd.candidates[0].value).toEqual({ fixedAmount: { amount: "11.60" } });
  });
});

describe("forged and stale line attributes", () => {
  it("ignores an offer id on a product the offer does not offer", () => {
    expect(runLines({ lines: [phone, { variantId: DEMO.grillBrush.variant, offer: "phone-case" }] })).toEqual([null, null]);
  });

  it("ignores an offer id that is not in the ruleset", () => {
    expect(runLines({ lines: [phone, { variantId: DEMO.phoneCase.black, offer: "free-stuff" }] })).toEqual([null, null]);
  });

  it("ignores anything but an offer id in the attribute (no price can be smuggled in)", () => {
    expect(runLines({ lines: [phone, { variantId: DEMO.phoneCase.black, offer: '{"offer":"phone-case","price":0}' }] })).toEqual([
      null,
      null,
    ]);
  });

  it("prices the discount from Shopify's cost, whatever the buyer tagged", () => {
    // The same tagged line at a different (Shopify-computed) price gets 20% of that price.
    expect(runLines({ lines: [phone, { ...caseFromOffer, price: "30.00" }] })).toEqual([null, "6.00"]);
  });

  it("does not let an offer tag on the parent discount the parent", () => {
    expect(runLines({ lines: [{ ...phone, offer: "phone-case" }] })).toEqual([null]);
  });
});

describe("bundles", () => {
  const rs = functionConfiguration(demoRuleset({ offers: [BURGER_MEAL_OFFER] }));
  const meal = [{ variantId: DEMO.burger.variant }, { variantId: DEMO.fries.regular }, { variantId: DEMO.drink.cola }];

  it("discounts each component of a complete bundle by 15%", () => {
    expect(runLines({ configuration: rs, lines: meal })).toEqual(["1.43", "0.53", "0.34"]);
  });

  it("gives an incomplete bundle nothing", () => {
    expect(runLines({ configuration: rs, lines: meal.slice(0, 2) })).toEqual([null, null]);
  });

  it("counts any variant of a component's product (large fries complete it too)", () => {
    expect(runLines({ configuration: rs, lines: [meal[0], { variantId: DEMO.fries.large }, meal[2]] })).toEqual(["1.43", "0.68", "0.34"]);
  });

  it("discounts only complete sets (two burgers, one of the rest: one burger discounted)", () => {
    expect(runLines({ configuration: rs, lines: [{ ...meal[0], quantity: 2 }, meal[1], meal[2]] })).toEqual(["1.43", "0.53", "0.34"]);
  });
});

describe("quantity breaks", () => {
  const rs = functionConfiguration(demoRuleset({ offers: [COFFEE_BREAKS_OFFER] }));
  const coffee = (quantity: number) => ({ variantId: DEMO.coffee.wholeBean, quantity });

  it("gives one bag nothing", () => {
    expect(runLines({ configuration: rs, lines: [coffee(1)] })).toEqual([null]);
  });

  it("gives two bags the first tier (10%)", () => {
    expect(runLines({ configuration: rs, lines: [coffee(2)] })).toEqual(["3.20"]);
  });

  it("gives three bags the second tier (15%)", () => {
    expect(runLines({ configuration: rs, lines: [coffee(3)] })).toEqual(["7.20"]);
  });

  it("counts every line of the product towards the tier", () => {
    expect(runLines({ configuration: rs, lines: [coffee(1), { variantId: DEMO.coffee.ground, quantity: 1 }] })).toEqual(["1.60", "1.60"]);
  });
});

describe("free shipping at exactly the goal, in the cart's currency", () => {
  // $75 converts to €69 (rounded up to a whole euro) and ¥11,400 (rounded up to ¥100).
  const cases: [currency: string, below: string, at: string, above: string][] = [
    ["USD", "74.99", "75.00", "75.01"],
    ["EUR", "68.99", "69.00", "69.01"],
    ["JPY", "11399", "11400", "11401"],
  ];
  const ship = (currency: string, price: string) =>
    cartDeliveryOptionsDiscountsGenerateRun(deliveryInput({ currency, lines: [{ variantId: DEMO.tripod.variant, price }] })).operations;
  const FREE = [
    {
      deliveryDiscountsAdd: {
        candidates: [
          { message: "Free shipping", targets: [{ deliveryGroup: { id: "gid://shopify/CartDeliveryGroup/0" } }], value: { percentage: { value: "100.0" } } },
        ],
        selectionStrategy: "ALL",
      },
    },
  ];

  for (const [currency, below, at, above] of cases) {
    it(`${currency}: nothing below the goal, free shipping at and above it`, () => {
      expect(ship(currency, below)).toEqual([]);
      expect(ship(currency, at)).toEqual(FREE);
      expect(ship(currency, above)).toEqual(FREE);
    });
  }

  it("uses an explicit per-currency goal over the converted one", () => {
    const configuration = functionConfiguration(demoRuleset({ shop: { freeShipping: { amount: 7500, amounts: { EUR: 6000 } } } }));
    const run = (price: string) =>
      cartDeliveryOptionsDiscountsGenerateRun(deliveryInput({ configuration, currency: "EUR", lines: [{ variantId: DEMO.tripod.variant, price }] }))
        .operations.length;
    expect([run("59.99"), run("60.00")]).toEqual([0, 1]);
  });

  it("measures the cart after Cartlift's own discounts, not before", () => {
    const configuration = functionConfiguration(demoRuleset({ shop: { freeShipping: { amount: 77500 } } }));
    const tripod = (price: string) => ({ variantId: DEMO.tripod.variant, price });
    // $699 + $29 + $50 = $778 before; $772.20 after the case's $5.80 off: short of $775.
    const short = deliveryInput({ configuration, lines: [phone, caseFromOffer, tripod("50.00")] });
    expect(cartDeliveryOptionsDiscountsGenerateRun(short).operations).toEqual([]);
    const reached = deliveryInput({ configuration, lines: [phone, caseFromOffer, tripod("52.80")] });
    expect(cartDeliveryOptionsDiscountsGenerateRun(reached).operations).toHaveLength(1);
  });

  it("targets every delivery group", () => {
    const input = deliveryInput({ lines: [{ variantId: DEMO.tripod.variant, price: "80.00" }], deliveryGroups: ["gid://shopify/CartDeliveryGroup/1", "gid://shopify/CartDeliveryGroup/2"] });
    const [op] = cartDeliveryOptionsDiscountsGenerateRun(input).operations;
    expect(op.deliveryDiscountsAdd.candidates[0].targets).toEqual([
      { deliveryGroup: { id: "gid://shopify/CartDeliveryGroup/1" } },
      { deliveryGroup: { id: "gid://shopify/CartDeliveryGroup/2" } },
    ]);
  });

  it("offers nothing without a free-shipping goal", () => {
    const configuration = functionConfiguration(demoRuleset({ shop: { freeShipping: undefined } }));
    const input = deliveryInput({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: "500.00" }] });
    expect(cartDeliveryOptionsDiscountsGenerateRun(input).operations).toEqual([]);
  });
});

describe("a reward tier's gift bought at full price (issue 11, item 15)", () => {
  // Free shipping at $75; the $100 tier's gift is the black case ($29).
  const configuration = functionConfiguration(
    demoRuleset({ offers: [], shop: { rewardTiers: [{ id: "case", label: "Free case", amount: 10000, gift: DEMO.phoneCase.black }] } }),
  );
  const ship = (tripod: string, caseQuantity = 1) =>
    cartDeliveryOptionsDiscountsGenerateRun(
      deliveryInput({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: tripod }, { variantId: DEMO.phoneCase.black, quantity: caseQuantity }] }),
    ).operations.length;

  it("counts toward free shipping while its tier is not reached ($50 + a $29 gift: $79 paid, over $75)", () => {
    expect(ship("50.00")).toBe(1);
    expect(ship("45.00")).toBe(0); // $74 paid
    expect(runLines({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: "50.00" }, { variantId: DEMO.phoneCase.black }] })).toEqual([null, null]);
  });

  it("counts nothing once its tier is reached and it is given free", () => {
    // $100 tripod: the tier is reached (the gift never counts for it), the case is free.
    expect(runLines({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: "100.00" }, { variantId: DEMO.phoneCase.black }] })).toEqual([null, "29.00"]);
    expect(ship("100.00")).toBe(1);
    // Two cases: the tier counts $70 + one case = $99 (one gift unit left out): not reached,
    // so both cases are paid for ($128) and count toward free shipping.
    expect(ship("70.00", 2)).toBe(1);
    expect(runLines({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: "70.00" }, { variantId: DEMO.phoneCase.black, quantity: 2 }] })).toEqual([null, null]);
  });
});

describe("new customers: a guest is not one unless the merchant says so (issue 11, item 16)", () => {
  const forNew = (conditions: Record<string, unknown>) => functionConfiguration(demoRuleset({ offers: [{ ...PHONE_CASE_OFFER, conditions } as never] }));
  const NEW = { fact: "orderCount", op: "eq", value: 0 };
  const GUEST = { fact: "loggedIn", op: "eq", value: false };
  const run = (configuration: unknown, buyer: InputSpec["buyer"]) => runLines({ configuration, buyer, lines: [phone, caseFromOffer] })[1];

  it("gives a new-customer discount to a logged-in customer without orders only", () => {
    const configuration = forNew(NEW);
    expect(run(configuration, { isAuthenticated: true, customer: { numberOfOrders: 0 } })).toBe("5.80");
    expect(run(configuration, { isAuthenticated: true, customer: { numberOfOrders: 3 } })).toBeNull();
    expect(run(configuration, null)).toBeNull(); // a returning customer who did not log in
    expect(run(configuration, { isAuthenticated: false, customer: { numberOfOrders: 0 } })).toBeNull();
  });

  it("includes guests when the merchant includes them explicitly", () => {
    const configuration = forNew({ any: [NEW, GUEST] });
    expect(run(configuration, null)).toBe("5.80");
    expect(run(configuration, { isAuthenticated: true, customer: { numberOfOrders: 0 } })).toBe("5.80");
    expect(run(configuration, { isAuthenticated: true, customer: { numberOfOrders: 1 } })).toBeNull();
  });
});

describe("schedules left to the shop's date (a plan compiled without a publish moment has no slots)", () => {
  // The shop's local date is 2026-11-24, so now lies in [2026-11-23T10:00Z, 2026-11-25T12:00Z)
  // (UTC+14 … UTC−12).
  const caseOffer = (schedule: { startsAt?: string; endsAt?: string }) => functionConfiguration(demoRuleset({ offers: [{ ...PHONE_CASE_OFFER, ...schedule }] }));
  const run = (configuration: unknown, date = "2026-11-24") => runLines({ configuration, date, lines: [phone, caseFromOffer] })[1];

  it("does not discount an offer that ended before that date could have begun anywhere", () => {
    expect(run(caseOffer({ endsAt: "2026-11-23T09:00:00Z" }))).toBeNull();
    expect(run(caseOffer({ endsAt: "2026-11-23T10:00:00Z" }))).toBeNull();
  });

  it("honors an offer ending during that date (a shopper may still be seeing it)", () => {
    expect(run(caseOffer({ endsAt: "2026-11-24T18:00:00Z" }))).toBe("5.80");
    expect(run(caseOffer({ endsAt: "2026-11-23T10:00:00.001Z" }))).toBe("5.80");
  });

  it("honors an offer starting during that date, and one that starts and ends within it", () => {
    expect(run(caseOffer({ startsAt: "2026-11-24T15:00:00Z" }))).toBe("5.80");
    expect(run(caseOffer({ startsAt: "2026-11-24T10:00:00Z", endsAt: "2026-11-24T12:00:00Z" }))).toBe("5.80");
  });

  it("does not discount an offer that starts after that date has ended everywhere", () => {
    expect(run(caseOffer({ startsAt: "2026-11-25T12:00:00Z" }))).toBeNull();
    expect(run(caseOffer({ startsAt: "2026-11-25T11:59:59.999Z" }))).toBe("5.80");
  });

  it("discounts nothing without a readable date (fail closed)", () => {
    expect(run(caseOffer({}), "soon")).toBeNull();
    expect(run(caseOffer({}), "2026-13-01")).toBeNull();
  });

  it("stops the discount once the shop's date is past the offer's end (today's date by default)", () => {
    const ended = functionConfiguration(demoRuleset({ offers: [{ ...PHONE_CASE_OFFER, endsAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }] }));
    expect(runLines({ configuration: ended, lines: [phone, caseFromOffer] })).toEqual([null, null]);
  });
});

describe("discount classes", () => {
  it("applies no line discounts unless the discount has the PRODUCT class", () => {
    const input = linesInput({ classes: ["SHIPPING"], lines: [phone, caseFromOffer] });
    expect(cartLinesDiscountsGenerateRun(input).operations).toEqual([]);
  });

  it("applies no free shipping unless the discount has the SHIPPING class", () => {
    const input = deliveryInput({ classes: ["PRODUCT"], lines: [{ variantId: DEMO.tripod.variant, price: "80.00" }] });
    expect(cartDeliveryOptionsDiscountsGenerateRun(input).operations).toEqual([]);
  });
});

describe("missing, stale or broken configuration: no discount (fail closed)", () => {
  const plan = functionConfiguration(demoRuleset());
  const bad: [string, unknown][] = [
    ["no metafield", null],
    ["an empty object", {}],
    ["the plan as JSON text (a text metafield)", JSON.stringify(plan)],
    ["a number", 42],
    ["a plan of another version", { ...plan, v: PLAN_VERSION + 1 }],
    ["a plan of the version before schedule slots", { ...plan, v: 1 }],
    ["a plan with more schedule slots than the input answers", { ...plan, t: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
    ["a plan without its version", { ...plan, v: undefined }],
    ["the ruleset itself (the configuration before plans)", demoRuleset()],
    ["a plan whose trigger lookup points past its offers", { ...plan, x: [{ [DEMO.phone.productId]: [99] }, {}, {}, {}] }],
    ["a plan with a bundle component of quantity 0", { ...plan, o: plan.o.map((o) => (o.b ? { ...o, b: o.b.map(([p]) => [p, 0]) } : o)) }],
    ["a plan with a discount over 100%", { ...plan, o: plan.o.map((o) => (o.d && "p" in o.d ? { ...o, d: { p: 120 } } : o)) }],
  ];
  for (const [what, configuration] of bad) {
    it(`${what}: neither target discounts anything`, () => {
      const lines = [phone, caseFromOffer, { variantId: DEMO.tripod.variant, price: "80.00" }];
      expect(cartLinesDiscountsGenerateRun(linesInput({ configuration, lines })).operations).toEqual([]);
      expect(cartDeliveryOptionsDiscountsGenerateRun(deliveryInput({ configuration, lines })).operations).toEqual([]);
    });
  }

  it("applies nothing to a cart in another currency when the rate is unusable", () => {
    expect(runLines({ currency: "EUR", rate: "0.0", lines: [phone, caseFromOffer] })).toEqual([null, null]);
    expect(runLines({ currency: "EUR", rate: "soon", lines: [phone, caseFromOffer] })).toEqual([null, null]);
  });

  it("applies nothing to an empty cart", () => {
    expect(cartLinesDiscountsGenerateRun(linesInput({ lines: [] })).operations).toEqual([]);
  });
});

describe("with the publisher's configuration", () => {
  // The admin's publisher compiles the published ruleset into the discount plan
  // (app/offers/ruleset.ts); the function gives the discounts of the demo's offers from it.
  it("discounts the offer, bundle and free shipping", async () => {
    const { discountConfiguration, checkConfigurationSize } = await import("../../../app/offers/ruleset");
    const check = checkConfigurationSize(discountConfiguration(demoRuleset()));
    if (!check.ok) throw new Error(check.message);
    const configuration = JSON.parse(check.json);
    expect(runLines({ configuration, lines: [phone, caseFromOffer] })).toEqual([null, "5.80"]);
    const meal = [{ variantId: DEMO.burger.variant }, { variantId: DEMO.fries.regular }, { variantId: DEMO.drink.cola }];
    expect(runLines({ configuration, lines: meal })).toEqual(["1.43", "0.53", "0.34"]);
    const ship = cartDeliveryOptionsDiscountsGenerateRun(deliveryInput({ configuration, lines: [{ variantId: DEMO.tripod.variant, price: "75.00" }] }));
    expect(ship.operations).toHaveLength(1);
  });
});
