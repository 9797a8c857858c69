// HTML for Cartlift's storefront widgets, from the engine's evaluation. Pure string
// building (testable without a DOM); every text is escaped. Buttons name what they do in
// data attributes the script wires up: `data-cl-act="<offer>:<item|all>"`,
// `data-cl-dismiss="<offer>"`, checkboxes `data-cl-pick="<offer>:<variant>"`.
// Accessibility: every control has a name, prices say which is the sale price, the bar
// is a labelled progressbar, rows have fixed heights (the Liquid reserve matches them).
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

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);

/** Shopify CDN sizing parameter; relative and absolute URLs alike. */
export const sized = (url: string | undefined, width: number): string =>
  url ? url + (url.includes("?") ? "&" : "?") + "width=" + width : "";

const t = (env: ViewEnv, key: string, vars: Record<string, string | number> = {}) => esc(fill(env.texts[key] || key, vars));

export function priceHtml(before: number, after: number, env: ViewEnv): string {
  if (after >= before) return `<span class="cartlift-prices"><span class="cartlift-price">${esc(env.money(after))}</span></span>`;
  return (
    `<span class="cartlift-prices"><span class="cartlift-price cartlift-price--sale"><span class="cartlift-sr">${t(env, "sale_price")}</span>${esc(env.money(after))}</span>` +
    ` <s class="cartlift-price--was"><span class="cartlift-sr">${t(env, "regular_price")}</span>${esc(env.money(before))}</s></span>`
  );
}

const image = (url: string | undefined, alt = "") =>
  url ? `<img class="cartlift-row__image" src="${esc(sized(url, 120))}" alt="${esc(alt)}" width="48" height="48" loading="lazy">` : `<span class="cartlift-row__image" aria-hidden="true"></span>`;

const itemName = (i: { title?: string; variantTitle?: string }) => [i.title, i.variantTitle].filter(Boolean).join(" – ");

/** What to show for an offered item: its snapshot's title, variant title and image (the
 *  variant's, else the product's). */
export const display = (item: OfferItem) => ({
  title: item.product?.title,
  variantTitle: item.variant?.title,
  image: item.variant?.image || item.product?.image,
});

/** A limited-time offer's real end, as the time left ("Offer ends in 2 days"). */
export function endsHtml(offer: ShownOffer, env: ViewEnv): string {
  if (!offer.endsAt) return "";
  const time = timeLeft(offer.endsAt, env.now ?? Date.now(), env.locale);
  return `<p class="cartlift-card__ends"><time datetime="${esc(offer.endsAt)}">${t(env, "ends", { time })}</time></p>`;
}

function row(offer: ShownOffer, item: OfferItem, index: number, env: ViewEnv, button = true): string {
  const name = itemName(display(item));
  const upsell = offer.kind == "upsell" && item.difference !== undefined;
  // A bundle's part at its own price: the saving is the whole set's, said on its button.
  const after = offer.kind == "bundle" ? item.priceBefore : item.priceAfter;
  const price = upsell
    ? `<span class="cartlift-price">${t(env, item.difference! >= 0 ? "upgrade_for" : "upgrade_save", { amount: env.money(Math.abs(item.difference! * item.quantity)) })}</span>`
    : priceHtml(item.priceBefore * item.quantity, after * item.quantity, env);
  const label = upsell ? t(env, "upgrade") : t(env, "add");
  const aria = upsell ? "" : ` aria-label="${t(env, "add_named", { title: name })}"`;
  return (
    `<li class="cartlift-row">${image(display(item).image)}` +
    `<span class="cartlift-row__text"><span class="cartlift-row__title">${item.quantity > 1 ? item.quantity + " × " : ""}${esc(name)}</span>${price}</span>` +
    (button ? `<button type="button" class="cartlift-button" data-cl-act="${esc(offer.id)}:${index}"${aria}>${label}</button>` : "") +
    `</li>`
  );
}

/** A cart, drawer or pop-up offer: a card of rows, each with its own button. A bundle
 *  (completing a set partly in the cart) has one button, saying what completing the
 *  whole set saves (`setSaving`, the engine's discount on the set, cart minor units). */
export function offerCard(offer: ShownOffer, env: ViewEnv, heading?: string, setSaving = 0): string {
  const title = offer.title || heading || env.texts[offer.kind == "upsell" ? "upgrade_heading" : offer.kind == "bundle" ? "bundle_heading" : "offers_heading"];
  const id = "cartlift-h-" + offer.id.replace(/[^\w-]/g, "_");
  const bundle = offer.kind == "bundle";
  // A bundle is accepted whole (its discount needs every part): one button for all.
  const rows = offer.items.map((item, i) => row(offer, item, i, env, !bundle)).join("");
  const all = bundle
    ? `<button type="button" class="cartlift-button cartlift-button--primary cartlift-card__all" data-cl-act="${esc(offer.id)}:all">${setSaving > 0 ? t(env, "complete_to_save", { amount: env.money(setSaving) }) : t(env, "add_all")}</button>`
    : "";
  return (
    `<section class="cartlift-card" aria-labelledby="${id}" data-offer="${esc(offer.id)}">` +
    `<div class="cartlift-card__head"><h3 class="cartlift-card__title" id="${id}">${esc(title)}</h3>` +
    // An explicit decline, in words: a bare × reads as "close", which is only "not now".
    `<button type="button" class="cartlift-card__dismiss" data-cl-dismiss="${esc(offer.id)}" aria-label="${t(env, "dismiss_named", { title })}">${t(env, "no_thanks")}</button></div>` +
    endsHtml(offer, env) +
    `<ul class="cartlift-card__items" role="list">${rows}</ul>${all}</section>`
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
): string {
  const title = heading || offer.title || env.texts[offer.kind == "bundle" ? "bundle_heading" : "fbt_heading"];
  const id = "cartlift-h-" + offer.id.replace(/[^\w-]/g, "_");
  const checked = (v: string) => picks.find((p) => p.variantId == v)?.checked !== false;
  // Rows show offer prices only when the selection earns them (a bundle needs every part);
  // "this item" then carries the rest of the engine's saving.
  const earns = total.saving > 0;
  const items = offer.items.map((i) => ({ variantId: i.variantId, name: itemName(display(i)), image: display(i).image, quantity: i.quantity, before: i.priceBefore, after: earns ? i.priceAfter : i.priceBefore, self: false }));
  const itemsAfter = items.reduce((s, i) => s + (checked(i.variantId) ? i.after * i.quantity : 0), 0);
  const selfAfter = earns && checked(viewed.variantId) ? Math.min(viewed.unitPrice, total.total - itemsAfter) : viewed.unitPrice;
  const entries = [{ variantId: viewed.variantId, name: itemName(viewed), image: viewed.image, quantity: 1, before: viewed.unitPrice, after: selfAfter, self: true }, ...items];
  const rows = entries
    .map((e) => {
      const box = `cartlift-${id}-${e.variantId}`;
      return (
        `<li class="cartlift-row"><input type="checkbox" class="cartlift-check" id="${box}" data-cl-pick="${esc(offer.id)}:${esc(e.variantId)}"${checked(e.variantId) ? " checked" : ""}>` +
        `<label class="cartlift-row__label" for="${box}"><span class="cartlift-sr">${t(env, "select_item", { title: e.name })}</span></label>` +
        image(e.image) +
        `<span class="cartlift-row__text"><span class="cartlift-row__title">${e.self ? `<strong>${t(env, "this_item")}:</strong> ` : ""}${e.quantity > 1 ? e.quantity + " × " : ""}${esc(e.name)}</span>${priceHtml(e.before * e.quantity, e.after * e.quantity, env)}</span></li>`
      );
    })
    .join("");
  const count = entries.filter((e) => checked(e.variantId)).length;
  const allChecked = count == entries.length;
  return (
    `<section class="cartlift-card cartlift-card--select" aria-labelledby="${id}" data-offer="${esc(offer.id)}">` +
    `<div class="cartlift-card__head"><h3 class="cartlift-card__title" id="${id}">${esc(title)}</h3></div>` +
    endsHtml(offer, env) +
    `<ul class="cartlift-card__items" role="list">${rows}</ul>` +
    `<div class="cartlift-card__foot"><p class="cartlift-card__total" aria-live="polite"><span>${t(env, "total")}: ${priceHtml(total.before, total.total, env)}</span>` +
    (total.saving > 0
      ? ` <span class="cartlift-card__saving">${t(env, "saving", { amount: env.money(total.saving) })}</span>`
      : whole && whole.saving > 0 && !allChecked
        ? ` <span class="cartlift-card__saving">${t(env, "add_all_to_save", { count: whole.count, amount: env.money(whole.saving) })}</span>`
        : "") +
    `</p><button type="button" class="cartlift-button cartlift-button--primary cartlift-card__all" data-cl-act="${esc(offer.id)}:all"${count ? "" : " disabled"}>${t(env, allChecked ? "add_all" : "add_selected")}</button></div></section>`
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

function eachHtml(tier: TierRow, env: ViewEnv): string {
  const each = t(env, "qty_each", { amount: env.money(tier.each) });
  if (tier.each >= tier.before) return `<span class="cartlift-prices"><span class="cartlift-price">${each}</span></span>`;
  return (
    `<span class="cartlift-prices"><span class="cartlift-price cartlift-price--sale"><span class="cartlift-sr">${t(env, "sale_price")}</span>${each}</span>` +
    ` <s class="cartlift-price--was"><span class="cartlift-sr">${t(env, "regular_price")}</span>${esc(env.money(tier.before))}</s></span>`
  );
}

/** Product page / cart: quantity-break tiers, each with its own "Add n" button. */
export function tiersCard(offer: ShownOffer, tiers: TierRow[], env: ViewEnv, heading?: string): string {
  const title = heading || offer.title || env.texts.qty_heading;
  const id = "cartlift-h-" + offer.id.replace(/[^\w-]/g, "_");
  const rows = tiers
    .map(
      (tier, i) =>
        `<li class="cartlift-row"><span class="cartlift-row__badge" aria-hidden="true">${tier.quantity}×</span>` +
        `<span class="cartlift-row__text"><span class="cartlift-row__title">${esc(tier.label)}</span>${eachHtml(tier, env)}</span>` +
        `<button type="button" class="cartlift-button" data-cl-act="${esc(offer.id)}:tier${i}"${tier.add ? "" : " disabled"}>${tier.add ? t(env, "qty_add", { quantity: tier.add }) : t(env, "added")}</button></li>`,
    )
    .join("");
  return (
    `<section class="cartlift-card" aria-labelledby="${id}" data-offer="${esc(offer.id)}">` +
    `<div class="cartlift-card__head"><h3 class="cartlift-card__title" id="${id}">${esc(title)}</h3></div>` +
    endsHtml(offer, env) +
    `<ul class="cartlift-card__items" role="list">${rows}</ul></section>`
  );
}

/** The bar, in the same markup as the Liquid snippet `cartlift-bar`; with a button for
 *  each free gift the shopper has earned and not yet added. */
export function barHtml(view: BarView, label: string, gifts: { id: string; label: string }[] = [], env?: ViewEnv): string {
  const pct = Math.floor(view.progress * 100);
  const claim = gifts
    .map((g) => `<button type="button" class="cartlift-button cartlift-button--primary cartlift-bar__gift" data-cl-act="${esc(g.id)}:gift">${env ? t(env, "claim_gift", { reward: g.label }) : esc(g.label)}</button>`)
    .join("");
  return (
    `<div class="cartlift-bar${view.reached ? " cartlift-bar--reached" : ""}" data-cartlift-bar>` +
    `<p class="cartlift-bar__message" role="status">${esc(view.message)}</p>` +
    `<div class="cartlift-bar__track" role="progressbar" aria-label="${esc(label)}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}"><span class="cartlift-bar__fill" style="width: ${pct}%"></span></div>${claim}</div>`
  );
}

export interface AddedLine {
  title: string;
  variantTitle?: string | null;
  image?: string | null;
  quantity: number;
}

/** The add-to-cart pop-up's content (inside a <dialog>). */
export function popupHtml(added: AddedLine, cards: string, env: ViewEnv, cartUrl: string): string {
  return (
    `<div class="cartlift-popup__head"><h2 class="cartlift-popup__title" id="cartlift-popup-title">${t(env, "popup_title")}</h2>` +
    `<button type="button" class="cartlift-popup__close" data-cl-close aria-label="${t(env, "close")}"><span aria-hidden="true">×</span></button></div>` +
    `<div class="cartlift-popup__added">${image(added.image ?? undefined)}<span class="cartlift-row__text"><span class="cartlift-row__title">${added.quantity > 1 ? added.quantity + " × " : ""}${esc(itemName({ title: added.title, variantTitle: added.variantTitle ?? undefined }))}</span></span></div>` +
    `<div class="cartlift-popup__offers">${cards}</div>` +
    `<div class="cartlift-popup__foot"><button type="button" class="cartlift-button cartlift-button--secondary" data-cl-decline>${t(env, "no_thanks")}</button>` +
    `<a class="cartlift-button cartlift-button--primary" href="${esc(cartUrl)}">${t(env, "view_cart")}</a></div>`
  );
}
