// Discount plan: the engine's discount decisions for checkout, compiled once at publish into
// flat lookups the discount function (Rust, extensions/cartlift-discount) only has to look
// up and add up. Not part of the storefront bundle (only the publisher and tests import it).
//
// What the plan means, in the engine's own terms (`planDiscounts` below is that meaning,
// executable; the differential test holds the function to it):
// - Schedules are exact. Shopify's function runtime has no clock, but its input can say
//   whether the shop's current time is at or past a given local date and time
//   (`shop.localTime.dateTimeAfter`). The publisher compiles the plan at a moment
//   (`publishedAt`, in the shop's time zone): a start or end already passed is settled
//   then (started: no start; ended: the offer is left out); the next SCHEDULE_SLOTS
//   instants to come get a slot `k` (`t[k]`), written as local date-times to the input
//   query's variables (`planVariables`), and the function reads "now ≥ t[k]" as `a{k}`.
//   So an offer that ends at noon stops discounting at noon, as on the storefront.
// - Only what has no slot falls back to the shop's local date (instants in `w`: beyond the
//   slots, not on a whole second, or on a local time a DST change repeats): the function
//   evaluates the cart at `planMoments` and keeps, per line, the largest discount any
//   moment gives (ties: the earliest moment); free shipping if any moment reaches the goal.
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

/** Bumped whenever the plan's format or meaning changes; the function refuses others.
 *  2: schedule slots (`t` exact instants, `w` the date-window fallback); a guest's order
 *  count is unknown. */
export const PLAN_VERSION = 2;

/** Schedule instants the function's input can compare exactly (aliased `dateTimeAfter`
 *  fields `a0`…`a5` on `$t0`…`$t5` in both input queries). Six keeps the input queries
 *  within Shopify's input query cost of 30 even counting every leaf field as 1
 *  (tests/unit/discount-function/input-queries.test.ts) and covers three offers starting and
 *  ending ahead; what does not fit falls back to the shop's date, in the shopper's favour. */
export const SCHEDULE_SLOTS = 6;

/** What a slot not in use holds (any valid local date-time: its answer is ignored). */
export const UNUSED_SLOT = "2000-01-01T00:00:00";

/** When and where the plan is compiled: the publish's moment and the shop's IANA time zone. */
export interface PlanOptions {
  publishedAt: number;
  timeZone: string;
}

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
  /** Schedule slots: `t[k]` is the instant the input's `a{k}` compares now with (an
   *  offer's start or end equal to it is settled by `a{k}`). Ascending; at most
   *  SCHEDULE_SLOTS. */
  t?: number[];
  /** Present when some start or end has no slot (and is not settled at publish): those
   *  instants (each start, each end minus 1 ms), in ruleset order, without repeats. The
   *  function then evaluates at `planMoments`. */
  w?: number[];
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

/** Compiles a valid ruleset into its discount plan; an invalid one yields its errors.
 *  Without `options` nothing is settled or slotted: every schedule uses the date window. */
export function discountPlan(ruleset: Ruleset, options?: PlanOptions): PlanResult {
  const c = compiled(ruleset);
  if (Array.isArray(c)) return { ok: false, errors: c };
  const schedule = scheduleOf(ruleset, options);
  const plan: DiscountPlan = { v: PLAN_VERSION, revision: ruleset.revision, c: ruleset.shop.currency, o: [], x: [{}, {}, {}, {}], y: {} };
  const index = <T>(map: Record<string, T[]>, key: string, value: T) => {
    // Own-property check: a value like "constructor" must not reach Object.prototype.
    const list = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : (map[key] = []);
    if (!list.some((v) => JSON.stringify(v) == JSON.stringify(value))) list.push(value);
  };
  for (const co of c.offers) {
    const o = co.o;
    if (schedule.ended(co.end)) continue;
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
    if (co.start > -Infinity && !schedule.settled(co.start)) p.s = co.start;
    if (co.end < Infinity) p.e = co.end;
    if (o.conditions) p.c = planCondition(o.conditions);
    plan.o.push(p);
  }
  const { freeShipping, rewardTiers } = ruleset.shop;
  if (freeShipping) plan.f = { ...planGoal(freeShipping), m: FREE_SHIPPING_MESSAGE };
  const gifts = rewardTiers?.filter((t) => t.gift).map((t) => ({ ...planGoal(t), g: t.gift!, m: t.label }));
  if (gifts?.length) plan.g = gifts;
  if (schedule.slots.length) plan.t = schedule.slots;
  const window = windowInstants(ruleset, schedule);
  if (window) plan.w = window;
  return { ok: true, plan };
}

/** The engine's free-shipping discount message (evaluate.ts). */
const FREE_SHIPPING_MESSAGE = "Free shipping";

const canDiscount = (o: Ruleset["offers"][number]) => o.kind == "bundle" || o.kind == "quantity_break" || !!o.discount;

const instant = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

interface Schedule {
  /** Slotted instants, ascending. */
  slots: number[];
  /** Passed at publish (a start: started; an end: ended). */
  settled(t: number): boolean;
  ended(end: number): boolean;
}

/** Which instants are settled at publish and which get a slot: the discounting offers'
 *  starts and ends still to come, earliest first, that the input can compare exactly (a
 *  whole second, one local date-time in the shop's zone). */
function scheduleOf(ruleset: Ruleset, options: PlanOptions | undefined): Schedule {
  if (!options) return { slots: [], settled: () => false, ended: () => false };
  const { publishedAt, timeZone } = options;
  const settled = (t: number) => t <= publishedAt;
  const ahead = new Set<number>();
  for (const o of ruleset.offers.filter(canDiscount)) {
    const end = instant(o.endsAt);
    if (settled(end)) continue;
    for (const t of [instant(o.startsAt), end]) if (t > publishedAt) ahead.add(t);
  }
  const slots = [...ahead]
    .sort((a, b) => a - b)
    .filter((t) => localDateTime(t, timeZone) !== undefined)
    .slice(0, SCHEDULE_SLOTS);
  return { slots, settled, ended: settled };
}

/** Every start and end − 1 ms of the discounting offers without a slot and not settled,
 *  in ruleset order without repeats; undefined when there is none. */
function windowInstants(ruleset: Ruleset, schedule: Schedule): number[] | undefined {
  const out = new Set<number>();
  for (const o of ruleset.offers.filter(canDiscount)) {
    const start = instant(o.startsAt);
    const end = instant(o.endsAt);
    if (schedule.ended(end)) continue;
    if (start > 0 && !schedule.settled(start) && !schedule.slots.includes(start)) out.add(start);
    if (end > 0 && !schedule.slots.includes(end)) out.add(end - 1);
  }
  return out.size ? [...out] : undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `t` in `timeZone` as milliseconds of a UTC calendar. */
function wallClock(t: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type != "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) + (t % 1000);
}

/**
 * `t` as Shopify's DateTimeWithoutTimezone in the shop's zone ("2026-11-24T12:00:00"), or
 * undefined when a local date-time cannot say it exactly: not a whole second, outside the
 * years 2000–2099, a zone Intl does not know, or a local time that a DST change makes
 * happen twice (it would name two instants).
 */
export function localDateTime(t: number, timeZone: string): string | undefined {
  if (!Number.isFinite(t) || t % 1000 != 0) return undefined;
  try {
    const wall = wallClock(t, timeZone);
    // Another instant with the same local time is this one shifted by a change of offset:
    // look at the offsets three hours either side.
    const offset = wall - t;
    for (const other of [wallClock(t - 3 * HOUR, timeZone) - (t - 3 * HOUR), wallClock(t + 3 * HOUR, timeZone) - (t + 3 * HOUR)])
      if (other != offset && wallClock(t + offset - other, timeZone) == wall) return undefined;
    const text = new Date(wall).toISOString().slice(0, 19);
    return text >= "2000" && text < "2100" ? text : undefined;
  } catch {
    return undefined; // RangeError: an unknown time zone
  }
}

/** The input query's variables for a plan: `t{k}` = slot k's local date-time; unused
 *  slots hold UNUSED_SLOT (Shopify fails a run whose required variable is missing). */
export function planVariables(plan: Pick<DiscountPlan, "t">, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = 0; k < SCHEDULE_SLOTS; k++) out[`t${k}`] = (plan.t?.[k] !== undefined && localDateTime(plan.t[k], timeZone)) || UNUSED_SLOT;
  return out;
}

const HOUR = 3_600_000;
/** Shop dates before this are not real dates (Shopify's runtime would give none). */
const EARLIEST_DATE = Date.UTC(2020, 0, 1);

/**
 * The moments the function evaluates at, for the schedule instants without a slot (`w`).
 * Only the shop's local date is known for them, so now lies somewhere in that date in some
 * time zone (UTC−12 to UTC+14): the window from the date's start at UTC+14 to its end at
 * UTC−12. Without such instants every moment gives the same answer: its start alone.
 * Otherwise both ends of it and every instant inside it, so an offer a shopper could be
 * seeing is honored, and an ended offer stops discounting at most 38 hours late. An
 * unreadable date: no moments, no discounts (fail closed).
 */
export function planMoments(plan: Pick<DiscountPlan, "w">, date: string): number[] {
  const day = /^\d{4}-\d\d-\d\d$/.test(date) ? Date.parse(date + "T00:00:00Z") : NaN;
  if (!(day > EARLIEST_DATE)) return [];
  const from = day - 14 * HOUR;
  const to = day + 36 * HOUR;
  if (!plan.w) return [from];
  const moments = new Set([from, to - 1]);
  for (const t of plan.w) if (t > from && t < to) moments.add(t);
  return [...moments];
}

/** What the function's input says about the slots: `after[k]` is "now ≥ t[k]" (Shopify's
 *  `dateTimeAfter`), for the plan compiled with `options`. */
export interface SlotAnswers {
  options: PlanOptions;
  after: boolean[];
}

/** The answers an input built at `now` holds (what Shopify's runtime gives). */
export function slotAnswers(ruleset: Ruleset, options: PlanOptions, now: number): SlotAnswers {
  const plan = discountPlan(ruleset, options);
  return { options, after: plan.ok ? (plan.plan.t ?? []).map((t) => now >= t) : [] };
}

/** The ruleset as the plan sees it once the slots are answered: settled and answered
 *  starts dropped (started) or the offer left out (not started yet, or ended); what is left
 *  to the date window stays. */
function answered(ruleset: Ruleset, slots: SlotAnswers | undefined, plan: DiscountPlan): Ruleset {
  if (!slots) return ruleset;
  const { publishedAt } = slots.options;
  const slot = new Map((plan.t ?? []).map((t, k) => [t, k]));
  const offers: Ruleset["offers"] = [];
  for (const o of ruleset.offers) {
    const copy = { ...o };
    const start = instant(o.startsAt);
    const end = instant(o.endsAt);
    if (end <= publishedAt) continue;
    if (slot.has(end)) {
      if (slots.after[slot.get(end)!]) continue;
      delete copy.endsAt;
    }
    if (start <= publishedAt) delete copy.startsAt;
    else if (slot.has(start)) {
      if (!slots.after[slot.get(start)!]) continue;
      delete copy.startsAt;
    }
    offers.push(copy);
  }
  return { ...ruleset, offers };
}

export type LineDiscount = Extract<CartDiscount, { kind: "lineDiscount" }>;

/**
 * The discounts the plan stands for, computed by the engine itself: with the slots as the
 * input answers them (`slots`, for a plan compiled with their options), `evaluate` at every
 * moment, per line the largest discount (ties: the earliest moment; lines in the order first
 * discounted), free shipping if any moment reaches the goal. Null when nothing may be
 * applied: no moments, an empty cart, or any diagnostic (fail closed). This is the
 * reference the discount function is tested against.
 */
export function planDiscounts(
  ruleset: Ruleset,
  cart: Cart,
  context: Omit<Context, "now">,
  date: string,
  slots?: SlotAnswers,
): { lines: LineDiscount[]; freeShipping: string | null } | null {
  const plan = discountPlan(ruleset, slots?.options);
  if (!plan.ok || !cart.lines.length) return null;
  // A slot the input does not answer: the function cannot know; nothing (fail closed).
  if ((plan.plan.t?.length ?? 0) > (slots?.after.length ?? 0)) return null;
  const moments = planMoments(plan.plan, date);
  if (!moments.length) return null;
  const seen = answered(ruleset, slots, plan.plan);
  const lines = new Map<string, LineDiscount>();
  let freeShipping: string | null = null;
  for (const now of moments) {
    const evaluation = evaluate(seen, cart, { ...context, now });
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
