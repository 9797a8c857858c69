// Evaluate: decides, for one cart, shopper and placement, which offers to show (in order),
// the free-shipping and reward progress, and the discounts the cart earns as it is.
//
// Invariants:
// - Never throws. An invalid ruleset, cart or context, or a cart in another currency
//   without a rate, yields no offers and no discounts, only diagnostics (fail closed).
// - Deterministic: same input, same output (order: priority desc, then offer id).
// - Shown offers: at most `shop.maxOffers` (default 3), at most 3 items each; never a
//   product already in the cart (an upsell: never a variant in the cart); never a
//   dismissed offer; never outside its schedule; never an add-on above the anchor share.
// - Discounts are re-derived from the ruleset and the cart's products, never from a price
//   a buyer supplied; placement and dismissal do not affect them (the discount function
//   has neither). Each is > 0 and ≤ its line total; a line gets one discount, the largest
//   (ties: the first found, in the order offer line → bundle → quantity break → gift).
// - Goals (free shipping, reward tiers) measure the subtotal after these discounts and
//   without the gift units, so a gift never helps reach its own tier.
import type {
  Cart,
  CartDiscount,
  CartLine,
  Context,
  CrossSellOffer,
  Evaluation,
  OfferAction,
  OfferDiscount,
  OfferItem,
  ShownOffer,
  SkipReason,
  Goal,
  GoalProgress,
  RewardProgress,
  Ruleset,
} from "./types";
import { compiled, matchTriggers, type Compiled, type CompiledOffer } from "./compile";
import { cartSpec, contextSpec, validate } from "./schema";
import { failedFact, type Facts } from "./conditions";
import { convertMinor, convertThreshold, percentOf } from "./money";

const MAX_ITEMS = 3;
type LineDiscount = Extract<CartDiscount, { kind: "lineDiscount" }>;

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
      const cartErrors = validate(cartSpec, cart);
      const contextErrors = cartErrors.length ? [] : validate(contextSpec, context);
      // The first problem is enough: a surface's cart builder is either right or wrong.
      if (cartErrors[0]) out.diagnostics.push({ code: "INVALID_CART", ...cartErrors[0] });
      else if (contextErrors[0]) out.diagnostics.push({ code: "INVALID_CONTEXT", ...contextErrors[0] });
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
    out.diagnostics.push({ code: "MISSING_RATE", path: "rate", message: `needed to convert ${shop.currency} to ${cur}` });
    return;
  }
  const convert = (amount: number) => convertMinor(amount, shop.currency, cur, rate);
  const { lines } = cart;
  const { now, product: viewed, addedLineId } = ctx;

  let subtotal = 0;
  let count = 0;
  const qtyByProduct = new Map<string, number>();
  const linesByProduct = new Map<string, CartLine[]>();
  const inCartVariants = new Set<string>();
  const matches = new Map<CompiledOffer, CartLine[]>();
  for (const l of lines) {
    subtotal += l.unitPrice * l.quantity;
    count += l.quantity;
    qtyByProduct.set(l.productId, (qtyByProduct.get(l.productId) || 0) + l.quantity);
    const same = linesByProduct.get(l.productId);
    same ? same.push(l) : linesByProduct.set(l.productId, [l]);
    inCartVariants.add(l.variantId);
    // A line of a product the offer itself offers is not its parent (no self-triggering).
    matchTriggers(c, l, (co) => {
      if (co.o.kind == "cross_sell" && co.products.has(l.productId)) return;
      const hits = matches.get(co);
      if (!hits) matches.set(co, [l]);
      else if (hits[hits.length - 1] != l) hits.push(l);
    });
  }
  const viewedHits = new Set<CompiledOffer>();
  if (viewed) matchTriggers(c, viewed, (co) => (co.o.kind == "cross_sell" && co.products.has(viewed.productId)) || viewedHits.add(co));

  const facts: Facts = { subtotal, itemCount: count, ctx, convert };
  const failed = (co: CompiledOffer) => co.o.conditions && failedFact(co.o.conditions, facts);
  const live = (co: CompiledOffer) => now >= co.start && now < co.end && !failed(co);
  /** Lines matching the trigger; an offer without one matches every line. */
  const triggerLines = (co: CompiledOffer) => (co.hasTrigger ? matches.get(co) || [] : lines);
  const unitOff = (price: number, d?: OfferDiscount) =>
    !d ? 0 : d.kind == "percent" ? percentOf(price, d.value) : Math.min(price, convert(d.value));
  const priceOf = (variantId: string) =>
    ctx.prices && Object.hasOwn(ctx.prices, variantId) ? ctx.prices[variantId] : convert(c.variants.get(variantId)!.variant.price);

  // ---- discounts the cart earns as it is -------------------------------------------
  const best = new Map<string, LineDiscount>();
  const give = (l: CartLine, offerId: string, source: LineDiscount["source"], amount: number, message: string) => {
    amount = Math.min(amount, l.unitPrice * l.quantity);
    const had = best.get(l.id);
    if (amount > 0 && (!had || amount > had.amount)) best.set(l.id, { kind: "lineDiscount", lineId: l.id, offerId, source, amount, message });
  };
  for (const l of lines) {
    const co = l.offerId ? c.byId.get(l.offerId) : undefined;
    if (!co) continue;
    const o = co.o;
    // The parent must still be in the cart: removing it removes the discount. An upsell's
    // parent is the line it replaced, so the upgraded variant itself is the proof.
    const earned =
      o.kind == "cross_sell"
        ? co.products.has(l.productId) && (!co.hasTrigger || matches.has(co))
        : o.kind == "upsell" && co.variants.has(l.variantId);
    const discount = (o as CrossSellOffer).discount;
    if (earned && discount && live(co))
      give(l, o.id, "offer", unitOff(l.unitPrice, discount) * l.quantity, o.title || "Special offer");
  }
  for (const co of c.offers) {
    const o = co.o;
    if (o.kind == "bundle") {
      const sets = bundleSets(co, c, qtyByProduct);
      if (!sets || !live(co)) continue;
      let pool = convert(o.discount.value) * sets; // amount discounts are per complete set
      for (const comp of o.components) {
        let units = (comp.quantity || 1) * sets;
        for (const l of linesByProduct.get(c.variants.get(comp.variantId)!.productId)!) {
          const take = Math.min(units, l.quantity);
          units -= take;
          let amount = l.unitPrice * take;
          if (o.discount.kind == "percent") amount = percentOf(l.unitPrice, o.discount.value) * take;
          else pool -= amount = Math.min(pool, amount);
          give(l, o.id, "bundle", amount, o.title || "Bundle discount");
        }
      }
    } else if (o.kind == "quantity_break") {
      const hits = triggerLines(co);
      const qty = hits.reduce((s, l) => s + l.quantity, 0);
      const tier = o.tiers.filter((t) => t.quantity <= qty).pop();
      if (tier && live(co))
        for (const l of hits) give(l, o.id, "quantity_break", unitOff(l.unitPrice, tier.discount) * l.quantity, o.title || "Volume discount");
    }
  }

  // ---- goals -------------------------------------------------------------------------
  const gifts = new Set(shop.rewardTiers?.map((t) => t.gift));
  let base = 0;
  for (const l of lines) {
    const left = l.unitPrice * l.quantity - (best.get(l.id)?.amount || 0);
    base += left - (gifts.has(l.variantId) ? Math.min(l.unitPrice, left) : 0);
  }
  const progress = (g: Goal): GoalProgress => {
    const threshold = g.amounts && Object.hasOwn(g.amounts, cur) ? g.amounts[cur] : convertThreshold(g.amount, shop.currency, cur, rate);
    return { threshold, remaining: Math.max(0, threshold - base), progress: Math.min(1, base / threshold), reached: base >= threshold };
  };
  if (shop.freeShipping) out.freeShipping = progress(shop.freeShipping);
  for (const t of shop.rewardTiers || []) {
    const tier = { id: t.id, label: t.label, ...progress(t) } as RewardProgress;
    if (t.gift) {
      tier.gift = t.gift;
      const line = lines.find((l) => l.variantId == t.gift);
      if (tier.reached && line) give(line, t.id, "gift", line.unitPrice, t.label);
      if (tier.reached && !line && c.variants.get(t.gift)!.variant.available !== false)
        tier.action = { kind: "addLines", lines: [{ variantId: t.gift, quantity: 1, offerId: t.id }] };
    }
    out.rewardTiers.push(tier);
  }
  for (const l of lines) {
    const d = best.get(l.id);
    if (d) out.discounts.push(d);
  }
  if (out.freeShipping?.reached) out.discounts.push({ kind: "freeShipping", message: "Free shipping" });

  // ---- offers to show ----------------------------------------------------------------
  const dismissed = new Set(ctx.dismissed);
  // The shopper is weighing the cart plus the product on screen.
  const anchorBase = subtotal + (viewed && !qtyByProduct.has(viewed.productId) ? viewed.unitPrice : 0);
  const shown: [CompiledOffer, ShownOffer][] = [];

  // Absent optional fields are left undefined (JSON drops them).
  const item = (variantId: string, productId: string, quantity: number, priceBefore: number, priceAfter: number, action: OfferAction): OfferItem => {
    const { product, variant } = c.variants.get(variantId) || {};
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
  };

  const build = (co: CompiledOffer): ShownOffer | SkipReason => {
    const o = co.o;
    const offer = (reason: ShownOffer["reason"], items: OfferItem[], discount?: OfferDiscount, lineId?: string): ShownOffer => {
      const s: ShownOffer = {
        id: o.id,
        kind: o.kind,
        title: o.title,
        reason,
        lineId,
        endsAt: o.endsAt,
        discount: discount?.kind == "amount" ? { kind: "amount", value: convert(discount.value) } : discount,
        items,
        action: items[0].action,
      };
      if (o.kind != "upsell" && items.length > 1)
        s.action = { kind: "addLines", lines: items.flatMap((i) => (i.action.kind == "addLines" ? i.action.lines : [])) };
      return s;
    };
    const addLine = (variantId: string, quantity: number): OfferAction => ({ kind: "addLines", lines: [{ variantId, quantity, offerId: o.id }] });
    const share = o.anchorShare || (o.kind == "cross_sell" || o.kind == "upsell" ? shop.anchorShare || 0.3 : Infinity);
    const limit = share * anchorBase;
    let hits = triggerLines(co);
    const viewedHit = !!viewed && (!co.hasTrigger || viewedHits.has(co));
    const added = addedLineId ? hits.find((l) => l.id == addedLineId) : undefined;
    if (addedLineId) hits = added ? [added] : [];

    if (o.kind == "cross_sell" || o.kind == "upsell") {
      const upsell = o.kind == "upsell";
      if (!hits.length && (upsell || !viewedHit)) return "NO_TRIGGER";
      const fact = failed(co);
      if (fact) return `CONDITION_FAILED:${fact}`;
      // Why nothing is left, most telling last: 0 in cart, 1 unavailable, 2 over anchor.
      let why = 0;
      for (const parent of upsell ? hits : [undefined]) {
        const items: OfferItem[] = [];
        const productsSeen = new Set<string>();
        for (const v of o.variants) {
          const { productId, variant } = c.variants.get(v)!;
          if (upsell ? inCartVariants.has(v) : qtyByProduct.has(productId) || productId == viewed?.productId || productsSeen.has(productId)) continue;
          if (variant.available === false) {
            why ||= 1;
            continue;
          }
          const before = priceOf(v);
          const after = before - unitOff(before, o.discount);
          const added = parent ? (after - parent.unitPrice) * parent.quantity : after;
          if (added > limit) {
            why = 2;
            continue;
          }
          productsSeen.add(productId);
          const it = parent
            ? item(v, productId, parent.quantity, before, after, { kind: "replaceVariant", lineId: parent.id, variantId: v, offerId: o.id })
            : item(v, productId, 1, before, after, addLine(v, 1));
          if (parent) it.difference = after - parent.unitPrice;
          if (items.push(it) == MAX_ITEMS) break;
        }
        if (items.length)
          return offer(parent ? "UPGRADE" : co.hasTrigger ? "TRIGGERED" : "ALWAYS", items, o.discount, parent ? parent.id : co.hasTrigger ? hits[0]?.id : undefined);
      }
      return (["ALREADY_IN_CART", "UNAVAILABLE", "OVER_ANCHOR"] as const)[why];
    }

    if (o.kind == "bundle") {
      if (bundleSets(co, c, qtyByProduct)) return "EARNED";
      const missing: { variantId: string; productId: string; quantity: number }[] = [];
      let present = false;
      for (const comp of o.components) {
        const productId = c.variants.get(comp.variantId)!.productId;
        const have = qtyByProduct.get(productId) || 0;
        const need = (comp.quantity || 1) - have;
        present ||= have > 0 || productId == viewed?.productId;
        if (need > 0) missing.push({ variantId: productId == viewed?.productId ? viewed.variantId : comp.variantId, productId, quantity: need });
      }
      // In the add-to-cart pop-up, only the line just added can make it relevant.
      if (!present || (addedLineId && !co.products.has(added?.productId!))) return "NO_TRIGGER";
      const fact = failed(co);
      if (fact) return `CONDITION_FAILED:${fact}`;
      const items: OfferItem[] = [];
      const lines: { variantId: string; quantity: number; offerId: string }[] = [];
      let total = 0;
      for (const m of missing) {
        const info = c.variants.get(m.variantId);
        if (info && info.variant.available === false) return "UNAVAILABLE";
        const before = m.productId == viewed?.productId ? viewed.unitPrice : priceOf(m.variantId);
        const after = before - (o.discount.kind == "percent" ? percentOf(before, o.discount.value) : 0);
        total += after * m.quantity;
        lines.push({ variantId: m.variantId, quantity: m.quantity, offerId: o.id });
        // The viewed product is "this item": the action adds it, the items list the rest.
        if (m.productId != viewed?.productId) items.push(item(m.variantId, m.productId, m.quantity, before, after, addLine(m.variantId, m.quantity)));
      }
      if (total > limit) return "OVER_ANCHOR";
      if (!items.length) return "NO_TRIGGER";
      const s = offer("BUNDLE_PARTIAL", items, o.discount);
      s.action = { kind: "addLines", lines };
      return s;
    }

    // quantity_break: counts every matching line, offers more of the line in focus
    const all = triggerLines(co);
    const qty = all.reduce((s, l) => s + l.quantity, 0);
    const focus = viewedHit ? viewed : added || all[0];
    if (!focus || (addedLineId && !added)) return "NO_TRIGGER";
    const next = o.tiers.find((t) => t.quantity > qty);
    if (!next) return "EARNED";
    const fact = failed(co);
    if (fact) return `CONDITION_FAILED:${fact}`;
    const before = focus.unitPrice;
    const after = before - unitOff(before, next.discount);
    const quantity = next.quantity - qty;
    if (after * quantity > limit) return "OVER_ANCHOR";
    return offer("NEXT_TIER", [item(focus.variantId, focus.productId, quantity, before, after, addLine(focus.variantId, quantity))], next.discount, added?.id);
  };

  for (const co of c.offers) {
    const o = co.o;
    const r =
      o.placements && !o.placements.includes(ctx.placement)
        ? "PLACEMENT"
        : dismissed.has(o.id)
          ? "DISMISSED"
          : now < co.start
            ? "NOT_STARTED"
            : now >= co.end
              ? "ENDED"
              : build(co);
    if (typeof r == "string") out.skipped.push({ offerId: o.id, reason: r });
    else shown.push([co, r]);
  }
  shown.sort(([a], [b]) => (b.o.priority || 0) - (a.o.priority || 0) || (a.o.id < b.o.id ? -1 : 1));
  shown.forEach(([co, s], i) => (i < (shop.maxOffers || 3) ? out.offers.push(s) : out.skipped.push({ offerId: co.o.id, reason: "LIMIT_REACHED" })));
}

/** Complete sets of a bundle in the cart (any variant of a component's product counts). */
function bundleSets(co: CompiledOffer, c: Compiled, qtyByProduct: Map<string, number>): number {
  let sets = Infinity;
  if (co.o.kind == "bundle")
    for (const comp of co.o.components)
      sets = Math.min(sets, Math.floor((qtyByProduct.get(c.variants.get(comp.variantId)!.productId) || 0) / (comp.quantity || 1)));
  return sets;
}
