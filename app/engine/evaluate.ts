// Evaluate: decides, for one cart, shopper and placement, which offers to show (in order),
// the free-shipping and reward progress, and the discounts the cart earns as it is.
//
// Invariants:
// - Never throws. An invalid ruleset, cart or context, or a cart in another currency
//   without a rate, yields no offers and no discounts, only diagnostics (fail closed).
// - Deterministic: same input, same output (shown offers: priority desc, then offer id).
// - Shown offers: at most `shop.maxOffers` (default 3), at most 3 items each; never a
//   product already in the cart (an upsell: never a variant in the cart); never a
//   dismissed offer; never outside its schedule; never an add-on above the anchor share.
// - Discounts are re-derived from the ruleset and the cart's products, never from a price
//   a buyer supplied; placement and dismissal do not affect them (the discount function
//   has neither). Each is > 0 and ≤ its line total; a line gets one discount, the largest
//   (ties: the first found, in the order offer line → bundle → quantity break → gift,
//   offers by priority then id).
// - Reward tiers measure the subtotal after these discounts and without the gift units, so
//   a gift never helps reach a tier. Free shipping measures what the shopper pays: the
//   subtotal after every discount, gifts given included (a gift bought at full price
//   counts until its tier is reached and makes it free).
// - Per evaluation the work is O(lines × trigger values + offers): no loop over offers
//   inside a loop over lines (compile.ts indexes triggers once per ruleset).
//
// The evaluation in progress lives in module variables rather than closures or a state
// object: evaluation is synchronous (one at a time), the storefront runs it on every page
// view, and this keeps it both fast (no closures per call) and small (minified names).
import type { Cart, CartDiscount, CartLine, Context, Evaluation, Goal, GoalProgress, OfferAction, OfferDiscount, OfferItem, ProductFacts, RewardProgress, Ruleset, ShownOffer, SkipReason } from "./types";
import { collectMatches, compiled, type Compiled, type CompiledOffer, type VariantInfo } from "./compile";
import { cartProblem, contextSpec, validate } from "./schema";
import { failedFact } from "./conditions";
import { convertMinor, convertThreshold, percentOf } from "./money";

type LineDiscount = Extract<CartDiscount, { kind: "lineDiscount" }>;
type AddLines = Extract<OfferAction, { kind: "addLines" }>;
const WHY_EMPTY = ["ALREADY_IN_CART", "UNAVAILABLE", "OVER_ANCHOR"] as const;
const NO_LINES: CartLine[] = [];

let epoch = 0;
let c: Compiled;
let ctx: Context;
let lines: CartLine[];
let shopCurrency: string;
let cur: string;
let rate: number;
/** Cart minor units, before discounts. */
let subtotal: number;
let count: number;
let viewed: ProductFacts | undefined;
let added: CartLine | undefined;
/** Cart plus the product on screen: what the shopper is weighing. */
let anchorBase: number;
let qtyByProduct: Map<string, number>;
let inCartVariants: Set<string>;
let best: Map<string, LineDiscount>;

export function evaluate(ruleset: Ruleset, cart: Cart, context: Context): Evaluation {
  const currency = cart && (cart as Cart).currency;
  const empty = (): Evaluation => ({
    currency: typeof currency == "string" ? currency : "",
    offers: [],
    freeShipping: null,
    rewardTiers: [],
    discounts: [],
    skipped: [],
    diagnostics: [],
  });
  let out = empty();
  try {
    const compiledRuleset = compiled(ruleset);
    // For a cart or context, the first problem is enough: a surface's builder is either
    // right or wrong.
    const cartError = cartProblem(cart);
    const contextError = validate(contextSpec, context)[0];
    if (Array.isArray(compiledRuleset)) out.diagnostics = compiledRuleset.map((e) => Object.assign({ code: "INVALID_RULESET" as const }, e));
    else if (cartError) out.diagnostics.push(Object.assign({ code: "INVALID_CART" as const }, cartError));
    else if (contextError) out.diagnostics.push(Object.assign({ code: "INVALID_CONTEXT" as const }, contextError));
    else run(compiledRuleset, cart, context, out);
  } catch {
    // Unreachable for validated input; kept so a surface can never crash on our account.
    out = empty();
    out.diagnostics.push({ code: "INTERNAL", message: "evaluation failed" });
  }
  return out;
}

function run(compiledRuleset: Compiled, cart: Cart, context: Context, out: Evaluation): void {
  c = compiledRuleset;
  ctx = context;
  lines = cart.lines;
  viewed = ctx.product;
  added = undefined;
  qtyByProduct = new Map();
  inCartVariants = new Set();
  best = new Map();
  const { shop } = c.rs;
  shopCurrency = shop.currency;
  cur = cart.currency;
  rate = shopCurrency == cur ? 1 : ctx.rate!;
  if (!rate) return void out.diagnostics.push({ code: "MISSING_RATE", path: "rate", message: "is required" });
  subtotal = count = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    subtotal += l.unitPrice * l.quantity;
    count += l.quantity;
    qtyByProduct.set(l.productId, (qtyByProduct.get(l.productId) || 0) + l.quantity);
    inCartVariants.add(l.variantId);
    if (l.id == ctx.addedLineId) added = l;
  }
  collectMatches(c, lines, viewed, ++epoch);
  anchorBase = subtotal + (viewed && !qtyByProduct.has(viewed.productId) ? viewed.unitPrice : 0);

  earnedDiscounts();

  // Reward tiers, on the subtotal after discounts, without gift units: a gift never helps
  // reach a tier (its own included), whatever it costs.
  let base = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const left = l.unitPrice * l.quantity - earned(l);
    base += left - (shop.rewardTiers && shop.rewardTiers.some((t) => t.gift == l.variantId) ? Math.min(l.unitPrice, left) : 0);
  }
  const progress = (g: Goal, base: number): GoalProgress => {
    // `cur` is a validated ISO code, so it cannot name an Object.prototype property.
    // (Explicit amounts are whole numbers ≥ 1, so `||` is `??` here.)
    const threshold = (g.amounts && g.amounts[cur]) || convertThreshold(g.amount, shopCurrency, cur, rate);
    return { threshold, remaining: Math.max(0, threshold - base), progress: Math.min(1, base / threshold), reached: base >= threshold };
  };
  for (const t of shop.rewardTiers || []) {
    const tier: RewardProgress = Object.assign({ id: t.id, label: t.label, gift: t.gift }, progress(t, base));
    const line = lines.find((l) => l.variantId == t.gift);
    if (tier.reached && line) give(line, t.id, "gift", line.unitPrice, t.label);
    out.rewardTiers.push(tier);
  }
  // Free shipping, on what the shopper pays for the items: the subtotal after every
  // discount, gifts given included. A gift bought at full price (its tier not reached) is
  // paid for like any item, so it counts; a gift given free counts nothing.
  if (shop.freeShipping) {
    let paid = 0;
    for (let i = 0; i < lines.length; i++) paid += lines[i].unitPrice * lines[i].quantity - earned(lines[i]);
    out.freeShipping = progress(shop.freeShipping, paid);
  }
  // In the order first earned: deterministic, like everything here.
  out.discounts = [...best.values()];
  if (out.freeShipping && out.freeShipping.reached) out.discounts.push({ kind: "freeShipping", message: "Free shipping" });

  // Offers: compiled offers are in display order, so the first `maxOffers` built are the
  // ones shown; the rest are only checked for the reason they are skipped.
  const dismissed = new Set(ctx.dismissed);
  for (let i = 0; i < c.offers.length; i++) {
    const co = c.offers[i];
    const shown =
      co.placements && !co.placements.has(ctx.placement)
        ? "PLACEMENT"
        : dismissed.has(co.id)
          ? "DISMISSED"
          : ctx.now < co.start
            ? "NOT_STARTED"
            : ctx.now >= co.end
              ? "ENDED"
              : build(co, out.offers.length < (shop.maxOffers || 3));
    if (typeof shown == "string") out.skipped.push((co.skips[shown] ||= { offerId: co.id, reason: shown }));
    else out.offers.push(shown);
  }
}

// ---- helpers over the evaluation in progress ------------------------------------------

const convert = (amount: number) => convertMinor(amount, shopCurrency, cur, rate);
const failed = (co: CompiledOffer) => co.o.conditions && failedFact(co.o.conditions, subtotal, count, ctx, convert);
const live = (co: CompiledOffer) => ctx.now >= co.start && ctx.now < co.end && !failed(co);
/** Lines matching the trigger; an offer without one matches every line. */
const triggerLines = (co: CompiledOffer) => (!co.hasTrigger ? lines : co.epoch == epoch ? co.hits : NO_LINES);
const unitOff = (price: number, d: OfferDiscount | undefined) =>
  !d ? 0 : d.kind == "percent" ? percentOf(price, d.value) : Math.min(price, convert(d.value));
const priceOf = (v: VariantInfo) => convert(v.variant.price);
/** Total quantity of the lines matching the trigger (a quantity break's count). */
const quantityOf = (co: CompiledOffer) => {
  if (!co.hasTrigger) return count;
  let n = 0;
  for (const l of triggerLines(co)) n += l.quantity;
  return n;
};
/** Complete sets of a bundle in the cart (any variant of a component's product counts);
 *  with `any`, whether any component is in the cart at all. */
const bundleSets = (co: CompiledOffer, any?: boolean) => {
  let sets = Infinity;
  for (const p of co.variants) {
    const have = qtyByProduct.get(p.productId) || 0;
    if (any && have) return 1;
    sets = Math.min(sets, Math.floor(have / p.quantity));
  }
  return any ? 0 : sets;
};
/** What a line earns as the cart is (cart minor units). */
const earned = (l: CartLine) => {
  const d = best.get(l.id);
  return d ? d.amount : 0;
};
const addLine = (offerId: string, variantId: string, quantity: number): AddLines => ({ kind: "addLines", lines: [{ variantId, quantity, offerId }] });

function give(l: CartLine, offerId: string, source: LineDiscount["source"], amount: number, message: string) {
  amount = Math.min(amount, l.unitPrice * l.quantity);
  const had = best.get(l.id);
  if (!had) {
    if (amount > 0) best.set(l.id, { kind: "lineDiscount", lineId: l.id, offerId, source, amount, message });
  } else if (amount > had.amount) {
    // Overwritten in place: a line may be offered many discounts (a temporary object
    // per better offer would feed the GC on every evaluation).
    had.offerId = offerId;
    had.source = source;
    had.amount = amount;
    had.message = message;
  }
}

/** The discounts the cart earns as it is (into `best`), gifts aside. Indexed loops (here
 *  and in run): measured, their for-of iterators survive optimization and feed the GC. */
function earnedDiscounts() {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const co = l.offerId ? c.byId.get(l.offerId) : undefined;
    // The parent must still be in the cart: removing it removes the discount. An upsell's
    // parent is the line it replaced, so the upgraded variant itself is the proof.
    if (
      co &&
      co.discount &&
      (co.kind == "cross_sell" ? co.products.has(l.productId) && (!co.hasTrigger || co.epoch == epoch) : co.kind == "upsell" && co.variants.some((v) => v.id == l.variantId)) &&
      live(co)
    )
      give(l, co.id, "offer", unitOff(l.unitPrice, co.discount) * l.quantity, co.o.title || "Special offer");
  }
  for (let i = 0; i < c.offers.length; i++) {
    const co = c.offers[i];
    const title = co.o.title;
    if (co.kind == "bundle") {
      const sets = bundleSets(co);
      if (!sets || !live(co)) continue;
      // Only the units in complete sets, first lines first.
      for (const p of co.variants) {
        let units = p.quantity * sets;
        for (const l of lines) {
          if (l.productId != p.productId) continue;
          const take = Math.min(units, l.quantity);
          units -= take;
          give(l, co.id, "bundle", unitOff(l.unitPrice, co.discount) * take, title || "Bundle discount");
        }
      }
    } else if (co.kind == "quantity_break") {
      const hits = triggerLines(co);
      const qty = quantityOf(co);
      let tier;
      for (let j = 0; j < co.tiers.length; j++) if (co.tiers[j].quantity <= qty) tier = co.tiers[j];
      if (tier && live(co))
        for (let j = 0; j < hits.length; j++) {
          const l = hits[j];
          give(l, co.id, "quantity_break", unitOff(l.unitPrice, tier.discount) * l.quantity, title || "Volume discount");
        }
    }
  }
}

/** An offer's candidate product: a ruleset variant, or (fbt) one Shopify recommended. */
type Candidate = VariantInfo & { source?: OfferItem["source"]; together?: { orders: number; recent: number }; foreign?: boolean };

const isNum = (x: unknown): x is number => typeof x == "number" && x >= 0 && x < Infinity;

/** A frequently-bought-together offer's candidates, best first: the anchors' mined lists
 *  combined as the recommender combines a cart's items (app/recommendations/recommender.ts,
 *  7. and 8.: a weighted mixture, each anchor weighing 1 plus the strongest significant
 *  score between it and another anchor in their lists, so the items that belong together
 *  outweigh a stray one; a product any anchor lists as significant is combined over the
 *  significant entries only, and products only back-off entries name come after all of
 *  those; ties by co-purchase orders, then id), then the merchant's picks, then Shopify's
 *  recommendations for the anchors in order.
 *  Mined products the ruleset does not hold (excluded at publish, or newer than it) are
 *  skipped; excluded products never come. The surface's data is read defensively: a
 *  malformed entry is skipped. */
function fbtCandidates(co: CompiledOffer, lines: string[]): Candidate[] {
  const anchors = [...new Set(lines)];
  const lists = anchors.map((a) => {
    const list = ctx.together && ctx.together[a];
    return Array.isArray(list) ? list.filter((p) => p && typeof p.productId == "string" && isNum(p.score) && isNum(p.orders) && isNum(p.recent)) : [];
  });
  // Each anchor weighs 1 + the strongest significant score between it and another anchor.
  const weight = anchors.map(() => 1);
  lists.forEach((list, i) => {
    for (const p of list) {
      const j = anchors.indexOf(p.productId);
      if (j >= 0 && j != i && p.significant !== false) (weight[i] = Math.max(weight[i], 1 + p.score)), (weight[j] = Math.max(weight[j], 1 + p.score));
    }
  });
  const scored = new Map<string, { s: number; orders: number; recent: number; tier: number }>();
  for (let tier = 0; tier < 2; tier++) {
    lists.forEach((list, i) => {
      for (const p of list) {
        const had = scored.get(p.productId);
        if (+(p.significant === false) != tier || (had && had.tier != tier)) continue;
        const s = weight[i] * Math.min(1, p.score);
        if (!had) scored.set(p.productId, { s, orders: p.orders, recent: p.recent, tier });
        else {
          had.s += s;
          // The counts shown are the best anchor's: true of one pair, never a sum of pairs.
          if (p.orders > had.orders) (had.orders = p.orders), (had.recent = p.recent);
        }
      }
    });
  }
  const out: Candidate[] = [];
  const mined = [...scored].sort((a, b) => a[1].tier - b[1].tier || b[1].s - a[1].s || b[1].orders - a[1].orders || (a[0] < b[0] ? -1 : 1));
  for (const [productId, m] of mined) {
    const info = co.byProduct.get(productId);
    if (info && !co.exclude.has(productId)) out.push(Object.assign({ source: "mined" as const, together: { orders: m.orders, recent: m.recent } }, info));
  }
  for (const info of co.picks) out.push(Object.assign({ source: "pick" as const }, info));
  for (const a of anchors) {
    const list = ctx.recommended && ctx.recommended[a];
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      if (!r || typeof r.productId != "string" || typeof r.variantId != "string" || !isNum(r.price) || co.exclude.has(r.productId)) continue;
      // A product the ruleset holds is offered as the ruleset has it: priced (and
      // discounted) exactly as the discount function will price it.
      const own = co.byProduct.get(r.productId);
      if (own) {
        out.push(Object.assign({ source: "shopify" as const }, own));
        continue;
      }
      const variant = { price: Math.round(r.price), available: r.available !== false };
      const product = { title: String(r.title || ""), handle: String(r.handle || ""), image: typeof r.image == "string" ? r.image : undefined, variants: { [r.variantId]: variant } };
      out.push({ id: r.variantId, productId: r.productId, product, variant, source: "shopify", foreign: true });
    }
  }
  return out;
}

/** An offered item, pointing at its snapshot (undefined when there is none). */
function item(variantId: string, productId: string, quantity: number, priceBefore: number, priceAfter: number, action: OfferAction): OfferItem {
  const { product, variant } = c.variants.get(variantId) || {};
  return { productId, variantId, quantity, product, variant, priceBefore, priceAfter, action };
}

/** `all`: the items accepting adds (a bundle: the product on screen too). */
function offer(co: CompiledOffer, reason: ShownOffer["reason"], items: OfferItem[], discount?: OfferDiscount, lineId?: string, all = items): ShownOffer {
  let action = all[0].action;
  if (co.kind != "upsell" && all[1]) action = { kind: "addLines", lines: all.flatMap((i) => (i.action as AddLines).lines) };
  return {
    id: co.id,
    kind: co.kind,
    title: co.o.title,
    reason,
    lineId,
    endsAt: co.o.endsAt,
    discount: discount && discount.kind == "amount" ? { kind: "amount", value: convert(discount.value) } : discount,
    items,
    action,
  };
}

/** The offer as shown, or why not. `full` false: the limit is reached, so only the reason
 *  matters (LIMIT_REACHED if it would have been shown) and no items are built. */
function build(co: CompiledOffer, full: boolean): ShownOffer | SkipReason {
  const { kind, discount } = co;
  const upsell = kind == "upsell";
  const viewedId = viewed && viewed.productId;
  const viewedHit = !!viewed && (!co.hasTrigger || co.viewedEpoch == epoch);
  let hits = triggerLines(co);
  // A quantity break counts every matching line; its tier is the first one not reached.
  const qty = kind == "quantity_break" ? quantityOf(co) : 0;
  let next;
  if (co.tiers) for (let i = co.tiers.length; i--; ) if (co.tiers[i].quantity > qty) next = co.tiers[i];
  // In the add-to-cart pop-up, only the line just added can trigger an offer.
  if (ctx.addedLineId) hits = added && (!co.hasTrigger || hits.includes(added)) ? [added] : NO_LINES;
  let fact;
  if (
    kind == "bundle"
      ? !(bundleSets(co, true) || co.products.has(viewedId!)) || (ctx.addedLineId && !co.products.has((added && added.productId)!))
      : !hits.length && (upsell || !viewedHit)
  )
    return "NO_TRIGGER";
  if (kind == "bundle" ? bundleSets(co) : kind == "quantity_break" && !next) return "EARNED";
  if ((fact = failed(co))) return `CONDITION_FAILED:${fact}`;
  const limit = (co.o.anchorShare || (upsell || kind == "cross_sell" ? c.rs.shop.anchorShare || 0.3 : Infinity)) * anchorBase;

  if (kind == "bundle") {
    const all: OfferItem[] = [];
    let total = 0;
    for (const p of co.variants) {
      const quantity = p.quantity - (qtyByProduct.get(p.productId) || 0);
      if (quantity <= 0) continue;
      if (p.variant.available === false) return "UNAVAILABLE";
      // On its product page, a component is the variant on screen, at its price.
      const isViewed = p.productId == viewedId;
      const variantId = isViewed ? viewed!.variantId : p.id;
      const before = isViewed ? viewed!.unitPrice : priceOf(c.variants.get(variantId)!);
      const after = before - unitOff(before, discount);
      total += after * quantity;
      all.push(item(variantId, p.productId, quantity, before, after, addLine(co.id, variantId, quantity)));
    }
    if (total > limit) return "OVER_ANCHOR";
    if (!full) return "LIMIT_REACHED";
    // The viewed product is "this item": the action adds it, the items list the rest (at
    // most 3 of 4 components), or only it when it is all that is missing.
    const rest = all.filter((i) => i.productId != viewedId);
    return offer(co, "BUNDLE_PARTIAL", rest[0] ? rest : all, discount, undefined, all);
  }

  if (kind == "quantity_break") {
    const focus = viewedHit ? viewed! : hits[0];
    const before = focus.unitPrice;
    const after = before - unitOff(before, next!.discount);
    const quantity = next!.quantity - qty;
    if (after * quantity > limit) return "OVER_ANCHOR";
    if (!full) return "LIMIT_REACHED";
    return offer(co, "NEXT_TIER", [item(focus.variantId, focus.productId, quantity, before, after, addLine(co.id, focus.variantId, quantity))], next!.discount, focus == viewed ? undefined : (focus as CartLine).id);
  }

  // cross-sell, upsell (of the first matching line). Why nothing is left, most telling
  // last: 0 in cart, 1 unavailable, 2 over anchor.
  const parent = upsell ? hits[0] : undefined;
  let why = 0;
  // Allocated on the first item: most offers checked end up skipped.
  let items: OfferItem[] | undefined;
  // Frequently bought together: about the product on screen when it triggers, else about
  // the matching lines (in the pop-up, the line just added).
  const candidates: Candidate[] = co.fbt ? fbtCandidates(co, viewedHit && !ctx.addedLineId ? [viewedId!] : hits.map((l) => l.productId)) : co.variants;
  for (const info of candidates) {
    const { id: v, productId } = info;
    if ((items && items.length == 3) || (upsell ? inCartVariants.has(v) : qtyByProduct.has(productId) || productId == viewedId || (items && items.some((i) => i.productId == productId)))) continue;
    if (info.variant.available === false) {
      why ||= 1;
      continue;
    }
    // Shopify's recommendations come priced in the cart's currency, and never discounted
    // (the discount plan cannot know them).
    const before = info.foreign ? info.variant.price : priceOf(info);
    const after = before - (info.foreign ? 0 : unitOff(before, discount));
    if ((parent ? (after - parent.unitPrice) * parent.quantity : after) > limit) {
      why = 2;
      continue;
    }
    if (!full) return "LIMIT_REACHED";
    const it = item(v, productId, parent ? parent.quantity : 1, before, after, parent ? { kind: "replaceVariant", lineId: parent.id, variantId: v, offerId: co.id } : addLine(co.id, v, 1));
    if (parent) it.difference = after - parent.unitPrice;
    if (co.fbt) {
      it.source = info.source;
      if (info.foreign) {
        it.product = info.product;
        it.variant = info.variant;
      }
      if (info.together) {
        it.together = info.together;
        if (info.together.recent >= co.proofMin) it.proof = info.together.recent;
      }
    }
    (items ||= []).push(it);
  }
  return items ? offer(co, parent ? "UPGRADE" : "TRIGGERED", items, discount, co.hasTrigger && hits[0] ? hits[0].id : undefined) : WHY_EMPTY[why];
}
