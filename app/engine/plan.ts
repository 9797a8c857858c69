// Discount plan: the engine's discount decisions for checkout, compiled once at publish into
// flat lookups the discount function (Rust, extensions/cartlift-discount) only has to look
// up and add up. Not part of the storefront bundle (only the publisher and tests import it).
//
// What the plan means, in the engine's own terms (`planDiscounts` below is that meaning,
// executable; the differential test holds the function to it):
// - The function evaluates the cart at `planMoments` (Shopify's function runtime has no
//   clock, only the shop's local date) and keeps, per line, the largest discount any moment
//   gives (ties: the earliest moment); free shipping if any moment reaches the goal.
// - At each moment the discounts are exactly `evaluate(ruleset, cart, context).discounts`
//   for the checkout's facts: line prices from Shopify's cost, the `_cartlift_offer`
//   attribute as the line's offer id, vendor and product type, the buyer's login and order
//   count, the country. Customer tags are not in the function's input: a guest's (none).
//
// Invariants:
// - The plan holds only what can discount (discounted cross-sells and upsells, bundles,
//   quantity breaks, free shipping, gift tiers) and no display data.
// - Offers keep the engine's order (priority desc, then id): the order ties are broken in.
// - Ids, vendors and types are the strings the engine compares; amounts are shop minor
//   units, converted by the function at the cart's rate with the rules of money.ts.
// - `v` is PLAN_VERSION: the function refuses a plan of any other version (fail closed).
import type { Cart, CartDiscount, Condition, Context, Goal, OfferDiscount, Ruleset, RulesetError } from "./types";
import { compiled } from "./compile";
import { evaluate } from "./evaluate";

/** Bumped whenever the plan's format or meaning changes; the function refuses others. */
export const PLAN_VERSION = 1;

/** `{ p: 20 }`: 20 % off (fractions allowed); `{ a: 500 }`: 500 shop minor units off each unit. */
export type PlanDiscount = { p: number } | { a: number };

/** A goal: `a` shop minor units (converted, rounded up to a clean figure), unless `x` holds
 *  an explicit threshold for the cart's currency (cart minor units). */
export interface PlanGoal {
  a: number;
  x?: Record<string, number>;
}

/**
 * A condition, as the function evaluates it (`op`: 0 gte, 1 lte, 2 eq):
 * `[0, ...conditions]` all, `[1, ...conditions]` any,
 * `[2, op, shopMinor]` subtotal, `[3, op, n]` item count, `[4, op, n]` order count,
 * `[5, boolean]` logged in, `[6, boolean in, countries]` country (unknown country: fails),
 * `[7, boolean]` a constant (customer tags, unknown at checkout: `in` fails, `notIn` holds).
 */
export type PlanCondition =
  | [0 | 1, ...PlanCondition[]]
  | [2 | 3 | 4, 0 | 1 | 2, number]
  | [5 | 7, boolean]
  | [6, boolean, string[]];

/** Offer kinds: 0 cross-sell, 1 upsell, 2 bundle, 3 quantity break. */
export interface PlanOffer {
  k: 0 | 1 | 2 | 3;
  /** Cross-sell and upsell: the offer id a line's attribute must name. */
  i?: string;
  /** The discount message (the offer's title, or the engine's default for its kind). */
  m: string;
  /** Cross-sell, upsell, bundle: the discount. */
  d?: PlanDiscount;
  /** Quantity break: tiers `[quantity, discount]`, in the ruleset's (ascending) order. */
  q?: [number, PlanDiscount][];
  /** Cross-sell: the products it offers (only their lines earn it; they never trigger it). */
  p?: string[];
  /** Upsell: the variants it upgrades to (the variant itself proves the parent). */
  u?: string[];
  /** Bundle: components `[productId, quantity]`. */
  b?: [string, number][];
  /** 1: the offer has a trigger (its matching lines are listed in `x`); absent: every line
   *  matches. Cross-sells and quantity breaks only. */
  t?: 1;
  /** Schedule, epoch ms: live from `s` (absent: always started) until before `e`. */
  s?: number;
  e?: number;
  /** Conditions; absent: none. */
  c?: PlanCondition;
}

export interface DiscountPlan {
  v: typeof PLAN_VERSION;
  /** The ruleset's revision (the publisher reads it back from each published value). */
  revision: number;
  /** The shop's currency. */
  c: string;
  o: PlanOffer[];
  /** Trigger lookups: [products, variants, vendors, product types], each value → indexes
   *  into `o` of the cross-sells and quantity breaks a line with that value matches. */
  x: [Record<string, number[]>, Record<string, number[]>, Record<string, number[]>, Record<string, number[]>];
  /** Bundle lookups: product id → `[offer index, component index]` pairs. */
  y: Record<string, [number, number][]>;
  /** Free shipping: the goal and its message. */
  f?: PlanGoal & { m: string };
  /** Reward tiers that give a gift, in order: goal, gift variant `g`, message `m`. */
  g?: (PlanGoal & { g: string; m: string })[];
  /** Present when some offer has a schedule: the schedule instants (each start, each end
   *  minus 1 ms), in ruleset order, without repeats. See `planMoments`. */
  t?: number[];
}

export type PlanResult = { ok: true; plan: DiscountPlan } | { ok: false; errors: RulesetError[] };

const OP = { gte: 0, lte: 1, eq: 2 } as const;

function planCondition(c: Condition): PlanCondition {
  if ("all" in c) return [0, ...c.all.map(planCondition)];
  if ("any" in c) return [1, ...c.any.map(planCondition)];
  switch (c.fact) {
    case "subtotal":
      return [2, OP[c.op], c.value];
    case "itemCount":
      return [3, OP[c.op], c.value];
    case "orderCount":
      return [4, OP[c.op], c.value];
    case "loggedIn":
      return [5, c.value];
    case "country":
      return [6, c.op == "in", c.value];
    case "customerTags":
      return [7, c.op == "notIn"];
  }
}

const planDiscount = (d: OfferDiscount): PlanDiscount => (d.kind == "percent" ? { p: d.value } : { a: d.value });

function planGoal(g: Goal): PlanGoal {
  return g.amounts && Object.keys(g.amounts).length ? { a: g.amount, x: g.amounts } : { a: g.amount };
}

/** The engine's trigger fields the function's input can match: products, variants,
 *  vendors, product types (it has no collections or tags). */
const MATCHED_FIELDS = ["products", "variants", "vendors", "productTypes"] as const;

/** Compiles a valid ruleset into its discount plan; an invalid one yields its errors. */
export function discountPlan(ruleset: Ruleset): PlanResult {
  const c = compiled(ruleset);
  if (Array.isArray(c)) return { ok: false, errors: c };
  const plan: DiscountPlan = { v: PLAN_VERSION, revision: ruleset.revision, c: ruleset.shop.currency, o: [], x: [{}, {}, {}, {}], y: {} };
  const index = <T>(map: Record<string, T[]>, key: string, value: T) => {
    // Own-property check: a value like "constructor" must not reach Object.prototype.
    const list = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : (map[key] = []);
    if (!list.some((v) => JSON.stringify(v) == JSON.stringify(value))) list.push(value);
  };
  for (const co of c.offers) {
    const o = co.o;
    const title = o.title;
    let p: PlanOffer;
    if (co.kind == "cross_sell" || co.kind == "upsell") {
      if (!co.discount) continue;
      p =
        co.kind == "cross_sell"
          ? { k: 0, i: co.id, m: title || "Special offer", d: planDiscount(co.discount), p: [...co.products] }
          : { k: 1, i: co.id, m: title || "Special offer", d: planDiscount(co.discount), u: co.variants.map((v) => v.id) };
    } else if (co.kind == "bundle") {
      p = { k: 2, m: title || "Bundle discount", d: planDiscount(co.discount!), b: co.variants.map((v) => [v.productId, v.quantity]) };
      const n = plan.o.length;
      co.variants.forEach((v, j) => index(plan.y, v.productId, [n, j] as [number, number]));
    } else {
      p = { k: 3, m: title || "Volume discount", q: co.tiers.map((t) => [t.quantity, planDiscount(t.discount)]) };
    }
    if (co.kind == "cross_sell" || co.kind == "quantity_break") {
      if (co.hasTrigger) p.t = 1;
      const trigger = (o as { trigger?: Partial<Record<(typeof MATCHED_FIELDS)[number], string[]>> }).trigger;
      MATCHED_FIELDS.forEach((field, k) => trigger?.[field]?.forEach((value) => index(plan.x[k], value, plan.o.length)));
    }
    if (co.start > -Infinity) p.s = co.start;
    if (co.end < Infinity) p.e = co.end;
    if (o.conditions) p.c = planCondition(o.conditions);
    plan.o.push(p);
  }
  const { freeShipping, rewardTiers } = ruleset.shop;
  if (freeShipping) plan.f = { ...planGoal(freeShipping), m: FREE_SHIPPING_MESSAGE };
  const gifts = rewardTiers?.filter((t) => t.gift).map((t) => ({ ...planGoal(t), g: t.gift!, m: t.label }));
  if (gifts?.length) plan.g = gifts;
  const instants = scheduleInstants(ruleset);
  if (instants) plan.t = instants;
  return { ok: true, plan };
}

/** The engine's free-shipping discount message (evaluate.ts). */
const FREE_SHIPPING_MESSAGE = "Free shipping";

const canDiscount = (o: Ruleset["offers"][number]) => o.kind == "bundle" || o.kind == "quantity_break" || !!o.discount;

/** Every start and end − 1 ms of the discounting offers, in ruleset order without repeats;
 *  undefined when none of them is scheduled. */
function scheduleInstants(ruleset: Ruleset): number[] | undefined {
  const offers = ruleset.offers.filter(canDiscount);
  if (!offers.some((o) => o.startsAt || o.endsAt)) return undefined;
  const out = new Set<number>();
  for (const o of offers)
    for (const t of [o.startsAt && Date.parse(o.startsAt), o.endsAt && Date.parse(o.endsAt) - 1]) if (typeof t == "number" && Number.isFinite(t) && t > 0) out.add(t);
  return [...out];
}

const HOUR = 3_600_000;
/** Shop dates before this are not real dates (Shopify's runtime would give none). */
const EARLIEST_DATE = Date.UTC(2020, 0, 1);

/**
 * The moments the function evaluates at. Only the shop's local date is known, so now lies
 * somewhere in that date in some time zone (UTC−12 to UTC+14): the window from the date's
 * start at UTC+14 to its end at UTC−12. Without schedules every moment gives the same
 * answer: its start alone. Otherwise both ends of it and every schedule instant inside it,
 * so an offer a shopper could be seeing is honored, and an ended offer stops discounting at
 * most 38 hours late. An unreadable date: no moments, no discounts (fail closed).
 */
export function planMoments(plan: Pick<DiscountPlan, "t">, date: string): number[] {
  const day = /^\d{4}-\d\d-\d\d$/.test(date) ? Date.parse(date + "T00:00:00Z") : NaN;
  if (!(day > EARLIEST_DATE)) return [];
  const from = day - 14 * HOUR;
  const to = day + 36 * HOUR;
  if (!plan.t) return [from];
  const moments = new Set([from, to - 1]);
  for (const t of plan.t) if (t > from && t < to) moments.add(t);
  return [...moments];
}

export type LineDiscount = Extract<CartDiscount, { kind: "lineDiscount" }>;

/**
 * The discounts the plan stands for, computed by the engine itself: `evaluate` at every
 * moment, per line the largest discount (ties: the earliest moment; lines in the order first
 * discounted), free shipping if any moment reaches the goal. Null when nothing may be
 * applied: no moments, an empty cart, or any diagnostic (fail closed). This is the
 * reference the discount function is tested against.
 */
export function planDiscounts(ruleset: Ruleset, cart: Cart, context: Omit<Context, "now">, date: string): { lines: LineDiscount[]; freeShipping: string | null } | null {
  const plan = discountPlan(ruleset);
  if (!plan.ok || !cart.lines.length) return null;
  const moments = planMoments(plan.plan, date);
  if (!moments.length) return null;
  const lines = new Map<string, LineDiscount>();
  let freeShipping: string | null = null;
  for (const now of moments) {
    const evaluation = evaluate(ruleset, cart, { ...context, now });
    if (evaluation.diagnostics.length) return null;
    for (const d of evaluation.discounts) {
      if (d.kind == "freeShipping") freeShipping ??= d.message;
      else {
        const had = lines.get(d.lineId);
        if (!had || d.amount > had.amount) lines.set(d.lineId, d);
      }
    }
  }
  return { lines: [...lines.values()], freeShipping };
}
