// Cartlift's engine-bearing storefront script (assets/cartlift-app.js), loaded by the
// page-view loader on interaction or a cart change. It evaluates the live cart
// (/cart.js) with the offer engine and renders: the add-to-cart pop-up, the cart page's
// and the cart drawer's offers and bar, and the product page's bundles, frequently
// bought together and quantity tiers. Every decision is the engine's (or a pure module's
// in this folder); this file wires them to the DOM and the cart.
//
// Cart changes: through the theme's standard `Shopify.actions.updateCart` when the page
// has it (the theme refreshes its own cart UI), otherwise the Ajax Cart API followed by a
// Dawn-style section refresh, or a reload of the cart page. Lines carry the offer id as
// the hidden `_cartlift_offer` property, never a price.
import { DECLINED_CART_ATTRIBUTE, OFFER_LINE_PROPERTY, parseDeclined, withDeclined } from "../app/engine/cart";
import { parseRuleset } from "../app/engine/compile";
import { readTogether } from "../app/engine/together";
import { fbtShort, recommendedFrom } from "./together";
import { evaluate } from "../app/engine/evaluate";
import type { Cart, Context, Evaluation, Placement, QuantityBreakOffer, RecommendedProduct, Ruleset, ShownOffer, TogetherPick } from "../app/engine/types";
import type { AjaxAddItem, AjaxCart } from "./ajax-cart";
import { barGoals, barView, claimableGifts } from "./bar";
import { addedLine, shipsAnything, snapshot, toEngineCart, type CartSnapshot } from "./cart";
import { dismissalStore } from "./dismissals";
import { formatMinor, fromCents } from "./money";
import { planAction, type CartStep } from "./plan";
import { viewedFirst } from "./product-order";
import { quote, type QuoteLine } from "./quote";
import type { AppHost, Signal } from "./signals";
import { cartGroup, forGroup, groupFor, holdoutOf, GROUP_ATTRIBUTE } from "../app/analytics/holdout";
import { visitorId } from "./visitor";
import { offerEvents, placementOf, whenSeen } from "./events";
import { fill, resolveTexts, type Display } from "./texts";
import { barElement, offerCard, popupContent, selectionCard, tiersCard, type TierRow, type ViewEnv, type ViewedProduct } from "./views";
import { usableSelector } from "./selectors";

interface ProductFacts {
  productId: string;
  title: string;
  image?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  collectionIds?: string[];
  selected: string;
  variants: Record<string, { price: number; available: boolean; title: string }>;
  /** The product's frequently-bought-together metafield value. */
  together?: unknown;
}

const w = window as any;
const $$ = (selector: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(selector)];

export function start(host: AppHost): void {
  const config = host.config;
  const drawerSelector = usableSelector(config.drawer);
  const parsed = parseRuleset(config.ruleset);
  const mounts = () => $$("[data-cartlift-mount]");
  if (!parsed.ok) {
    // Fail closed: no offers; give back the room Liquid reserved.
    mounts().forEach((m) => m.getAttribute("data-cartlift-mount") != "bar" && (m.hidden = true));
    return;
  }
  const ruleset: Ruleset = parsed.ruleset;
  const cur = config.currency;
  const texts = resolveTexts(config.texts, (ruleset as { display?: Display }).display, config.locale, config.overrides);
  const money = (minor: number) => formatMinor(minor, cur, config.moneyFormat);
  const env: ViewEnv = { money, texts, locale: config.locale };
  const rate = cur == config.shopCurrency ? 1 : Number(w.Shopify?.currency?.rate) || undefined;
  const root: string = w.Shopify?.routes?.root || "/";
  const store = dismissalStore(w);

  let cart: AjaxCart | null = null;
  let seen: CartSnapshot = Object.fromEntries(config.cart.lines.map((k, i) => [k, config.cart.quantities[i]]));
  let busy = 0;
  let lastLines = 0;
  /** Variants the shopper unticked, per product-page offer. */
  const unticked = new Map<string, Set<string>>();
  /** What each rendered offer button does, by "<offer>:<what>": the page's widgets and
   *  the pop-up apart (the same offer may show in both). */
  let handlers = new Map<string, () => Promise<void>>();
  let popupHandlers = new Map<string, () => Promise<void>>();
  let popup: HTMLDialogElement | null = null;
  let popupState: { key: string; offers: ShownOffer[] } | null = null;

  // Frequently bought together: the mined lists Liquid put on the page (the cart's
  // products, the product on screen), and Shopify's recommendations once fetched.
  const together: Record<string, TogetherPick[]> = {};
  for (const id in config.together || {}) together[id] = readTogether(config.together![id]);
  const recommended: Record<string, RecommendedProduct[]> = {};
  const asked = new Set<string>();
  /** Fetches Shopify's recommendations for the anchors of a short fbt offer, once per
   *  product and page; renders again when they arrive. */
  function fillIn(ctx: Context, ev: Evaluation): void {
    if (!fbtShort(ruleset, ev, ctx.placement)) return;
    const lines = cart?.items || [];
    const added = ctx.addedLineId && lines.find((l) => l.key == ctx.addedLineId);
    const anchors = (ctx.product ? [ctx.product.productId] : added ? [String(added.product_id)] : [...new Set(lines.map((l) => String(l.product_id)))].slice(0, 3)).filter((a) => !asked.has(a));
    if (!anchors.length) return;
    anchors.forEach((a) => asked.add(a));
    const get = (id: string, intent: string) =>
      fetch(`${root}recommendations/products.json?product_id=${encodeURIComponent(id)}&limit=10&intent=${intent}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((json) => recommendedFrom(json, cur), () => []);
    Promise.all(anchors.map(async (a) => (recommended[a] = [...(await get(a, "complementary")), ...(await get(a, "related"))]))).then(() => {
      if (popup?.open && popupState) showPopup(popupState.key);
      else render();
    });
  }

  const context = (placement: Placement, extra: Partial<Context> = {}): Context => ({
    placement,
    now: Date.now(),
    together,
    recommended,
    customer: config.customer || undefined,
    country: config.country || undefined,
    rate,
    dismissed: declined(),
    ...extra,
  });
  /** Declined here (this browser) or anywhere this cart went (the cart attribute). */
  const declined = () => [...new Set([...store.list(), ...parseDeclined(cart?.attributes?.[DECLINED_CART_ATTRIBUTE])])];
  /** "No thanks": remembered in this browser and on the cart, so checkout agrees. */
  async function decline(ids: string[]): Promise<void> {
    store.add(ids);
    const value = withDeclined(cart?.attributes?.[DECLINED_CART_ATTRIBUTE], ids);
    if (cart) cart = { ...cart, attributes: { ...cart.attributes, [DECLINED_CART_ATTRIBUTE]: value } };
    render();
    if (cart?.items.length) await post("cart/update.js", { attributes: { [DECLINED_CART_ATTRIBUTE]: value } }).catch(() => undefined);
  }
  const engineCart = (): Cart => (cart ? toEngineCart(cart) : { currency: cur, lines: [] });

  // ---- the holdout ---------------------------------------------------------------------------
  // Decided here, with no call to Cartlift: held-out shoppers see no offers (nor the bar,
  // when the merchant says so). The group goes on the cart once it has items, so the
  // order carries it; a cart's group, once set, wins (app/analytics/holdout.ts).
  const holdout = holdoutOf((ruleset as { display?: unknown }).display);
  let group = groupFor({ customerId: config.customer?.id, visitorId: visitorId(w), share: holdout.share });
  let groupWrite: Promise<unknown> | undefined;
  const decide = (ctx: Context): Evaluation => {
    const ev = forGroup(evaluate(ruleset, engineCart(), ctx), group, holdout);
    fillIn(ctx, ev);
    return ev;
  };
  // Offer events for Cartlift's web pixel (Shopify.analytics.publish; storefront/events.ts).
  const events = offerEvents(w, () => group);
  const ids = (ev: Evaluation) => ev.offers.map((o) => o.id);
  function syncGroup(): void {
    if (!cart) return;
    const onCart = cartGroup(cart.attributes?.[GROUP_ATTRIBUTE]);
    if (onCart) group = onCart;
    else if (cart.item_count > 0 && cart.attributes && !groupWrite)
      groupWrite = post("cart/update.js", { attributes: { [GROUP_ATTRIBUTE]: group } }).then(
        (updated: AjaxCart) => cart && (cart.attributes = updated.attributes ?? { ...cart.attributes, [GROUP_ATTRIBUTE]: group }),
        () => (groupWrite = undefined),
      );
  }

  // ---- cart I/O ----------------------------------------------------------------------------
  const post = async (path: string, body: unknown) => {
    const res = await fetch(root + path, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(json.description || json.message || texts.error);
    return json;
  };
  async function refresh(): Promise<void> {
    const res = await fetch(root + "cart.js", { headers: { Accept: "application/json" } });
    cart = (await res.json()) as AjaxCart;
    render();
  }
  /** Without standard actions: reload the cart page (its lines and totals changed), or
   *  refresh a Dawn-like drawer through the Section Rendering API and tell the theme. */
  async function refreshTheme(): Promise<void> {
    const drawer = document.querySelector<any>("cart-drawer");
    if (/\/cart\/?$/.test(location.pathname)) location.reload();
    else if (drawer?.renderContents && w.publish) {
      const sections = await (await fetch(`${location.pathname}?sections=cart-drawer,cart-icon-bubble`)).json();
      drawer.renderContents({ sections });
      w.publish(w.PUB_SUB_EVENTS?.cartUpdate || "cart-update", { source: "cartlift" });
    }
  }
  async function run(steps: CartStep[], openCart = false): Promise<void> {
    if (!steps.length) return;
    const actions = w.Shopify?.actions;
    busy++;
    try {
      for (const step of steps) {
        if (step.kind == "remove") await post("cart/change.js", { id: step.key, quantity: 0 });
        else if (typeof actions?.updateCart == "function") {
          const lines = step.items.map((i) => ({
            merchandiseId: "gid://shopify/ProductVariant/" + i.id,
            quantity: i.quantity,
            attributes: Object.entries(i.properties || {}).map(([key, value]) => ({ key, value })),
          }));
          const result = await actions.updateCart({ lines });
          if (result?.userErrors?.length) throw new Error(result.userErrors[0].message);
        } else await post("cart/add.js", { items: step.items });
      }
      if (typeof actions?.updateCart != "function") await refreshTheme();
      if (openCart) actions?.openCart?.();
    } finally {
      busy--;
      await refresh();
    }
  }

  // ---- rendering ------------------------------------------------------------------------------
  /** Replaces a mount's content, keeping keyboard focus on the same control. */
  function patch(el: HTMLElement, nodes: Node[]): void {
    const active = document.activeElement as HTMLElement | null;
    const key = active && el.contains(active) ? active.getAttribute("data-cl-act") || active.getAttribute("data-cl-pick") || active.getAttribute("data-cl-dismiss") : null;
    const height = el.offsetHeight;
    el.replaceChildren(...nodes);
    el.setAttribute("data-rendered", "");
    if (el != popup) hold(el, height); // the pop-up floats: it moves nothing
    if (key) (el.querySelector<HTMLElement>(`[data-cl-act="${key}"],[data-cl-pick="${key}"],[data-cl-dismiss="${key}"]`) || el.querySelector<HTMLElement>("button,input"))?.focus();
  }
  /** A widget never shrinks under the shopper's eyes (no layout shift): while any of it
   *  is on screen it keeps its height, until it is scrolled out of view. Off screen it
   *  shrinks at once (below the fold nothing seen moves; above, scroll anchoring holds). */
  function hold(el: HTMLElement, height: number): void {
    if (el.offsetHeight >= height) return;
    const top = el.getBoundingClientRect().top;
    if (top >= innerHeight || top + height <= 0) return;
    el.style.minHeight = height + "px";
    const io = new IntersectionObserver(([e]) => {
      if (!e.isIntersecting) {
        el.style.minHeight = "";
        io.disconnect();
      }
    });
    io.observe(el);
  }

  const on = (offerId: string, what: string, fn: () => Promise<void>, map = handlers) => map.set(offerId + ":" + what, fn);

  /** Rows' buttons of a cart, drawer or pop-up offer. */
  function wire(offer: ShownOffer, afterAccept?: (steps: CartStep[]) => void, map = handlers): void {
    const accept = (action: ShownOffer["action"]) => async () => {
      const steps = planAction(action, cart!);
      await run(steps);
      afterAccept?.(steps);
    };
    offer.items.forEach((item, i) => on(offer.id, String(i), accept(item.action), map));
    on(offer.id, "all", accept(offer.action), map);
  }

  function barFor(ev: Evaluation, barTexts = texts): Node[] {
    const view = barView(barGoals(ev.freeShipping, ev.rewardTiers, shipsAnything(cart)), money, barTexts);
    const gifts = claimableGifts(ev.rewardTiers, engineCart());
    for (const g of gifts) on(g.id, "gift", () => run(planAction({ kind: "addLines", lines: [{ variantId: g.gift!, quantity: 1, offerId: g.id }] }, cart!)));
    return view ? [barElement(view, barTexts.bar_label || texts.bar_label, gifts, env)] : [];
  }

  /** What completing a bundle saves on the whole set: the engine's discount on the cart
   *  with the missing parts, less what the cart earns now. */
  const setSaving = (o: ShownOffer): number =>
    o.kind == "bundle"
      ? quote(ruleset, engineCart(), context("cart"), o.items.map((i) => ({ productId: i.productId, variantId: i.variantId, quantity: i.quantity, unitPrice: i.priceBefore, offerId: o.id }))).saving
      : 0;
  const card = (o: ShownOffer, heading?: string) => offerCard(o, env, heading, setSaving(o));

  function offerCards(ev: Evaluation, heading?: string): Node[] {
    ev.offers.forEach((o) => wire(o));
    return ev.offers.map((o) => card(o, heading));
  }

  /** Stops waiting for the drawer's offers to be seen (a newer render watches instead). */
  let drawerWatch: (() => void) | undefined;
  function renderCartMounts(): void {
    const cartEv = decide(context("cart"));
    for (const el of $$('[data-cartlift-mount="cart"]')) patch(el, cart?.items.length ? offerCards(cartEv, el.dataset.heading) : []);
    if (cart?.items.length && mounts().some((m) => m.getAttribute("data-cartlift-mount") == "cart")) events.impressions(ids(cartEv), "cart");
    for (const el of $$('[data-cartlift-mount="bar"]')) {
      const bar = el.querySelector<HTMLElement>("[data-cartlift-bar]");
      // The block's own texts (the merchant may have set them on the block).
      if (bar && !el.dataset.texts) {
        const d = bar.dataset;
        el.dataset.texts = JSON.stringify({ bar_away: d.away, bar_reached: d.reached, bar_away_reward: d.awayReward, bar_reached_reward: d.reachedReward, bar_label: bar.querySelector("[aria-label]")?.getAttribute("aria-label") });
      }
      patch(el, barFor(cartEv, { ...texts, ...JSON.parse(el.dataset.texts || "{}") }));
    }
    // The drawer: the theme re-renders it on every change, so the slot is re-added after
    // the drawer's scrolling contents each time.
    const anchor = drawerSelector ? document.querySelector<HTMLElement>(drawerSelector) : null;
    if (anchor && cart?.items.length) {
      let slot = anchor.querySelector<HTMLElement>(':scope > [data-cartlift-mount="drawer"]');
      if (!slot) {
        slot = document.createElement("div");
        slot.className = "cartlift cartlift-drawer";
        slot.setAttribute("data-cartlift-mount", "drawer");
        anchor.append(slot);
      }
      const ev = decide(context("drawer"));
      // One surface at a time: while the pop-up offers, the drawer's offers wait for it.
      patch(slot, [...barFor(ev), ...(popup?.open ? [] : offerCards(ev))]);
      // The theme renders its drawer closed too: its offers count once the shopper opens it.
      const shown = popup?.open ? [] : ids(ev);
      drawerWatch?.();
      drawerWatch = shown.length ? whenSeen(slot, () => events.impressions(shown, "drawer")) : undefined;
    }
  }

  // The block's facts are read once: rendering replaces the block's content.
  const factsOf = new WeakMap<HTMLElement, ProductFacts | null>();
  function productFacts(el: HTMLElement): ProductFacts | null {
    if (!factsOf.has(el)) {
      try {
        const facts: ProductFacts | null = JSON.parse(el.querySelector("[data-cartlift-product]")?.textContent || "null");
        if (facts && facts.together != null) together[facts.productId] = readTogether(facts.together);
        factsOf.set(el, facts);
      } catch {
        factsOf.set(el, null);
      }
    }
    return factsOf.get(el)!;
  }

  function renderProductMount(el: HTMLElement): void {
    const facts = productFacts(el);
    if (!facts) return;
    // Liquid's first view: what the shopper unticked before this script came is kept.
    if (!el.hasAttribute("data-rendered"))
      for (const box of $$("[data-cl-pick]", el) as HTMLInputElement[]) {
        const [offerId, variantId] = box.getAttribute("data-cl-pick")!.split(":");
        if (!box.checked) unticked.set(offerId, (unticked.get(offerId) || new Set()).add(variantId));
      }
    const form = document.querySelector<HTMLInputElement>('form[action*="/cart/add"] [name="id"]');
    const variantId = form?.value && facts.variants[form.value] ? form.value : facts.selected;
    const prices = Object.fromEntries(Object.entries(facts.variants).map(([id, v]) => [id, fromCents(v.price, cur)]));
    const unitPrice = prices[variantId];
    const product = { productId: facts.productId, variantId, unitPrice, tags: facts.tags, collectionIds: facts.collectionIds, vendor: facts.vendor, productType: facts.productType };
    const ctx = context("product", { product });
    const ev = decide(ctx);
    const variantTitle = facts.variants[variantId]?.title;
    const viewed: ViewedProduct = { productId: facts.productId, variantId, title: facts.title, variantTitle: variantTitle == "Default Title" ? undefined : variantTitle, image: facts.image, unitPrice };
    const self: QuoteLine = { ...product, quantity: 1 };
    // The viewed product's offers first; others (a cart line's) after them.
    const cards = viewedFirst(ev.offers, facts.productId, variantId).flatMap((offer): Node[] => {
      if (offer.kind == "quantity_break") return tiersView(offer, self, ctx);
      const bundle = offer.kind == "bundle";
      // "This item + these" only when the offer is about the product on screen: a
      // cross-sell a cart line triggered, or a bundle this product is not part of, shows
      // as a plain offer.
      const aboutThis = bundle ? offer.action.kind == "addLines" && offer.action.lines.some((l) => l.variantId == variantId) : offer.kind == "cross_sell" && !offer.lineId;
      if (!aboutThis) return offerCards({ ...ev, offers: [offer] }, el.dataset.heading);
      const off = unticked.get(offer.id) || new Set<string>();
      const picked = (v: string) => !off.has(v);
      const lines: QuoteLine[] = [
        ...(picked(variantId) ? [{ ...self, ...(bundle ? { offerId: offer.id } : {}) }] : []),
        ...offer.items.filter((i) => picked(i.variantId)).map((i) => ({ productId: i.productId, variantId: i.variantId, quantity: i.quantity, unitPrice: i.priceBefore, offerId: offer.id })),
      ];
      on(offer.id, "all", () => {
        const extra: AjaxAddItem[] = !bundle && picked(variantId) ? [{ id: Number(variantId), quantity: 1 }] : [];
        const action = offer.action.kind == "addLines" ? { ...offer.action, lines: offer.action.lines.filter((l) => picked(l.variantId) && (bundle || l.variantId != variantId)) } : offer.action;
        return run(planAction(action, cart!, extra), true);
      });
      const picks = [variantId, ...offer.items.map((i) => i.variantId)].map((v) => ({ variantId: v, checked: picked(v) }));
      // A bundle with a part unticked earns nothing: say what the whole set would save.
      const whole = bundle && off.size ? { count: picks.length, saving: quote(ruleset, engineCart(), ctx, [{ ...self, offerId: offer.id }, ...offer.items.map((i) => ({ productId: i.productId, variantId: i.variantId, quantity: i.quantity, unitPrice: i.priceBefore, offerId: offer.id }))]).saving } : undefined;
      return [selectionCard(offer, viewed, picks, quote(ruleset, engineCart(), ctx, lines), env, el.dataset.heading, whole)];
    });
    patch(el, cards);
    events.impressions(ids(ev), "product");
  }

  function tiersView(offer: ShownOffer, self: QuoteLine, ctx: Context): Node[] {
    const raw = ruleset.offers.find((o) => o.id == offer.id) as QuantityBreakOffer | undefined;
    const item = offer.items[0];
    if (!raw || !item) return [];
    // The engine offers `next − have` more units: recover `have` from the tier it chose.
    const tiers = raw.tiers;
    const have = tiers.map((t) => t.quantity - item.quantity).find((q, k) => q >= 0 && (k == 0 || tiers[k - 1].quantity <= q)) ?? 0;
    const unit = item.priceBefore;
    const rows: TierRow[] = tiers.map((tier, k) => {
      const q = quote(ruleset, { currency: cur, lines: [] }, ctx, [{ ...self, variantId: item.variantId, productId: item.productId, unitPrice: unit, quantity: tier.quantity }]);
      const each = Math.round(q.total / tier.quantity);
      const add = Math.max(0, tier.quantity - have);
      on(offer.id, "tier" + k, () => run(planAction({ kind: "addLines", lines: [{ variantId: item.variantId, quantity: add, offerId: offer.id }] }, cart!)));
      const label =
        tier.discount.kind == "percent"
          ? fill(texts.qty_tier, { quantity: tier.quantity, percent: tier.discount.value })
          : fill(texts.qty_tier_amount, { quantity: tier.quantity, amount: money(unit - each) });
      return { quantity: tier.quantity, add, label, each, before: unit };
    });
    return [tiersCard(offer, rows, env)];
  }

  // ---- the add-to-cart pop-up -------------------------------------------------------------------
  function showPopup(key: string): void {
    const line = cart?.items.find((i) => i.key == key);
    const ev = line ? decide(context("add_to_cart_popup", { addedLineId: key })) : null;
    if (!line || !ev?.offers.length) {
      closePopup(false);
      return;
    }
    if (!popup) {
      popup = document.createElement("dialog");
      popup.className = "cartlift cartlift-popup";
      popup.setAttribute("aria-labelledby", "cartlift-popup-title");
      // Escape: not now (nothing is declined). Its keyup goes on to the theme, so one Escape
      // takes the shopper back to the page (a drawer the theme opened closes with it).
      popup.addEventListener("cancel", () => closePopup(false));
      popup.addEventListener("click", (e) => {
        const t = e.target as HTMLElement;
        // ✕ and the backdrop: not now. "No thanks": the shopper declines what was offered.
        if (t == popup || t.closest("[data-cl-close]")) closePopup(false);
        else if (t.closest("[data-cl-decline]")) closePopup(true);
      });
      popup.addEventListener("click", onClick);
      // A modal <dialog> keeps focus out of the page, but Tab may still leave for the
      // browser's own UI: hold it inside.
      popup.addEventListener("keydown", (e) => {
        if (e.key != "Tab") return;
        const items = $$("button:not([disabled]),a[href],input:not([disabled])", popup!);
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey ? document.activeElement == first : document.activeElement == last) {
          e.preventDefault();
          (e.shiftKey ? last : first)?.focus();
        }
      });
      document.body.append(popup);
    }
    popupState = { key, offers: ev.offers };
    popupHandlers = new Map();
    ev.offers.forEach((o) =>
      wire(
        o,
        (steps) => {
          // Follow the line: an upgrade replaced it.
          const added = steps.find((s) => s.kind == "add") as Extract<CartStep, { kind: "add" }> | undefined;
          const next = o.kind == "upsell" && added ? cart?.items.find((i) => String(i.variant_id) == String(added.items[0].id) && i.properties?.[OFFER_LINE_PROPERTY] == o.id)?.key : key;
          if (popup?.open) showPopup(next || key);
        },
        popupHandlers,
      ),
    );
    const cards = ev.offers.map((o) => card(o));
    const firstOpen = !popup.open;
    patch(popup, popupContent({ title: line.product_title, variantTitle: line.variant_title, image: line.image, quantity: line.quantity }, cards, env, root + "cart"));
    events.impressions(ids(ev), "add_to_cart_popup");
    if (firstOpen) {
      popup.showModal();
      popup.querySelector<HTMLElement>(".cartlift-button")?.focus();
      render(); // the drawer's offers now wait
    }
  }
  function closePopup(declineOffers: boolean): void {
    const shown = popupState?.offers.map((o) => o.id) ?? [];
    popupState = null;
    if (popup?.open) popup.close();
    if (declineOffers && shown.length) {
      shown.forEach((id) => events.dismiss(id, "add_to_cart_popup"));
      decline(shown);
    }
    else render();
  }

  async function onAdd(variantId?: string, settled?: AjaxCart): Promise<void> {
    const before = seen;
    if (settled) {
      cart = settled;
      render();
    } else await refresh();
    if (!cart || !config.popup) return;
    const key = addedLine(before, cart, variantId) || cart.items.find((i) => String(i.variant_id) == variantId)?.key;
    if (key) showPopup(key);
  }

  // ---- events -----------------------------------------------------------------------------------
  async function onClick(e: Event): Promise<void> {
    const t = e.target as HTMLElement;
    const act = t.closest<HTMLButtonElement>("[data-cl-act]");
    const dismiss = t.closest<HTMLElement>("[data-cl-dismiss]");
    if (act && !act.disabled) {
      const key = act.getAttribute("data-cl-act")!;
      const fn = (popup?.contains(act) ? popupHandlers : handlers).get(key);
      if (!fn) {
        // A button Liquid rendered (a reward's gift), clicked after this script started but
        // before its first render registered the handlers: wait for the cart, then click the
        // button that render put in its place, so the shopper's click is never lost.
        if (!cart) {
          await refresh();
          document.querySelector<HTMLElement>(`[data-cl-act="${CSS.escape(key)}"]`)?.click();
        }
        return;
      }
      act.disabled = true;
      act.setAttribute("aria-busy", "true");
      const offerId = key.split(":")[0];
      const placement = placementOf(act);
      events.click(offerId, placement);
      try {
        await fn();
        events.accept(offerId, placement);
      } catch (error) {
        act.disabled = false;
        act.removeAttribute("aria-busy");
        status((error as Error).message || texts.error);
      }
    } else if (dismiss) {
      const id = dismiss.getAttribute("data-cl-dismiss")!;
      events.dismiss(id, placementOf(dismiss));
      if (popupState) popupState.offers = popupState.offers.filter((o) => o.id != id);
      await decline([id]);
      if (popup?.open && popupState) showPopup(popupState.key);
    }
  }
  function onPick(e: Event): void {
    const box = (e.target as HTMLElement).closest<HTMLInputElement>("[data-cl-pick]");
    if (!box) return;
    const [offerId, variantId] = box.getAttribute("data-cl-pick")!.split(":");
    const off = unticked.get(offerId) || new Set<string>();
    box.checked ? off.delete(variantId) : off.add(variantId);
    unticked.set(offerId, off);
    renderProducts();
  }
  let live: HTMLElement | null = null;
  function status(message: string): void {
    if (!live) {
      live = document.createElement("div");
      live.className = "cartlift cartlift-live";
      live.setAttribute("role", "alert");
      document.body.append(live);
    }
    live.textContent = message;
    setTimeout(() => live && (live.textContent = ""), 6000);
  }

  const renderProducts = () => $$('[data-cartlift-mount="product"]').forEach(renderProductMount);
  function render(): void {
    syncGroup();
    if (cart) events.session(); // the cart's group, once known, is the visitor's
    handlers = new Map();
    renderProducts();
    renderCartMounts();
    seen = cart ? snapshot(cart) : seen;
  }

  document.addEventListener("click", (e) => {
    if (!popup?.contains(e.target as Node)) onClick(e);
  });
  document.addEventListener("change", (e) => {
    const t = e.target as HTMLElement;
    if (t.matches("[data-cl-pick]")) onPick(e);
    else if (t.matches('[name="id"]') && t.closest('form[action*="/cart/add"]')) renderProducts();
  });
  // Themes re-render their cart sections after changes: fill new mounts (and the drawer).
  let queued = false;
  new MutationObserver(() => {
    if (queued || busy) return;
    const drawer = !!cart?.items.length && !!drawerSelector && document.querySelector(drawerSelector);
    const stale = mounts().some((m) => !m.hasAttribute("data-rendered")) || (drawer && !drawer.querySelector('[data-cartlift-mount="drawer"]'));
    if (!stale) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  }).observe(document.body, { childList: true, subtree: true });

  host.listen(async (s: Signal) => {
    if (busy) return; // our own change: `run` refreshes when it is done
    if (s.kind == "interaction") {
      if (!cart) await refresh();
    } else if (s.kind == "click") {
      if (!cart) await refresh();
      document.querySelector<HTMLElement>(`[data-cl-act="${CSS.escape(s.act)}"]`)?.click();
    } else if (s.kind == "lines") {
      lastLines = Date.now();
      const result = (await Promise.resolve(s.promise).catch(() => undefined)) as { cart?: AjaxCart } | undefined;
      // Themes whose promise resolves with the Ajax cart save a request.
      const settled = result?.cart && Array.isArray(result.cart.items) && typeof result.cart.total_price == "number" ? result.cart : undefined;
      // A shopper adding from a product (page, card, quick add) opens the pop-up; cart edits
      // and actions called by apps only re-evaluate.
      if (s.action == "add" && (s.context == "product" || s.context == "dialog")) await onAdd(s.variantId, settled);
      else if (settled) {
        cart = settled;
        render();
      } else await refresh();
    } else if (Date.now() - lastLines > 2000) {
      // Dawn's publish, from a theme without standard events.
      if (s.source == "product-form") await onAdd(s.variantId);
      else if (s.source != "cartlift") await refresh();
    }
  });
}
