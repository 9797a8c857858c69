// Cartlift's storefront widgets as DOM, from the engine's evaluation. Built with
// document.createElement and text nodes (`h()` below), never from HTML strings: whatever a
// merchant or a catalog wrote (a title with `<img onerror>`) stays text. Buttons name what
// they do in data attributes the script wires up: `data-cl-act="<offer>:<item|all>"`,
// `data-cl-dismiss="<offer>"`, checkboxes `data-cl-pick="<offer>:<variant>"`.
// Accessibility: every control has a name, prices say which is the sale price, the bar
// is a labelled progressbar, rows have fixed heights (the Liquid first view matches them:
// snippets/cartlift-product-view.liquid renders this same markup).
import type { OfferItem, ShownOffer } from "../app/engine/types";
import type { BarView } from "./bar";
import { fill, timeLeft, type Texts } from "./texts";

export interface ViewEnv {
  money: (minor: number) => string;
  texts: Texts;
  locale: string;
  /** Epoch ms (tests fix it). */
  now?: number;
}

/** Something `h()` appends: a node, text (never parsed as HTML), or nothing. */
export type Child = Node | string | number | null | undefined | false | Child[];

/** An element with attributes (`true`: present and empty; null/false/undefined: absent)
 *  and children appended as nodes or text. */
export function h(tag: string, attrs?: Record<string, string | number | boolean | null | undefined> | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (value != null && value !== false) el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}
const append = (el: Node & ParentNode, children: Child[]): void => {
  for (const c of children) if (Array.isArray(c)) append(el, c);
  else if (c != null && c !== false) el.append(typeof c == "number" ? String(c) : c);
};

/** Shopify CDN sizing parameter; relative and absolute URLs alike. */
export const sized = (url: string | undefined, width: number): string =>
  url ? url + (url.includes("?") ? "&" : "?") + "width=" + width : "";

const t = (env: ViewEnv, key: string, vars: Record<string, string | number> = {}) => fill(env.texts[key] || key, vars);
const sr = (text: string) => h("span", { class: "cartlift-sr" }, text);

/** A price, or a sale price beside the regular one (each named for screen readers). */
function prices(before: number, after: number, env: ViewEnv, shown = env.money(after)): HTMLElement {
  if (after >= before) return h("span", { class: "cartlift-prices" }, h("span", { class: "cartlift-price" }, shown));
  return h(
    "span",
    { class: "cartlift-prices" },
    h("span", { class: "cartlift-price cartlift-price--sale" }, sr(t(env, "sale_price")), shown),
    " ",
    h("s", { class: "cartlift-price--was" }, sr(t(env, "regular_price")), env.money(before)),
  );
}

const image = (url: string | undefined | null) =>
  url ? h("img", { class: "cartlift-row__image", src: sized(url, 120), alt: "", width: 48, height: 48, loading: "lazy" }) : h("span", { class: "cartlift-row__image", "aria-hidden": "true" });

const itemName = (i: { title?: string; variantTitle?: string }) => [i.title, i.variantTitle].filter(Boolean).join(" – ");
const times = (quantity: number) => (quantity > 1 ? quantity + " × " : "");
const headingId = (offer: ShownOffer) => "cartlift-h-" + offer.id.replace(/[^\w-]/g, "_");
const head = (id: string, title: string, ...rest: Child[]) =>
  h("div", { class: "cartlift-card__head" }, h("h3", { class: "cartlift-card__title", id }, title), ...rest);
const card = (offer: ShownOffer, id: string, extra: string, ...children: Child[]) =>
  h("section", { class: "cartlift-card" + extra, "aria-labelledby": id, "data-offer": offer.id }, ...children);
const list = (rows: Child[]) => h("ul", { class: "cartlift-card__items", role: "list" }, rows);
const button = (cls: string, act: string, label: string, extra: Record<string, string | boolean | undefined> = {}) =>
  h("button", { type: "button", class: "cartlift-button" + cls, "data-cl-act": act, ...extra }, label);

/** What to show for an offered item: its snapshot's title, variant title and image (the
 *  variant's, else the product's). */
export const display = (item: OfferItem) => ({
  title: item.product?.title,
  variantTitle: item.variant?.title,
  image: item.variant?.image || item.product?.image,
});

/** A limited-time offer's real end, as the time left ("Offer ends in 2 days"). */
export function ends(offer: ShownOffer, env: ViewEnv): HTMLElement | null {
  if (!offer.endsAt) return null;
  const time = timeLeft(offer.endsAt, env.now ?? Date.now(), env.locale);
  return h("p", { class: "cartlift-card__ends" }, h("time", { datetime: offer.endsAt }, t(env, "ends", { time })));
}

/** Social proof, only what is true: the co-purchase count this month (the engine gives
 *  `proof` only above the merchant's threshold) and the product's rating from its
 *  reviews metafields. Null when there is neither. */
export function proof(item: OfferItem, env: ViewEnv): HTMLElement | null {
  const rating = item.product?.rating;
  const parts: Child[] = [];
  if (item.proof) parts.push(h("span", null, t(env, "proof", { times: item.proof })));
  if (rating) {
    const value = rating.value.toFixed(1);
    if (parts.length) parts.push(" · ");
    parts.push(h("span", null, h("span", { "aria-hidden": "true" }, `★ ${value} (${rating.count})`), sr(t(env, "rating", { rating: value, reviews: rating.count }))));
  }
  return parts.length ? h("span", { class: "cartlift-row__proof" }, ...parts) : null;
}

function row(offer: ShownOffer, item: OfferItem, index: number, env: ViewEnv, withButton = true): HTMLElement {
  const name = itemName(display(item));
  const upsell = offer.kind == "upsell" && item.difference !== undefined;
  // A bundle's part at its own price: the saving is the whole set's, said on its button.
  const after = offer.kind == "bundle" ? item.priceBefore : item.priceAfter;
  const price = upsell
    ? h("span", { class: "cartlift-price" }, t(env, item.difference! >= 0 ? "upgrade_for" : "upgrade_save", { amount: env.money(Math.abs(item.difference! * item.quantity)) }))
    : prices(item.priceBefore * item.quantity, after * item.quantity, env);
  return h(
    "li",
    { class: "cartlift-row" },
    image(display(item).image),
    h("span", { class: "cartlift-row__text" }, h("span", { class: "cartlift-row__title" }, times(item.quantity) + name), price, proof(item, env)),
    withButton && button("", `${offer.id}:${index}`, upsell ? t(env, "upgrade") : t(env, "add"), { "aria-label": upsell ? undefined : t(env, "add_named", { title: name }) }),
  );
}

/** A cart, drawer or pop-up offer: a card of rows, each with its own button. A bundle
 *  (completing a set partly in the cart) has one button, saying what completing the
 *  whole set saves (`setSaving`, the engine's discount on the set, cart minor units). */
export function offerCard(offer: ShownOffer, env: ViewEnv, heading?: string, setSaving = 0): HTMLElement {
  const title = offer.title || heading || env.texts[offer.kind == "upsell" ? "upgrade_heading" : offer.kind == "bundle" ? "bundle_heading" : "offers_heading"];
  const id = headingId(offer);
  const bundle = offer.kind == "bundle";
  return card(
    offer,
    id,
    "",
    // An explicit decline, in words: a bare × reads as "close", which is only "not now".
    head(id, title, h("button", { type: "button", class: "cartlift-card__dismiss", "data-cl-dismiss": offer.id, "aria-label": t(env, "dismiss_named", { title }) }, t(env, "no_thanks"))),
    ends(offer, env),
    // A bundle is accepted whole (its discount needs every part): one button for all.
    list(offer.items.map((item, i) => row(offer, item, i, env, !bundle))),
    bundle && button(" cartlift-button--primary cartlift-card__all", offer.id + ":all", setSaving > 0 ? t(env, "complete_to_save", { amount: env.money(setSaving) }) : t(env, "add_all")),
  );
}

export interface ViewedProduct {
  productId: string;
  variantId: string;
  title: string;
  variantTitle?: string;
  image?: string;
  unitPrice: number;
}

export interface Pick {
  variantId: string;
  checked: boolean;
}

/** Product page: frequently bought together (a cross-sell) or a bundle, with checkboxes.
 *  `whole`: what the whole selection would save, said when a partial one saves nothing
 *  ("Add all 3 to save $2.30": unticking a bundle's part drops its discount). */
export function selectionCard(
  offer: ShownOffer,
  viewed: ViewedProduct,
  picks: Pick[],
  total: { before: number; total: number; saving: number },
  env: ViewEnv,
  heading?: string,
  whole?: { count: number; saving: number },
): HTMLElement {
  const title = heading || offer.title || env.texts[offer.kind == "bundle" ? "bundle_heading" : "fbt_heading"];
  const id = headingId(offer);
  const checked = (v: string) => picks.find((p) => p.variantId == v)?.checked !== false;
  // Rows show offer prices only when the selection earns them (a bundle needs every part);
  // "this item" then carries the rest of the engine's saving.
  const earns = total.saving > 0;
  const items = offer.items.map((i) => ({ variantId: i.variantId, name: itemName(display(i)), image: display(i).image, quantity: i.quantity, before: i.priceBefore, after: earns ? i.priceAfter : i.priceBefore, self: false, proof: proof(i, env) }));
  const itemsAfter = items.reduce((s, i) => s + (checked(i.variantId) ? i.after * i.quantity : 0), 0);
  const selfAfter = earns && checked(viewed.variantId) ? Math.min(viewed.unitPrice, total.total - itemsAfter) : viewed.unitPrice;
  const entries = [{ variantId: viewed.variantId, name: itemName(viewed), image: viewed.image, quantity: 1, before: viewed.unitPrice, after: selfAfter, self: true, proof: null as HTMLElement | null }, ...items];
  const rows = entries.map((e) => {
    const box = `cartlift-${id}-${e.variantId}`;
    return h(
      "li",
      { class: "cartlift-row" },
      h("input", { type: "checkbox", class: "cartlift-check", id: box, "data-cl-pick": `${offer.id}:${e.variantId}`, checked: checked(e.variantId) }),
      h("label", { class: "cartlift-row__label", for: box }, sr(t(env, "select_item", { title: e.name }))),
      image(e.image),
      h(
        "span",
        { class: "cartlift-row__text" },
        h("span", { class: "cartlift-row__title" }, e.self && [h("strong", null, t(env, "this_item") + ":"), " "], times(e.quantity) + e.name),
        prices(e.before * e.quantity, e.after * e.quantity, env),
        e.proof,
      ),
    );
  });
  const count = entries.filter((e) => checked(e.variantId)).length;
  const allChecked = count == entries.length;
  const saving =
    total.saving > 0
      ? t(env, "saving", { amount: env.money(total.saving) })
      : whole && whole.saving > 0 && !allChecked
        ? t(env, "add_all_to_save", { count: whole.count, amount: env.money(whole.saving) })
        : "";
  return card(
    offer,
    id,
    " cartlift-card--select",
    head(id, title),
    ends(offer, env),
    list(rows),
    h(
      "div",
      { class: "cartlift-card__foot" },
      h(
        "p",
        { class: "cartlift-card__total", "aria-live": "polite" },
        h("span", null, t(env, "total") + ": ", prices(total.before, total.total, env)),
        saving && [" ", h("span", { class: "cartlift-card__saving" }, saving)],
      ),
      button(" cartlift-button--primary cartlift-card__all", offer.id + ":all", t(env, allChecked ? "add_all" : "add_selected"), { disabled: !count }),
    ),
  );
}

export interface TierRow {
  quantity: number;
  /** Units to add to reach the tier; 0: reached. */
  add: number;
  label: string;
  /** Per-unit price at this tier. */
  each: number;
  before: number;
}

/** Product page / cart: quantity-break tiers, each with its own "Add n" button. */
export function tiersCard(offer: ShownOffer, tiers: TierRow[], env: ViewEnv, heading?: string): HTMLElement {
  const title = heading || offer.title || env.texts.qty_heading;
  const id = headingId(offer);
  const rows = tiers.map((tier, i) =>
    h(
      "li",
      { class: "cartlift-row" },
      h("span", { class: "cartlift-row__badge", "aria-hidden": "true" }, tier.quantity + "×"),
      h("span", { class: "cartlift-row__text" }, h("span", { class: "cartlift-row__title" }, tier.label), prices(tier.before, tier.each, env, t(env, "qty_each", { amount: env.money(tier.each) }))),
      button("", `${offer.id}:tier${i}`, tier.add ? t(env, "qty_add", { quantity: tier.add }) : t(env, "added"), { disabled: !tier.add }),
    ),
  );
  return card(offer, id, "", head(id, title), ends(offer, env), list(rows));
}

/** The bar, in the same markup as the Liquid snippet `cartlift-bar`; with a button for
 *  each free gift the shopper has earned and not yet added. */
export function barElement(view: BarView, label: string, gifts: { id: string; label: string }[] = [], env?: ViewEnv): HTMLElement {
  const pct = Math.floor(view.progress * 100);
  return h(
    "div",
    { class: "cartlift-bar" + (view.reached ? " cartlift-bar--reached" : ""), "data-cartlift-bar": true },
    h("p", { class: "cartlift-bar__message", role: "status" }, view.message),
    h(
      "div",
      { class: "cartlift-bar__track", role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": pct },
      h("span", { class: "cartlift-bar__fill", style: `width: ${pct}%` }),
    ),
    gifts.map((g) => button(" cartlift-button--primary cartlift-bar__gift", g.id + ":gift", env ? t(env, "claim_gift", { reward: g.label }) : g.label)),
  );
}

export interface AddedLine {
  title: string;
  variantTitle?: string | null;
  image?: string | null;
  quantity: number;
}

/** The add-to-cart pop-up's content (inside a <dialog>). */
export function popupContent(added: AddedLine, cards: Child[], env: ViewEnv, cartUrl: string): HTMLElement[] {
  return [
    h(
      "div",
      { class: "cartlift-popup__head" },
      h("h2", { class: "cartlift-popup__title", id: "cartlift-popup-title" }, t(env, "popup_title")),
      h("button", { type: "button", class: "cartlift-popup__close", "data-cl-close": true, "aria-label": t(env, "close") }, h("span", { "aria-hidden": "true" }, "×")),
    ),
    h(
      "div",
      { class: "cartlift-popup__added" },
      image(added.image),
      h("span", { class: "cartlift-row__text" }, h("span", { class: "cartlift-row__title" }, times(added.quantity) + itemName({ title: added.title, variantTitle: added.variantTitle ?? undefined }))),
    ),
    h("div", { class: "cartlift-popup__offers" }, cards),
    h(
      "div",
      { class: "cartlift-popup__foot" },
      h("button", { type: "button", class: "cartlift-button cartlift-button--secondary", "data-cl-decline": true }, t(env, "no_thanks")),
      h("a", { class: "cartlift-button cartlift-button--primary", href: cartUrl }, t(env, "view_cart")),
    ),
  ];
}
