// Schema: decides whether a ruleset, cart or context is well-formed, from declarative
// specs built of a few checks. Invariants: validation never throws and never mutates;
// every error names its field (`offers[2].discount.value`) so the admin can show it
// inline; every variant an offer, bundle or gift references exists in the product
// snapshot, so evaluation looks it up without checking again. Unknown keys are ignored
// (forward compatibility: an older storefront script can read a newer ruleset).
import type { Placement, RulesetError } from "./types";

type Obj = Record<string, any>;
/** Reports errors for `x`, found at `key` under the path `base`; returns whether it is
 *  valid. `parent` is the object or list holding `x`, for checks that depend on a
 *  sibling. The full path is only built when needed (an error, or a nested value). */
type Check = (x: any, base: string, key: string | number, parent?: any) => boolean;

export const PLACEMENTS: Placement[] = ["product", "cart", "drawer", "add_to_cart_popup", "checkout", "thank_you"];

// One validation runs at a time (the engine is synchronous); these are its state.
let errors: RulesetError[];
let seen: Set<unknown>;
let variantProduct: Map<string, string>;

const join = (base: string, key: string | number) => (typeof key == "number" ? `${base}[${key}]` : base ? base + "." + key : key);
const fail = (path: string, message: string) => !errors.push({ path, message });
export const isObj = (x: unknown): x is Obj => typeof x == "object" && x !== null && !Array.isArray(x);
const test = (ok: (x: any, parent?: any) => unknown, message: string): Check => (x, base, key, parent) => !!ok(x, parent) || fail(join(base, key), message);
const both = (a: Check, b: Check): Check => (x, base, key, parent) => a(x, base, key, parent) && b(x, base, key, parent);
const int = (min: number) => test((x) => Number.isSafeInteger(x) && x >= min, "must be a whole number ≥ " + min);
const text = test((x) => typeof x == "string", "must be text");
const id = test((x) => typeof x == "string" && x != "", "must be an id");
const bool = test((x) => typeof x == "boolean", "must be true or false");
const positive = test((x) => typeof x == "number" && x > 0 && x < Infinity, "must be above 0");
const oneOf = (...values: unknown[]) => test((x) => values.includes(x), "must be one of: " + values.join(", "));
const isCurrency = (x: unknown) => typeof x == "string" && /^[A-Z]{3}$/.test(x);
const CURRENCY = "must be a currency code";
const unique = (check: Check): Check => (x, base, key) => check(x, base, key) && (!seen.has(x) || fail(join(base, key), "must be unique")) && !!seen.add(x);
const obj = test(isObj, "must be an object");
const NUMBER = test(Number.isFinite, "must be a number");
const arr = test(Array.isArray, "must be a list");
/** Checks every child of a list (with at least `min` items) or of a record's values. */
const each = (item: Check, min?: number): Check =>
  both(min === undefined ? obj : test((x) => Array.isArray(x) && x.length >= min, "must list at least " + min), (x, base, key) => {
    const here = join(base, key);
    let ok = true;
    for (const k in x) ok = item(x[k], here, Array.isArray(x) ? +k : k, x) && ok;
    return ok;
  });
/** Fields ending in "?" are optional. */
const shape = (fields: Obj): Check =>
  both(obj, (x, base, key) => {
    const here = join(base, key);
    let ok = true;
    for (const f in fields) {
      const k = f.replace("?", "");
      if (x[k] !== undefined) ok = fields[f](x[k], here, k, x) && ok;
      else if (k == f) ok = fail(join(here, k), "is required");
    }
    return ok;
  });

export function validate(check: Check, x: unknown): RulesetError[] {
  errors = [];
  seen = new Set();
  check(x, "", "");
  return errors;
}

// ---- ruleset ---------------------------------------------------------------------------
const variant = test((x) => variantProduct.has(x), "must be a variant in products");
const ids = each(id, 0);
const discount = shape({
  kind: oneOf("percent", "amount"),
  // Numbers only: "50", true, [50] or "1e2" would pass `> 0` by coercion.
  value: test((v, d) => typeof v == "number" && (d.kind == "amount" ? Number.isSafeInteger(v) && v > 0 : v > 0 && v <= 100), "must be a percentage ≤ 100 or a whole amount above 0"),
});
const goal = {
  amount: int(1),
  // Keyed by currency code; another key is harmless: no valid cart currency matches it.
  "amounts?": each(int(1)),
};
export const TRIGGER_FIELDS = ["products", "variants", "collections", "tags", "vendors", "productTypes"] as const;
const trigger = shape(Object.fromEntries(TRIGGER_FIELDS.map((f) => [f + "?", ids])));
const NUMBER_FACT = { op: oneOf("gte", "lte", "eq"), value: int(0) };
const LIST_FACT = { op: oneOf("in", "notIn"), value: each(id, 1) };
const FACTS: Obj = {
  __proto__: null,
  subtotal: NUMBER_FACT,
  itemCount: NUMBER_FACT,
  orderCount: NUMBER_FACT,
  customerTags: LIST_FACT,
  country: LIST_FACT,
  loggedIn: { op: oneOf("eq"), value: bool },
  "": {},
};
const fact = oneOf(...Object.keys(FACTS).slice(0, -1));
for (const f in FACTS) FACTS[f] = shape(Object.assign({ fact }, FACTS[f]));
// Nesting is bounded through the path's length, so hostile JSON cannot blow the stack.
const condition: Check = (c, base, key) => {
  const here = join(base, key);
  const group = isObj(c) && (c.all ? "all" : c.any && "any");
  return here.length > 300
    ? fail(here, "is nested too deeply")
    : group
      ? each(condition, 1)(c[group], here, group)
      : (FACTS[c && c.fact] || FACTS[""])(c, base, key);
};

const OFFER_BASE = {
  id: unique(id),
  kind: oneOf("cross_sell", "upsell", "bundle", "quantity_break"),
  "title?": text,
  "priority?": NUMBER,
  "placements?": each(oneOf(...PLACEMENTS), 0),
  "conditions?": condition,
  "startsAt?": test((x) => typeof x == "string" && Date.parse(x) >= 0, "must be a time"),
  "endsAt?": test((x, o) => typeof x == "string" && Date.parse(x) > (Date.parse(o.startsAt) || 0), "must be a time after startsAt"),
  "anchorShare?": positive,
};
const OFFER_KINDS: Obj = {
  __proto__: null,
  cross_sell: {
    "trigger?": trigger,
    // An fbt offer may name no variant: its products can all come from the surface's data.
    variants: (x: any, base: string, key: string | number, o: Obj) => each(variant, o.source == "fbt" ? 0 : 1)(x, base, key, o),
    "discount?": discount,
    "source?": oneOf("fbt"),
    // Picks are offered variants: only `variants` carry the discount (the plan's products).
    "picks?": both(each(variant, 0), test((ps, o) => Array.isArray(o.variants) && ps.every((v: string) => o.variants.includes(v)), "must be among variants")),
    "exclude?": ids,
    "proofMin?": int(1),
  },
  upsell: {
    trigger: both(trigger, test((t) => TRIGGER_FIELDS.some((f) => t[f] && t[f].length), "must not be empty")),
    variants: each(variant, 1),
    "discount?": discount,
  },
  bundle: {
    components: both(
      each(shape({ variantId: variant, "quantity?": int(1) }), 2),
      test((cs) => cs.length < 5 && new Set(cs.map((c: Obj) => variantProduct.get(c.variantId))).size == cs.length, "must be 2 to 4 different products"),
    ),
    discount,
  },
  quantity_break: {
    "trigger?": trigger,
    tiers: both(
      each(shape({ quantity: int(2), discount }), 1),
      test((ts) => ts.every((t: Obj, i: number) => !i || t.quantity > ts[i - 1].quantity), "must ascend by quantity"),
    ),
  },
  "": {},
};
for (const k in OFFER_KINDS) OFFER_KINDS[k] = shape(Object.assign({}, OFFER_BASE, OFFER_KINDS[k]));
const offer: Check = (o, base, key) => (OFFER_KINDS[o && o.kind] || OFFER_KINDS[""])(o, base, key);

const ruleset = shape({
  schemaVersion: oneOf(1),
  revision: int(0),
  // Display fields (titles, handle, images) pass through to surfaces unchecked.
  products: each(shape({ variants: each(shape({ price: int(0), "available?": bool })) })),
  shop: shape({
    currency: test(isCurrency, CURRENCY),
    "maxOffers?": int(1),
    "anchorShare?": positive,
    "freeShipping?": shape(goal),
    "rewardTiers?": each(shape(Object.assign({ id, label: text }, goal, { "gift?": variant })), 0),
  }),
  offers: each(offer, 0),
});

/** Every problem with a ruleset, located by path; empty when it is valid. */
export function rulesetErrors(rs: unknown): RulesetError[] {
  // Index variants first: offers anywhere in the document may reference them.
  variantProduct = new Map();
  if (isObj(rs) && isObj(rs.products)) for (const pid in rs.products) for (const vid in (rs.products[pid] || 0).variants) variantProduct.set(vid, pid);
  return validate(ruleset, rs);
}

// ---- cart and context (checked on every evaluation: kept to cheap checks) -------------
const facts = {
  productId: id,
  variantId: id,
  unitPrice: int(0),
  "tags?": arr,
  "collectionIds?": arr,
  "vendor?": text,
  "productType?": text,
};
const CART_FIELDS = ["id", "productId", "variantId", "quantity", "unitPrice", "tags", "collectionIds"];
const isId = (x: unknown) => typeof x == "string" && x != "";
const isList = (x: unknown) => x === undefined || Array.isArray(x);

/** The first problem with a cart, if any. Written out rather than built from the specs:
 *  it runs on every evaluation over every line, and named property reads are several
 *  times faster than the specs' generic ones. Vendor, product type and offer id are not
 *  checked: a value of another type only ever fails to match (lookups miss). */
export function cartProblem(cart: any): RulesetError | undefined {
  if (!isObj(cart) || !isCurrency(cart.currency)) return { path: "currency", message: CURRENCY };
  if (!Array.isArray(cart.lines)) return { path: "lines", message: "must be a list" };
  const ids = new Set<string>();
  for (let i = 0; i < cart.lines.length; i++) {
    const l = cart.lines[i];
    // A chain, not an array of checks: no allocation per line.
    const bad = !isObj(l)
      ? -2
      : !isId(l.id) || ids.has(l.id)
        ? 0
        : !isId(l.productId)
          ? 1
          : !isId(l.variantId)
            ? 2
            : !(Number.isSafeInteger(l.quantity) && l.quantity > 0)
              ? 3
              : !(Number.isSafeInteger(l.unitPrice) && l.unitPrice >= 0)
                ? 4
                : !isList(l.tags)
                  ? 5
                  : !isList(l.collectionIds)
                    ? 6
                    : -1;
    if (bad != -1) return { path: `lines[${i}]` + (bad < 0 ? "" : "." + CART_FIELDS[bad]), message: "is missing or invalid" };
    ids.add(l.id);
  }
}

export const contextSpec = shape({
  placement: oneOf(...PLACEMENTS),
  now: NUMBER,
  "product?": shape(facts),
  "addedLineId?": text,
  "customer?": shape({ loggedIn: bool, "tags?": arr, "orderCount?": int(0) }),
  "country?": text,
  "rate?": positive,
  "dismissed?": arr,
  // Read defensively by the engine (a bad entry is skipped): only the containers are checked.
  "together?": obj,
  "recommended?": obj,
});
