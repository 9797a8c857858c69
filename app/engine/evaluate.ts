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
// - Goals (free shipping, reward tiers) measure the subtotal after these discounts and
//   without the gift units, so a gift never helps reach its own tier.
// - Per evaluation the work is O(lines × trigger values + offers): no loop over offers
//   inside a loop over lines (compile.ts indexes triggers once per ruleset). Helpers are
//   module functions over one state object, not closures per call: the storefront
//   evaluates on every page view, and fresh closures defeat the JIT and feed the GC.
import type { Cart, CartDiscount, CartLine, Context, Evaluation, Goal, GoalProgress, OfferAction, OfferDiscount, OfferItem, ProductFacts, RewardProgress, Ruleset, ShownOffer, SkipReason } from "./types";
import { collectMatches, compiled, type Compiled, type CompiledOffer, type VariantInfo } from "./compile";
import { cartProblem, contextSpec, PLACEMENTS, validate } from "./schema";
import { failedFact, type Facts } from "./conditions";
import { convertMinor, convertThreshold, percentOf } from "./money";

const MAX_ITEMS = 3;
const WHY_EMPTY = ["ALREADY_IN_CART", "UNAVAILABLE", "OVER_ANCHOR"] as const;
type LineDiscount = Extract<CartDiscount, { kind: "lineDiscount" }>;
type AddLines = Extract<OfferAction, { kind: "addLines" }>;

interface State extends Facts {
  c: Compiled;
  lines: CartLine[];
  epoch: number;
  now: number;
  viewed: ProductFacts | undefined;
  added: CartLine | undefined;
  /** Cart plus the product on screen: what the shopper is weighing. */
  anchorBase: number;
  qtyByProduct: Map<string, number>;
  inCartVariants: Set<string>;
  best: Map<string, LineDiscount>;
}

let evaluations = 0;

export function evaluate(ruleset: Ruleset, cart: Cart, context: Context): Evaluation {
  const currency = (cart as Cart | null)?.currency;
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
    const c = compiled(ruleset);
    if (Array.isArray(c)) out.diagnostics = c.map((e) => ({ code: "INVALID_RULESET", ...e }));
    else {
      // The first problem is enough: a surface's cart builder is either right or wrong.
      const cartError = cartProblem(cart);
      const contextError = cartError ? undefined : validate(contextSpec, context)[0];
      if (cartError) out.diagnostics.push({ code: "INVALID_CART", ...cartError });
      else if (contextError) out.diagnostics.push({ code: "INVALID_CONTEXT", ...contextError });
      else run(c, cart, context, out);
    }
  } catch {
    // Unreachable for validated input; kept so a surface can never crash on our account.
    out = empty();
    out.diagnostics.push({ code: "INTERNAL", message: "evaluation failed" });
  }
  return out;
}

function run(c: Compiled, cart: Cart, ctx: Context, out: Evaluation): void {
  const { shop } = c.rs;
  const cur = cart.currency;
  const rate = shop.currency == cur ? 1 : ctx.rate;
  if (!rate) {
    out.diagnostics.push({ code: "MISSING_RATE", path: "rate", message: `is needed to convert ${shop.currency} to ${cur}` });
    return;
  }
  const { lines } = cart;
  const viewed = ctx.product;
  const r: State = {
    c,
    ctx,
    lines,
    epoch: ++evaluations,
    now: ctx.now,
    shopCurrency: shop.currency,
    cur,
    rate,
    viewed,
    added: undefined,
    subtotal: 0,
    count: 0,
    anchorBase: 0,
    qtyByProduct: new Map(),
    inCartVariants: new Set(),
    best: new Map(),
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    r.subtotal += l.unitPrice * l.quantity;
    r.count += l.quantity;
    r.qtyByProduct.set(l.productId, (r.qtyByProduct.get(l.productId) || 0) + l.quantity);
    r.inCartVariants.add(l.variantId);
    if (l.id == ctx.addedLineId) r.added = l;
  }
  collectMatches(c, lines, viewed, r.epoch);
  r.anchorBase = r.subtotal + (viewed && !r.qtyByProduct.has(viewed.productId) ? viewed.unitPrice : 0);

  earnedDiscounts(r);

  // Goals, on the subtotal after discounts, without gift units.
  const gifts = new Set(shop.rewardTiers?.map((t) => t.gift));
  let base = 0;
  for (const l of lines) {
    const left = l.unitPrice * l.quantity - (r.best.get(l.id)?.amount || 0);
    base += left - (gifts.has(l.variantId) ? Math.min(l.unitPrice, left) : 0);
  }
  const progress = (g: Goal): GoalProgress => {
    const threshold = g.amounts && Object.hasOwn(g.amounts, cur) ? g.amounts[cur] : convertThreshold(g.amount, shop.currency, cur, rate);
    return { threshold, remaining: Math.max(0, threshold - base), progress: Math.min(1, base / threshold), reached: base >= threshold };
  };
  if (shop.freeShipping) out.freeShipping = progress(shop.freeShipping);
  for (const t of shop.rewardTiers || []) {
    const tier: RewardProgress = { id: t.id, label: t.label, ...progress(t) };
    if (t.gift) {
      tier.gift = t.gift;
      const line = lines.find((l) => l.variantId == t.gift);
      if (tier.reached && line) give(r, line, t.id, "gift", line.unitPrice, t.label);
      if (tier.reached && !line && c.variants.get(t.gift)!.variant.available !== false)
        tier.action = { kind: "addLines", lines: [{ variantId: t.gift, quantity: 1, offerId: t.id }] };
    }
    out.rewardTiers.push(tier);
  }
  for (const l of lines) {
    const d = r.best.get(l.id);
    if (d) out.discounts.push(d);
  }
  if (out.freeShipping?.reached) out.discounts.push({ kind: "freeShipping", message: "Free shipping" });

  // Offers: compiled offers are in display order, so the first `maxOffers` built are the
  // ones shown; the rest are only checked for the reason they are skipped.
  const dismissed = new Set(ctx.dismissed);
  const placement = 1 << PLACEMENTS.indexOf(ctx.placement);
  const max = shop.maxOffers || 3;
  for (let i = 0; i < c.offers.length; i++) {
    const co = c.offers[i];
    const shown =
      !(co.placements & placement)
        ? "PLACEMENT"
        : dismissed.has(co.id)
          ? "DISMISSED"
          : r.now < co.start
            ? "NOT_STARTED"
            : r.now >= co.end
              ? "ENDED"
              : build(r, co, out.offers.length < max);
    if (typeof shown == "string") out.skipped.push((co.skips[shown] ||= Object.freeze({ offerId: co.id, reason: shown })));
    else out.offers.push(shown);
  }
}

// ---- helpers over the state --------------------------------------------------------

const convert = (r: State, amount: number) => convertMinor(amount, r.shopCurrency, r.cur, r.rate);
const failed = (r: State, co: CompiledOffer) => co.conditions && failedFact(co.conditions, r);
const live = (r: State, co: CompiledOffer) => r.now >= co.start && r.now < co.end && !failed(r, co);
const NO_LINES: CartLine[] = [];
/** Lines matching the trigger; an offer without one matches every line. */
const triggerLines = (r: State, co: CompiledOffer) => (!co.hasTrigger ? r.lines : co.epoch == r.epoch ? co.hits : NO_LINES);
const unitOff = (r: State, price: number, d: OfferDiscount | undefined) =>
  !d ? 0 : d.kind == "percent" ? percentOf(price, d.value) : Math.min(price, convert(r, d.value));
const priceOf = (r: State, v: VariantInfo) => {
  const known = r.ctx.prices;
  return known && Object.hasOwn(known, v.id) ? known[v.id] : convert(r, v.variant.price);
};
const quantityOf = (ls: CartLine[]) => {
  let n = 0;
  for (let i = 0; i < ls.length; i++) n += ls[i].quantity;
  return n;
};
/** Complete sets of a bundle in the cart (any variant of a component's product counts). */
const bundleSets = (r: State, co: CompiledOffer) => {
  let sets = Infinity;
  for (let i = 0; i < co.parts.length; i++) sets = Math.min(sets, Math.floor((r.qtyByProduct.get(co.parts[i].productId) || 0) / co.parts[i].quantity));
  return sets;
};

function give(r: State, l: CartLine, offerId: string, source: LineDiscount["source"], amount: number, message: string) {
  amount = Math.min(amount, l.unitPrice * l.quantity);
  const had = r.best.get(l.id);
  if (!had) {
    if (amount > 0) r.best.set(l.id, { kind: "lineDiscount", lineId: l.id, offerId, source, amount, message });
  } else if (amount > had.amount) {
    had.offerId = offerId;
    had.source = source;
    had.amount = amount;
    had.message = message;
  }
}

/** The discounts the cart earns as it is (into r.best), gifts aside. */
function earnedDiscounts(r: State) {
  const { c, lines } = r;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const co = l.offerId ? c.byId.get(l.offerId) : undefined;
    // The parent must still be in the cart: removing it removes the discount. An upsell's
    // parent is the line it replaced, so the upgraded variant itself is the proof.
    if (
      co?.discount &&
      (co.kind == "cross_sell" ? co.products.has(l.productId) && (!co.hasTrigger || co.epoch == r.epoch) : co.kind == "upsell" && co.variantSet.has(l.variantId)) &&
      live(r, co)
    )
      give(r, l, co.id, "offer", unitOff(r, l.unitPrice, co.discount) * l.quantity, co.o.title || "Special offer");
  }
  for (let i = 0; i < c.offers.length; i++) {
    const co = c.offers[i];
    if (co.kind == "bundle") {
      const sets = bundleSets(r, co);
      if (!sets || !live(r, co)) continue;
      const d = co.discount!;
      let pool = convert(r, d.value) * sets; // an amount is off each complete set
      for (const p of co.parts) {
        let units = p.quantity * sets;
        for (const l of lines) {
          if (l.productId != p.productId) continue;
          const take = Math.min(units, l.quantity);
          units -= take;
          let amount = l.unitPrice * take;
          if (d.kind == "percent") amount = percentOf(l.unitPrice, d.value) * take;
          else pool -= amount = Math.min(pool, amount);
          give(r, l, co.id, "bundle", amount, co.o.title || "Bundle discount");
        }
      }
    } else if (co.kind == "quantity_break") {
      const hits = triggerLines(r, co);
      const qty = co.hasTrigger ? quantityOf(hits) : r.count;
      let tier;
      for (let j = 0; j < co.tiers.length; j++) if (co.tiers[j].quantity <= qty) tier = co.tiers[j];
      if (tier && live(r, co))
        for (let j = 0; j < hits.length; j++) {
          const l = hits[j];
          give(r, l, co.id, "quantity_break", unitOff(r, l.unitPrice, tier.discount) * l.quantity, co.o.title || "Volume discount");
        }
    }
  }
}

const addLine = (co: CompiledOffer, variantId: string, quantity: number): AddLines => ({ kind: "addLines", lines: [{ variantId, quantity, offerId: co.id }] });

/** An offered item; optional fields the snapshot lacks stay undefined (JSON drops them). */
function item(r: State, variantId: string, productId: string, quantity: number, priceBefore: number, priceAfter: number, action: OfferAction): OfferItem {
  const { product, variant } = r.c.variants.get(variantId) || {};
  return {
    productId,
    variantId,
    quantity,
    title: product?.title,
    variantTitle: variant?.title,
    handle: product?.handle,
    image: variant?.image || product?.image,
    priceBefore,
    priceAfter,
    action,
  };
}

function offer(r: State, co: CompiledOffer, reason: ShownOffer["reason"], items: OfferItem[], discount?: OfferDiscount, lineId?: string): ShownOffer {
  let action = items[0].action;
  if (co.kind != "upsell" && items.length > 1) {
    action = { kind: "addLines", lines: [] };
    for (const i of items) action.lines.push(...(i.action as AddLines).lines);
  }
  return {
    id: co.id,
    kind: co.kind,
    title: co.o.title,
    reason,
    lineId,
    endsAt: co.o.endsAt,
    discount: discount?.kind == "amount" ? { kind: "amount", value: convert(r, discount.value) } : discount,
    items,
    action,
  };
}

/** The offer as shown, or why not. `full` false: the limit is reached, so only the reason
 *  matters (LIMIT_REACHED if it would have been shown) and no items are built. */
function build(r: State, co: CompiledOffer, full: boolean): ShownOffer | SkipReason {
  const { c, viewed, added, qtyByProduct } = r;
  const viewedId = viewed?.productId;
  const limit = (co.anchorShare || (co.kind == "cross_sell" || co.kind == "upsell" ? c.rs.shop.anchorShare || 0.3 : Infinity)) * r.anchorBase;
  const viewedHit = !!viewed && (!co.hasTrigger || co.viewedEpoch == r.epoch);
  // In the add-to-cart pop-up, only the line just added can trigger an offer.
  let hits = triggerLines(r, co);
  if (r.ctx.addedLineId) hits = added && (!co.hasTrigger || hits.includes(added)) ? [added] : NO_LINES;
  let fact;

  if (co.kind == "cross_sell" || co.kind == "upsell") {
    const upsell = co.kind == "upsell";
    if (!hits.length && (upsell || !viewedHit)) return "NO_TRIGGER";
    if ((fact = failed(r, co))) return `CONDITION_FAILED:${fact}`;
    // Why nothing is left, most telling last: 0 in cart, 1 unavailable, 2 over anchor.
    let why = 0;
    for (let h = 0; h < (upsell ? hits.length : 1); h++) {
      const parent = upsell ? hits[h] : undefined;
      // Allocated on the first item: most offers checked end up skipped.
      let items: OfferItem[] | undefined;
      for (let k = 0; k < co.variants.length && !(items?.length == MAX_ITEMS); k++) {
        const info = co.variants[k];
        const { id: v, productId } = info;
        if (upsell ? r.inCartVariants.has(v) : qtyByProduct.has(productId) || productId == viewedId || items?.some((i) => i.productId == productId)) continue;
        if (info.variant.available === false) {
          why ||= 1;
          continue;
        }
        const before = priceOf(r, info);
        const after = before - unitOff(r, before, co.discount);
        if ((parent ? (after - parent.unitPrice) * parent.quantity : after) > limit) {
          why = 2;
          continue;
        }
        if (!full) return "LIMIT_REACHED";
        const it = parent
          ? item(r, v, productId, parent.quantity, before, after, { kind: "replaceVariant", lineId: parent.id, variantId: v, offerId: co.id })
          : item(r, v, productId, 1, before, after, addLine(co, v, 1));
        if (parent) it.difference = after - parent.unitPrice;
        (items ||= []).push(it);
      }
      if (items) return offer(r, co, parent ? "UPGRADE" : co.hasTrigger ? "TRIGGERED" : "ALWAYS", items, co.discount, parent ? parent.id : co.hasTrigger ? hits[0]?.id : undefined);
    }
    return WHY_EMPTY[why];
  }

  if (co.kind == "bundle") {
    if (bundleSets(r, co)) return "EARNED";
    let present = false;
    for (const p of co.parts) present ||= qtyByProduct.has(p.productId) || p.productId == viewedId;
    if (!present || (r.ctx.addedLineId && !co.products.has(added?.productId!))) return "NO_TRIGGER";
    if ((fact = failed(r, co))) return `CONDITION_FAILED:${fact}`;
    const d = co.discount!;
    const items: OfferItem[] = [];
    const action: AddLines = { kind: "addLines", lines: [] };
    let viewedItem;
    let total = 0;
    for (const p of co.parts) {
      const quantity = p.quantity - (qtyByProduct.get(p.productId) || 0);
      if (quantity <= 0) continue;
      if (c.variants.get(p.variantId)!.variant.available === false) return "UNAVAILABLE";
      // The viewed product is "this item": the action adds it (as the selected variant),
      // the items list the rest (or only it, when it is all that is missing).
      const isViewed = p.productId == viewedId;
      const variantId = isViewed ? viewed!.variantId : p.variantId;
      const before = isViewed ? viewed!.unitPrice : priceOf(r, c.variants.get(variantId)!);
      const after = before - (d.kind == "percent" ? percentOf(before, d.value) : 0);
      total += after * quantity;
      action.lines.push({ variantId, quantity, offerId: co.id });
      const it = item(r, variantId, p.productId, quantity, before, after, addLine(co, variantId, quantity));
      isViewed ? (viewedItem = it) : items.push(it);
    }
    if (total > limit) return "OVER_ANCHOR";
    if (!full) return "LIMIT_REACHED";
    if (!items.length) items.push(viewedItem!);
    const s = offer(r, co, "BUNDLE_PARTIAL", items, d);
    s.action = action;
    return s;
  }

  // quantity_break: counts every matching line, offers more of the line in focus
  const qty = co.hasTrigger ? quantityOf(triggerLines(r, co)) : r.count;
  const focus = viewedHit ? viewed : hits[0];
  if (!focus) return "NO_TRIGGER";
  let next;
  for (const t of co.tiers) if (!next && t.quantity > qty) next = t;
  if (!next) return "EARNED";
  if ((fact = failed(r, co))) return `CONDITION_FAILED:${fact}`;
  const before = focus.unitPrice;
  const after = before - unitOff(r, before, next.discount);
  const quantity = next.quantity - qty;
  if (after * quantity > limit) return "OVER_ANCHOR";
  if (!full) return "LIMIT_REACHED";
  return offer(r, co, "NEXT_TIER", [item(r, focus.variantId, focus.productId, quantity, before, after, addLine(co, focus.variantId, quantity))], next.discount, focus == viewed ? undefined : hits[0].id);
}
