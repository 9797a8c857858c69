// Compile: turns a valid ruleset into lookup indexes once, so evaluating a cart costs
// O(lines × trigger values + offers) instead of O(lines × offers × trigger values).
// Invariants: compiled once per ruleset object (WeakMap: a ruleset is immutable once
// evaluated, and garbage-collected with it); an invalid ruleset caches its errors, so
// a bad publish costs one validation, not one per evaluation.
import type { BundleComponent, CartLine, Offer, OfferDiscount, ParseResult, Placement, ProductFacts, ProductSnapshot, QuantityTier, Ruleset, RulesetError, SkippedOffer, Trigger, VariantSnapshot } from "./types";
import { isObj, rulesetErrors, TRIGGER_FIELDS } from "./schema";

export interface VariantInfo {
  id: string;
  productId: string;
  product: ProductSnapshot;
  variant: VariantSnapshot;
}

/** An offer with defaults applied and references resolved. Every compiled offer has the
 *  same fields, so the hot loops read one object shape however varied the JSON is. */
export interface CompiledOffer {
  o: Offer;
  id: string;
  kind: Offer["kind"];
  /** Undefined: every placement. */
  placements: Set<Placement> | undefined;
  discount: OfferDiscount | undefined;
  tiers: QuantityTier[];
  /** Offered variants (a bundle's components), resolved, with the quantity offered. */
  variants: (VariantInfo & { quantity: number })[];
  start: number;
  end: number;
  hasTrigger: boolean;
  /** Products the offer offers: a line of one of these is never a cross-sell's parent. */
  products: Set<string>;
  /** Scratch space of one evaluation (`epoch`): the cart lines matching the trigger, and
   *  whether the viewed product does. Stamping the compiled offer instead of filling a
   *  Map keeps trigger matching to plain property writes; a stale stamp reads as "no
   *  match", so no reset is needed and evaluations stay independent. */
  epoch: number;
  hits: CartLine[];
  hitCount: number;
  lastHit: CartLine | undefined;
  viewedEpoch: number;
  /** Skip records by reason, shared between evaluations. */
  skips: Record<string, SkippedOffer>;
  /** Frequently bought together (cross-sell `source: "fbt"`): its offerable variant per
   *  product (the first listed), the merchant's picks, and the products never offered.
   *  Empty for every other offer. */
  fbt: boolean;
  byProduct: Map<string, VariantInfo>;
  picks: VariantInfo[];
  exclude: Set<string>;
  proofMin: number;
}

export interface Compiled {
  rs: Ruleset;
  /** In display order: priority desc, then id. */
  offers: CompiledOffer[];
  byId: Map<string, CompiledOffer>;
  /** One index per trigger field (TRIGGER_FIELDS order): value → offers naming it. */
  index: Map<string, CompiledOffer[]>[];
  variants: Map<string, VariantInfo>;
  /** Products some cross-sell offers: only a line of one of these can be excluded from
   *  triggering (checked first, so most lines skip the per-offer check). */
  crossSold: Set<string>;
  /** Scratch: offers matched in the current evaluation. */
  matched: CompiledOffer[];
}

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
  const c: Compiled = { rs, offers: [], byId: new Map(), index: TRIGGER_FIELDS.map(() => new Map()), variants: new Map(), crossSold: new Set(), matched: [] };
  for (const productId in rs.products) {
    const product = rs.products[productId];
    for (const id in product.variants) c.variants.set(id, { id, productId, product, variant: product.variants[id] });
  }
  for (const o of rs.offers) {
    const x = o as Offer & { trigger?: Trigger; variants?: string[]; components?: BundleComponent[]; discount?: OfferDiscount; tiers?: QuantityTier[] };
    const variants = (x.components || x.variants || []).map((v: string | BundleComponent) => {
      const { variantId, quantity } = typeof v == "string" ? { variantId: v, quantity: 1 } : v;
      return Object.assign({ quantity: quantity || 1 }, c.variants.get(variantId)!);
    });
    const co: CompiledOffer = {
      o,
      id: o.id,
      kind: o.kind,
      placements: o.placements && new Set(o.placements),
      discount: x.discount,
      tiers: x.tiers!,
      variants,
      start: Date.parse(o.startsAt!) || -Infinity, // no start (or 1970): always started
      end: o.endsAt ? Date.parse(o.endsAt) : Infinity,
      hasTrigger: false,
      products: new Set(variants.map((v) => v.productId)),
      epoch: 0,
      hits: [],
      hitCount: 0,
      lastHit: undefined,
      viewedEpoch: 0,
      skips: {},
      fbt: o.kind == "cross_sell" && o.source == "fbt",
      byProduct: new Map(),
      picks: [],
      exclude: new Set(o.kind == "cross_sell" ? o.exclude : undefined),
      proofMin: (o.kind == "cross_sell" && o.proofMin) || 5,
    };
    if (co.fbt) {
      for (const v of variants) if (!co.byProduct.has(v.productId)) co.byProduct.set(v.productId, v);
      co.picks = ((o as { picks?: string[] }).picks || []).map((id) => c.variants.get(id)!);
    }
    const trigger = x.trigger || {};
    TRIGGER_FIELDS.forEach((f, k) =>
      (trigger[f] || []).forEach((value) => {
        co.hasTrigger = true;
        const list = c.index[k].get(value);
        // A value listed twice still indexes the offer once.
        if (!list) c.index[k].set(value, [co]);
        else if (list[list.length - 1] != co) list.push(co);
      }),
    );
    if (o.kind == "cross_sell") co.products.forEach((p) => c.crossSold.add(p));
    c.byId.set(o.id, co);
    c.offers.push(co);
  }
  c.offers.sort((a, b) => (b.o.priority || 0) - (a.o.priority || 0) || (a.id < b.id ? -1 : 1));
  return c;
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
  const self = c.crossSold.has(f.productId) && f.productId;
  add(c, index[0].get(f.productId), self, line, epoch);
  add(c, index[1].get(f.variantId), self, line, epoch);
  if (index[2].size && f.collectionIds) for (const v of f.collectionIds) add(c, index[2].get(v), self, line, epoch);
  if (index[3].size && f.tags) for (const v of f.tags) add(c, index[3].get(v), self, line, epoch);
  if (f.vendor) add(c, index[4].get(f.vendor), self, line, epoch);
  if (f.productType) add(c, index[5].get(f.productType), self, line, epoch);
}

function add(c: Compiled, offers: CompiledOffer[] | undefined, self: string | false, line: CartLine | undefined, epoch: number) {
  if (offers)
    for (const co of offers) {
      if (self && co.kind == "cross_sell" && co.products.has(self)) continue;
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
