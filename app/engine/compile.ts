// Compile: turns a valid ruleset into lookup indexes once, so evaluating a cart costs
// O(lines × trigger values + offers) instead of O(lines × offers × trigger values).
// Invariants: compiled once per ruleset object (WeakMap: a ruleset is immutable once
// evaluated, and garbage-collected with it); an invalid ruleset caches its errors, so
// a bad publish costs one validation, not one per evaluation.
import type { Offer, ParseResult, ProductFacts, ProductSnapshot, Ruleset, RulesetError, VariantSnapshot } from "./types";
import { isObj, rulesetErrors } from "./schema";

export interface VariantInfo {
  productId: string;
  product: ProductSnapshot;
  variant: VariantSnapshot;
}

export interface CompiledOffer {
  o: Offer;
  start: number;
  end: number;
  hasTrigger: boolean;
  /** Products the offer offers: a cart line of one of these never triggers it. */
  products: Set<string>;
  variants: Set<string>;
}

export interface Compiled {
  rs: Ruleset;
  offers: CompiledOffer[];
  byId: Map<string, CompiledOffer>;
  /** One index per trigger field, in `factValues` order: value → offers. */
  index: Map<string, CompiledOffer[]>[];
  variants: Map<string, VariantInfo>;
}

const FIELDS = ["products", "variants", "collections", "tags", "vendors", "productTypes"] as const;
const cache = new WeakMap<object, Compiled | RulesetError[]>();

/** The compiled ruleset, or its validation errors. */
export function compiled(rs: unknown): Compiled | RulesetError[] {
  if (!isObj(rs)) return rulesetErrors(rs);
  let c = cache.get(rs);
  if (!c) {
    const errors = rulesetErrors(rs);
    c = errors.length ? errors : compile(rs as Ruleset);
    cache.set(rs, c);
  }
  return c;
}

function compile(rs: Ruleset): Compiled {
  const variants = new Map<string, VariantInfo>();
  for (const [productId, product] of Object.entries(rs.products))
    for (const [id, variant] of Object.entries(product.variants)) variants.set(id, { productId, product, variant });
  const index = FIELDS.map(() => new Map<string, CompiledOffer[]>());
  const byId = new Map<string, CompiledOffer>();
  const offers = rs.offers.map((o) => {
    const offered = o.kind == "bundle" ? o.components.map((c) => c.variantId) : o.kind == "quantity_break" ? [] : o.variants;
    const co: CompiledOffer = {
      o,
      start: o.startsAt ? Date.parse(o.startsAt) : -Infinity,
      end: o.endsAt ? Date.parse(o.endsAt) : Infinity,
      hasTrigger: false,
      products: new Set(offered.map((v) => variants.get(v)!.productId)),
      variants: new Set(offered),
    };
    const trigger = o.kind == "bundle" ? undefined : o.trigger;
    if (trigger)
      FIELDS.forEach((f, k) =>
        trigger[f]?.forEach((value) => {
          co.hasTrigger = true;
          const list = index[k].get(value);
          list ? list.push(co) : index[k].set(value, [co]);
        }),
      );
    byId.set(o.id, co);
    return co;
  });
  return { rs, offers, byId, index, variants };
}

/** Calls `hit` for every offer whose trigger matches the product (possibly repeatedly). */
export function matchTriggers(c: Compiled, f: ProductFacts, hit: (co: CompiledOffer) => void): void {
  const values = [[f.productId], [f.variantId], f.collectionIds, f.tags, [f.vendor], [f.productType]];
  for (let k = 0; k < 6; k++) {
    const map = c.index[k];
    if (map.size && values[k]) for (const v of values[k]!) map.get(v!)?.forEach(hit);
  }
}

/** Validate published or edited JSON (or a JSON string). Never throws. */
export function parseRuleset(json: unknown): ParseResult {
  try {
    const rs = typeof json == "string" ? JSON.parse(json) : json;
    const c = compiled(rs);
    return Array.isArray(c) ? { ok: false, errors: c } : { ok: true, ruleset: c.rs };
  } catch {
    return { ok: false, errors: [{ path: "", message: "is not valid JSON" }] };
  }
}
