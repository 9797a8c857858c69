// Compile: turns a valid ruleset into lookup indexes once, so evaluating a cart costs
// O(lines × trigger values + offers) instead of O(lines × offers × trigger values).
// Invariants: compiled once per ruleset object (WeakMap: a ruleset is immutable once
// evaluated, and garbage-collected with it); an invalid ruleset caches its errors, so
// a bad publish costs one validation, not one per evaluation.
import type { CartLine, Condition, Offer, OfferDiscount, ParseResult, ProductFacts, ProductSnapshot, QuantityTier, Ruleset, RulesetError, SkippedOffer, VariantSnapshot } from "./types";
import { isObj, PLACEMENTS, rulesetErrors } from "./schema";

export interface VariantInfo {
  id: string;
  productId: string;
  product: ProductSnapshot;
  variant: VariantSnapshot;
}

export interface BundlePart {
  variantId: string;
  productId: string;
  quantity: number;
}

/** An offer with defaults applied and references resolved. Every compiled offer has the
 *  same fields, so the hot loops read one object shape however varied the JSON is. */
export interface CompiledOffer {
  o: Offer;
  id: string;
  kind: Offer["kind"];
  priority: number;
  /** Bit i set: shown in PLACEMENTS[i]. */
  placements: number;
  conditions: Condition | undefined;
  discount: OfferDiscount | undefined;
  /** Offered variants (cross-sell, upsell; a bundle's components), resolved. */
  variants: VariantInfo[];
  parts: BundlePart[];
  tiers: QuantityTier[];
  start: number;
  end: number;
  hasTrigger: boolean;
  anchorShare: number | undefined;
  /** Products the offer offers: a line of one of these is never a cross-sell's parent. */
  products: Set<string>;
  variantSet: Set<string>;
  /** Scratch space of one evaluation (`epoch`): the cart lines matching the trigger, and
   *  whether the viewed product does. Stamping the compiled offer instead of filling a
   *  Map keeps trigger matching to plain property writes; a stale stamp reads as "no
   *  match", so no reset is needed and evaluations stay independent. */
  epoch: number;
  hits: CartLine[];
  hitCount: number;
  lastHit: CartLine | undefined;
  viewedEpoch: number;
  /** Skip records by reason, shared between evaluations (frozen). */
  skips: Record<string, SkippedOffer>;
}

export interface Compiled {
  rs: Ruleset;
  /** In display order: priority desc, then id. */
  offers: CompiledOffer[];
  byId: Map<string, CompiledOffer>;
  /** One index per trigger field (products, variants, collections, tags, vendors,
   *  product types): value → offers whose trigger names it. */
  index: Map<string, CompiledOffer[]>[];
  variants: Map<string, VariantInfo>;
  /** Product id → cross-sells offering it (such a line never triggers them). */
  crossSellsOf: Map<string, Set<CompiledOffer>>;
  /** Scratch: offers matched in the current evaluation. */
  matched: CompiledOffer[];
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
    for (const [id, variant] of Object.entries(product.variants)) variants.set(id, { id, productId, product, variant });
  const index = FIELDS.map(() => new Map<string, CompiledOffer[]>());
  const byId = new Map<string, CompiledOffer>();
  const crossSellsOf = new Map<string, Set<CompiledOffer>>();
  const offers = rs.offers.map((o) => {
    const parts = o.kind == "bundle" ? o.components.map((p) => ({ variantId: p.variantId, productId: variants.get(p.variantId)!.productId, quantity: p.quantity || 1 })) : [];
    const offered = o.kind == "bundle" ? parts.map((p) => p.variantId) : o.kind == "quantity_break" ? [] : o.variants;
    const co: CompiledOffer = {
      o,
      id: o.id,
      kind: o.kind,
      priority: o.priority || 0,
      placements: o.placements ? o.placements.reduce((bits, p) => bits | (1 << PLACEMENTS.indexOf(p)), 0) : -1,
      conditions: o.conditions,
      discount: o.kind == "quantity_break" ? undefined : o.discount,
      variants: offered.map((v) => variants.get(v)!),
      parts,
      tiers: o.kind == "quantity_break" ? o.tiers : [],
      start: o.startsAt ? Date.parse(o.startsAt) : -Infinity,
      end: o.endsAt ? Date.parse(o.endsAt) : Infinity,
      hasTrigger: false,
      anchorShare: o.anchorShare,
      products: new Set(offered.map((v) => variants.get(v)!.productId)),
      variantSet: new Set(offered),
      epoch: 0,
      hits: [],
      hitCount: 0,
      lastHit: undefined,
      viewedEpoch: 0,
      skips: {},
    };
    const trigger = o.kind == "bundle" ? undefined : o.trigger;
    if (trigger)
      FIELDS.forEach((f, k) =>
        trigger[f]?.forEach((value) => {
          co.hasTrigger = true;
          const list = index[k].get(value);
          // A value listed twice still indexes the offer once.
          if (!list) index[k].set(value, [co]);
          else if (list[list.length - 1] != co) list.push(co);
        }),
      );
    if (o.kind == "cross_sell")
      for (const p of co.products) {
        const set = crossSellsOf.get(p);
        set ? set.add(co) : crossSellsOf.set(p, new Set([co]));
      }
    byId.set(o.id, co);
    return co;
  });
  offers.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
  return { rs, offers, byId, index, variants, crossSellsOf, matched: [] };
}

/** Stamps every offer whose trigger matches one of `lines` with evaluation `epoch` and
 *  fills its `hits`, then marks the offers the viewed product matches. A cross-sell is
 *  never triggered by a product it offers (no self-triggering). Hit arrays are reused
 *  across evaluations: overwritten, then cut to length. */
export function collectMatches(c: Compiled, lines: CartLine[], viewed: ProductFacts | undefined, epoch: number): void {
  c.matched.length = 0;
  for (const line of lines) facts(c, line, line, epoch);
  for (const co of c.matched) co.hits.length = co.hitCount;
  if (viewed) facts(c, viewed, undefined, epoch);
}

function facts(c: Compiled, f: ProductFacts, line: CartLine | undefined, epoch: number) {
  const index = c.index;
  const self = c.crossSellsOf.get(f.productId);
  add(c, index[0].get(f.productId), self, line, epoch);
  add(c, index[1].get(f.variantId), self, line, epoch);
  if (index[2].size && f.collectionIds) for (const v of f.collectionIds) add(c, index[2].get(v), self, line, epoch);
  if (index[3].size && f.tags) for (const v of f.tags) add(c, index[3].get(v), self, line, epoch);
  if (f.vendor) add(c, index[4].get(f.vendor), self, line, epoch);
  if (f.productType) add(c, index[5].get(f.productType), self, line, epoch);
}

function add(c: Compiled, offers: CompiledOffer[] | undefined, self: Set<CompiledOffer> | undefined, line: CartLine | undefined, epoch: number) {
  if (offers)
    for (const co of offers) {
      if (self?.has(co)) continue;
      if (!line) co.viewedEpoch = epoch;
      else {
        if (co.epoch != epoch) {
          co.epoch = epoch;
          co.hitCount = 0;
          co.lastHit = undefined;
          c.matched.push(co);
        }
        // A line matching through two values (two collections) counts once.
        if (co.lastHit != line) co.hits[co.hitCount++] = co.lastHit = line;
      }
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
