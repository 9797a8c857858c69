// The discount plan: what the publisher compiles for the discount function, and the moments
// the function evaluates at when all it knows is the shop's date.
import { describe, expect, it } from "vitest";
import { evaluate, type Offer, type Ruleset } from "../../../app/engine";
import {
  discountPlan,
  localDateTime,
  planDiscounts,
  planMoments,
  planVariables,
  PLAN_VERSION,
  SCHEDULE_SLOTS,
  slotAnswers,
  UNUSED_SLOT,
  type DiscountPlan,
} from "../../../app/engine/plan";
import { BURGER_MEAL_OFFER, COFFEE_BREAKS_OFFER, DEMO, PHONE_CASE_OFFER, PHONE_UPGRADE_OFFER, demoRuleset } from "../checkout/demo-ruleset";

function planOf(ruleset: Ruleset): DiscountPlan {
  const result = discountPlan(ruleset);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe("discountPlan", () => {
  it("compiles the demo ruleset into offers in the engine's order, trigger and bundle lookups, the goal", () => {
    const plan = planOf(demoRuleset());
    expect(plan.v).toBe(PLAN_VERSION);
    expect(plan.c).toBe("USD");
    // Priority desc, then id: burger-meal, coffee-breaks, phone-case (0), phone-upgrade (−1).
    expect(plan.o).toEqual([
      { k: 2, m: BURGER_MEAL_OFFER.title, d: { p: 15 }, b: [[DEMO.burger.productId, 1], [DEMO.fries.productId, 1], [DEMO.drink.productId, 1]] },
      { k: 3, m: COFFEE_BREAKS_OFFER.title, q: [[2, { p: 10 }], [3, { p: 15 }]], t: 1 },
      { k: 0, i: "phone-case", m: PHONE_CASE_OFFER.title, d: { p: 20 }, p: [DEMO.phoneCase.productId], t: 1 },
      { k: 1, i: "phone-upgrade", m: PHONE_UPGRADE_OFFER.title, d: { a: 5000 }, u: [DEMO.phone.gb128] },
    ]);
    expect(plan.x).toEqual([{ [DEMO.coffee.productId]: [1], [DEMO.phone.productId]: [2] }, {}, {}, {}]);
    expect(plan.y).toEqual({ [DEMO.burger.productId]: [[0, 0]], [DEMO.fries.productId]: [[0, 1]], [DEMO.drink.productId]: [[0, 2]] });
    expect(plan.f).toEqual({ a: 7500, m: "Free shipping" });
    expect(plan.t).toBeUndefined();
    expect(plan.w).toBeUndefined();
  });

  it("leaves out offers that cannot discount, and reward tiers without a gift", () => {
    const { discount: _d, ...plainCase } = PHONE_CASE_OFFER;
    const ruleset = demoRuleset({
      offers: [plainCase as Offer],
      shop: { rewardTiers: [{ id: "tote", label: "Free tote", amount: 10000, amounts: { EUR: 9000 }, gift: DEMO.grillBrush.variant }, { id: "thanks", label: "Thanks", amount: 5000 }] },
    });
    const plan = planOf(ruleset);
    expect(plan.o).toEqual([]);
    expect(plan.g).toEqual([{ a: 10000, x: { EUR: 9000 }, g: DEMO.grillBrush.variant, m: "Free tote" }]);
  });

  it("compiles conditions to the checkout's facts; customer tags, unknown there, to constants", () => {
    const offer = {
      ...BURGER_MEAL_OFFER,
      conditions: {
        all: [
          { fact: "subtotal", op: "gte", value: 2000 },
          { any: [{ fact: "country", op: "in", value: ["US", "CA"] }, { fact: "loggedIn", op: "eq", value: true }] },
          { fact: "customerTags", op: "notIn", value: ["wholesale"] },
          { fact: "customerTags", op: "in", value: ["vip"] },
          { fact: "orderCount", op: "lte", value: 0 },
        ],
      },
    } satisfies Offer;
    expect(planOf(demoRuleset({ offers: [offer] })).o[0].c).toEqual([0, [2, 0, 2000], [1, [6, true, ["US", "CA"]], [5, true]], [7, true], [7, false], [4, 1, 0]]);
  });

  it("without a publish moment, lists each schedule instant once for the date window (starts, ends − 1 ms), in ruleset order", () => {
    const a = { ...PHONE_CASE_OFFER, startsAt: "2026-11-24T10:00:00Z", endsAt: "2026-11-24T12:00:00Z" };
    const b = { ...BURGER_MEAL_OFFER, startsAt: "2026-11-24T10:00:00Z" };
    const plan = planOf(demoRuleset({ offers: [a, b] }));
    expect(plan.t).toBeUndefined();
    expect(plan.w).toEqual([Date.parse(a.startsAt), Date.parse(a.endsAt) - 1]);
    expect(plan.o.find((o) => o.i == "phone-case")).toMatchObject({ s: Date.parse(a.startsAt), e: Date.parse(a.endsAt) });
  });
});

describe("schedule slots (exact schedules at checkout)", () => {
  const at = (iso: string) => Date.parse(iso);
  const compile = (offers: Offer[], publishedAt: string, timeZone = "America/New_York") => {
    const result = discountPlan(demoRuleset({ offers }), { publishedAt: at(publishedAt), timeZone });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.plan;
  };

  it("settles what has passed at publish and slots what is ahead, earliest first", () => {
    const running = { ...PHONE_CASE_OFFER, startsAt: "2026-11-20T00:00:00Z", endsAt: "2026-11-24T17:00:00Z" };
    const later = { ...BURGER_MEAL_OFFER, startsAt: "2026-11-25T14:00:00Z", endsAt: "2026-11-26T14:00:00Z" };
    const ended = { ...COFFEE_BREAKS_OFFER, endsAt: "2026-11-23T00:00:00Z" };
    const plan = compile([running, later, ended], "2026-11-24T09:00:00Z");
    expect(plan.o.map((o) => o.k).sort()).toEqual([0, 2]); // the ended quantity break is left out
    const phoneCase = plan.o.find((o) => o.i == "phone-case")!;
    expect(phoneCase.s).toBeUndefined(); // started: settled
    expect(phoneCase.e).toBe(at(running.endsAt));
    expect(plan.t).toEqual([at(running.endsAt), at(later.startsAt), at(later.endsAt)]);
    expect(plan.w).toBeUndefined(); // nothing left to the date window
    // The input's variables: the slots as New York's local date-times, the rest unused.
    expect(planVariables(plan, "America/New_York")).toEqual({
      t0: "2026-11-24T12:00:00",
      t1: "2026-11-25T09:00:00",
      t2: "2026-11-26T09:00:00",
      ...Object.fromEntries([3, 4, 5].map((k) => [`t${k}`, UNUSED_SLOT])),
    });
  });

  it("leaves to the date window what no slot can say exactly: milliseconds, a local time DST repeats, more than six instants", () => {
    const ms = { ...PHONE_CASE_OFFER, endsAt: "2026-11-24T17:00:00.500Z" };
    // 2026-11-01 01:30 happens twice in New York (EDT, then EST): that instant cannot be named.
    const repeated = { ...BURGER_MEAL_OFFER, endsAt: "2026-11-01T05:30:00Z" };
    const plan = compile([ms, repeated], "2026-10-20T00:00:00Z");
    expect(plan.t).toBeUndefined();
    expect(plan.w).toEqual([at(ms.endsAt) - 1, at(repeated.endsAt) - 1]);
    expect(localDateTime(at("2026-11-01T05:30:00Z"), "America/New_York")).toBeUndefined();
    expect(localDateTime(at("2026-11-01T05:30:00Z"), "UTC")).toBe("2026-11-01T05:30:00");
    expect(localDateTime(at("2026-11-01T07:30:00Z"), "America/New_York")).toBe("2026-11-01T02:30:00"); // after the repeated hour
    expect(localDateTime(at("2026-03-08T07:30:00Z"), "America/New_York")).toBe("2026-03-08T03:30:00"); // spring forward: unique
    expect(localDateTime(at("2026-11-24T12:00:00Z"), "Not/AZone")).toBeUndefined();
    // Ten instants ahead: the six earliest get slots, the last four the window.
    const offers = Array.from({ length: 5 }, (_, k): Offer => ({ ...PHONE_CASE_OFFER, id: `o${k}`, startsAt: `2026-12-0${k + 1}T10:00:00Z`, endsAt: `2026-12-0${k + 1}T20:00:00Z` }));
    const many = compile(offers, "2026-11-24T00:00:00Z");
    expect(many.t).toHaveLength(SCHEDULE_SLOTS);
    expect(many.t).toEqual(offers.flatMap((o) => [at(o.startsAt!), at(o.endsAt!)]).slice(0, SCHEDULE_SLOTS));
    expect(many.w).toEqual([at(offers[3].startsAt!), at(offers[3].endsAt!) - 1, at(offers[4].startsAt!), at(offers[4].endsAt!) - 1]);
  });

  it("gives exactly the engine's discounts at the moment the input answers the slots for, one second either side of an end and a start", () => {
    const noonEnd = { ...PHONE_CASE_OFFER, endsAt: "2026-11-24T17:00:00Z" }; // noon in New York
    const ruleset = demoRuleset({ offers: [noonEnd, { ...BURGER_MEAL_OFFER, startsAt: "2026-11-24T17:00:00Z" }] });
    const options = { publishedAt: at("2026-11-24T09:00:00Z"), timeZone: "America/New_York" };
    const cart = {
      currency: "USD",
      lines: [
        { id: "phone", productId: DEMO.phone.productId, variantId: DEMO.phone.gb64, quantity: 1, unitPrice: 69900 },
        { id: "case", productId: DEMO.phoneCase.productId, variantId: DEMO.phoneCase.black, quantity: 1, unitPrice: 2900, offerId: "phone-case" },
        { id: "burger", productId: DEMO.burger.productId, variantId: DEMO.burger.variant, quantity: 1, unitPrice: 1200 },
        { id: "fries", productId: DEMO.fries.productId, variantId: DEMO.fries.regular, quantity: 1, unitPrice: 400 },
        { id: "drink", productId: DEMO.drink.productId, variantId: DEMO.drink.cola, quantity: 1, unitPrice: 300 },
      ],
    };
    for (const now of [at("2026-11-24T16:59:59Z"), at("2026-11-24T17:00:00Z"), at("2026-11-24T17:00:01Z")]) {
      const planned = planDiscounts(ruleset, cart, { placement: "checkout" }, "2026-11-24", slotAnswers(ruleset, options, now));
      const engine = evaluate(ruleset, cart, { placement: "checkout", now }).discounts.filter((d) => d.kind == "lineDiscount");
      expect(planned?.lines).toEqual(engine);
    }
    const ids = (now: string) => planDiscounts(ruleset, cart, { placement: "checkout" }, "2026-11-24", slotAnswers(ruleset, options, at(now)))?.lines.map((l) => l.lineId);
    expect(ids("2026-11-24T16:59:59Z")).toEqual(["case"]); // the case offer until noon, the meal deal not yet
    expect(ids("2026-11-24T17:00:00Z")).toEqual(["burger", "fries", "drink"]);
    // Without slots (the date only), the ended offer kept discounting for the rest of the day.
    expect(planDiscounts(ruleset, cart, { placement: "checkout" }, "2026-11-24")?.lines.map((l) => l.lineId)).toContain("case");
  });

  it("refuses an invalid ruleset with its errors", () => {
    const result = discountPlan({ ...demoRuleset(), products: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].message).toMatch(/must be a variant in products/);
  });
});

describe("planMoments", () => {
  const day = Date.parse("2026-11-24T00:00:00Z");
  const HOUR = 3_600_000;

  it("evaluates an unscheduled plan once, at the start of the date's window (UTC+14)", () => {
    expect(planMoments({}, "2026-11-24")).toEqual([day - 14 * HOUR]);
  });

  it("evaluates a scheduled plan at both ends of the window and at each instant inside it", () => {
    const inside = day + 5 * HOUR;
    expect(planMoments({ w: [day - 20 * HOUR, inside, day + 40 * HOUR] }, "2026-11-24")).toEqual([day - 14 * HOUR, day + 36 * HOUR - 1, inside]);
  });

  it("gives no moment for an unreadable or impossible date (no discount)", () => {
    for (const date of ["soon", "2026-13-01", "2026-11-24T00:00", "1999-01-01", ""]) expect(planMoments({}, date)).toEqual([]);
  });

  it("rolls a day past the month's end over like Date.parse does", () => {
    expect(planMoments({}, "2026-02-31")).toEqual([Date.parse("2026-03-03T00:00:00Z") - 14 * HOUR]);
  });
});

describe("planDiscounts (the reference the function is tested against)", () => {
  const cart = {
    currency: "USD",
    lines: [
      { id: "a", productId: DEMO.phone.productId, variantId: DEMO.phone.gb64, quantity: 1, unitPrice: 69900 },
      { id: "b", productId: DEMO.phoneCase.productId, variantId: DEMO.phoneCase.black, quantity: 1, unitPrice: 2900, offerId: "phone-case" },
    ],
  };

  it("gives the engine's discounts and free shipping", () => {
    expect(planDiscounts(demoRuleset(), cart, { placement: "checkout" }, "2026-11-24")).toEqual({
      lines: [{ kind: "lineDiscount", lineId: "b", offerId: "phone-case", source: "offer", amount: 580, message: PHONE_CASE_OFFER.title }],
      freeShipping: "Free shipping",
    });
  });

  it("keeps the largest discount of any moment: an offer ending within the date still discounts", () => {
    const ending = demoRuleset({ offers: [{ ...PHONE_CASE_OFFER, endsAt: "2026-11-24T18:00:00Z" }] });
    expect(planDiscounts(ending, cart, { placement: "checkout" }, "2026-11-24")?.lines.map((l) => l.amount)).toEqual([580]);
    expect(planDiscounts(ending, cart, { placement: "checkout" }, "2026-11-26")?.lines).toEqual([]);
  });

  it("fails closed on a cart in another currency without a rate", () => {
    expect(planDiscounts(demoRuleset(), { ...cart, currency: "EUR" }, { placement: "checkout" }, "2026-11-24")).toBeNull();
  });
});
