// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../app/engine";
import { toEngineCart } from "../../../storefront/cart";
import { formatMinor } from "../../../storefront/money";
import { resolveTexts, timeLeft } from "../../../storefront/texts";
import { barElement, offerCard as offerNode, popupContent, proof, selectionCard as selectionNode, type ViewEnv } from "../../../storefront/views";

// The views build DOM; the assertions read its serialization.
const offerCard = (...a: Parameters<typeof offerNode>) => offerNode(...a).outerHTML;
const selectionCard = (...a: Parameters<typeof selectionNode>) => selectionNode(...a).outerHTML;
const barHtml = (...a: Parameters<typeof barElement>) => barElement(...a).outerHTML;
const popupHtml = (...a: Parameters<typeof popupContent>) => popupContent(...a).map((n) => n.outerHTML).join("");
import { ajaxCart, ids, item, ruleset } from "./fixtures";

const env: ViewEnv = {
  money: (m) => formatMinor(m, "USD", "${{amount}}"),
  locale: "en",
  texts: {
    offers_heading: "Goes well with your cart", add: "Add", add_named: "Add {title} to cart", upgrade: "Upgrade", upgrade_for: "for {amount} more", upgrade_save: "and save {amount}",
    dismiss_named: "Hide offer: {title}", sale_price: "Sale price", regular_price: "Regular price", add_all: "Add all to cart", add_selected: "Add selected to cart",
    total: "Total price", saving: "You save {amount}", this_item: "This item", select_item: "Include {title}", fbt_heading: "Frequently bought together", bundle_heading: "Buy it as a bundle",
    add_all_to_save: "Add all {count} to save {amount}", complete_to_save: "Complete the set and save {amount}",
    popup_title: "Added to your cart", close: "Close", no_thanks: "No thanks", view_cart: "View cart", ends: "Offer ends in {time}",
  },
  now: Date.parse("2026-11-24T12:00:00Z"),
};
const now = Date.parse("2026-11-24T12:00:00Z");
const phoneCart = toEngineCart(ajaxCart([item(ids.phone64, { key: "k" })]));
const popupOffers = evaluate(ruleset, phoneCart, { placement: "add_to_cart_popup", now, addedLineId: "k" }).offers;

describe("offer cards", () => {
  it("name every control: a labelled region, named add buttons, a named dismiss button", () => {
    const html = offerCard(popupOffers[1], env);
    expect(html).toMatch(/<section class="cartlift-card" aria-labelledby="cartlift-h-phone-accessories"/);
    expect(html).toContain('id="cartlift-h-phone-accessories">Protect and power your phone</h3>');
    expect(html).toContain('aria-label="Add Aurora Phone Case – Black to cart"');
    expect(html).toContain('aria-label="Hide offer: Protect and power your phone"');
    expect(html).toContain('data-cl-act="phone-accessories:0"');
  });

  it("say which price is the sale price", () => {
    expect(offerCard(popupOffers[1], env)).toContain('<span class="cartlift-sr">Sale price</span>$26.10</span> <s class="cartlift-price--was"><span class="cartlift-sr">Regular price</span>$29.00</s>');
  });

  it("show an upgrade as the difference in price", () => {
    const html = offerCard(popupOffers[0], env);
    expect(html).toContain("Aurora Phone – 128 GB");
    expect(html).toContain("for $100.00 more");
    expect(html).toContain(">Upgrade</button>");
  });

  it("keep what the merchant and the catalog wrote as text: titles with markup build no elements", () => {
    const evil = '<img src=x onerror="alert(1)">';
    const offer = { ...popupOffers[1], title: evil, items: popupOffers[1].items.map((i) => ({ ...i, product: { ...i.product!, title: evil } })) };
    const el = offerNode(offer, env);
    expect(el.querySelectorAll("img:not(.cartlift-row__image)")).toHaveLength(0);
    expect(el.querySelector("h3")!.textContent).toBe(evil);
    expect(el.querySelector(".cartlift-row__title")!.textContent).toBe(evil + " – Black");
    expect(el.querySelector("[data-cl-dismiss]")!.getAttribute("aria-label")).toBe(`Hide offer: ${evil}`);
    const viewed = { productId: ids.phone, variantId: ids.phone64, title: evil, unitPrice: 69900 };
    const select = selectionNode(offer, viewed, [], { before: 1, total: 1, saving: 0 }, env);
    expect(select.querySelectorAll("img:not(.cartlift-row__image)")).toHaveLength(0);
    expect(select.querySelector(".cartlift-row__title")!.textContent).toBe(`This item: ${evil}`);
    const popup = popupContent({ title: evil, quantity: 1 }, [el], env, "/cart");
    expect(popup.flatMap((n) => [...n.querySelectorAll("img:not(.cartlift-row__image)")])).toHaveLength(0);
    expect(popup[1].textContent).toBe(evil);
  });

  it("show a limited-time offer's real end as the time left", () => {
    expect(offerCard({ ...popupOffers[1], endsAt: "2026-12-01T18:00:00Z" }, env)).toContain('<time datetime="2026-12-01T18:00:00Z">Offer ends in 7 days</time>');
  });
});

describe("the product page selection card", () => {
  const ev = evaluate(ruleset, { currency: "USD", lines: [] }, { placement: "product", now, product: { productId: ids.product("classic-burger"), variantId: ids.burger, unitPrice: 950 } });
  const bundle = ev.offers.find((o) => o.kind == "bundle")!;
  const viewed = { productId: ids.product("classic-burger"), variantId: ids.burger, title: "Classic Burger", unitPrice: 950 };

  it("prices this item with the rest of the bundle's saving when the whole bundle is picked", () => {
    const html = selectionCard(bundle, viewed, [], { before: 1525, total: 1295, saving: 230 }, env);
    expect(html).toContain("<strong>This item:</strong> Classic Burger");
    expect(html).toContain("$8.07"); // 1295 − 297 − 191
    expect(html).toContain("You save $2.30");
    expect(html).toContain(">Add all to cart</button>");
  });

  it("drops offer prices and says 'add selected' when part is unticked", () => {
    const html = selectionCard(bundle, viewed, [{ variantId: ids.drink, checked: false }], { before: 1300, total: 1300, saving: 0 }, env);
    expect(html).not.toContain("You save");
    expect(html).not.toContain("cartlift-price--sale");
    expect(html).toContain(">Add selected to cart</button>");
    expect(html).toMatch(new RegExp(`data-cl-pick="burger-meal:${ids.drink}">`));
  });
});

describe("bundles say what is at stake", () => {
  const ev = evaluate(ruleset, { currency: "USD", lines: [] }, { placement: "product", now, product: { productId: ids.product("classic-burger"), variantId: ids.burger, unitPrice: 950 } });
  const bundle = ev.offers.find((o) => o.kind == "bundle")!;
  const viewed = { productId: ids.product("classic-burger"), variantId: ids.burger, title: "Classic Burger", unitPrice: 950 };

  it("a partial selection says what adding all of the set would save", () => {
    const html = selectionCard(bundle, viewed, [{ variantId: ids.drink, checked: false }], { before: 1300, total: 1300, saving: 0 }, env, undefined, { count: 3, saving: 230 });
    expect(html).toContain('<span class="cartlift-card__saving">Add all 3 to save $2.30</span>');
    expect(html).toContain(">Add selected to cart</button>");
  });

  it("a bundle offered to complete a set shows its part at its own price and the whole set's saving on its button", () => {
    const cart = toEngineCart(ajaxCart([item(ids.burger, { key: "b" }), item(ids.fries, { key: "f" })]));
    const offer = evaluate(ruleset, cart, { placement: "cart", now }).offers.find((o) => o.kind == "bundle")!;
    const html = offerCard(offer, env, undefined, 230);
    expect(html).toContain(">Complete the set and save $2.30</button>");
    expect(html).not.toContain("cartlift-price--sale");
    expect(html).toContain("$2.25");
  });
});

describe("bar and pop-up", () => {
  it("the bar is a labelled progressbar with a live message", () => {
    expect(barHtml({ message: "You're $25.00 away from free shipping", progress: 2 / 3, reached: false }, "Progress")).toBe(
      '<div class="cartlift-bar" data-cartlift-bar=""><p class="cartlift-bar__message" role="status">You\'re $25.00 away from free shipping</p><div class="cartlift-bar__track" role="progressbar" aria-label="Progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="66"><span class="cartlift-bar__fill" style="width: 66%"></span></div></div>',
    );
  });

  it("the pop-up names itself, offers a close button and a way to the cart", () => {
    const html = popupHtml({ title: "Aurora Phone", variantTitle: "64 GB", quantity: 1 }, [], env, "/cart");
    expect(html).toContain('<h2 class="cartlift-popup__title" id="cartlift-popup-title">Added to your cart</h2>');
    expect(html).toContain('data-cl-close="" aria-label="Close"');
    expect(html).toContain('href="/cart"');
  });
});

describe("texts", () => {
  const locale = { offers_heading: "Goes well with your cart", bar_away: "You're {amount} away from free shipping", no_thanks: "No thanks" };
  it("layers the extension's locale, the merchant's published texts and the theme editor's", () => {
    const display = { texts: { "pt-BR": { offersHeading: "Combina com", freeShippingProgress: "Faltam {amount}", dismiss: "" } } };
    expect(resolveTexts(locale, display, "pt-BR", { offers_heading: "Do tema", bar_away: null })).toEqual({
      offers_heading: "Do tema",
      bar_away: "Faltam {amount}",
      no_thanks: "No thanks",
    });
    expect(resolveTexts(locale, undefined, "en")).toEqual(locale);
  });

  it("says how long an offer has left, in the shopper's language", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(timeLeft("2026-11-26T13:00:00Z", now, "en")).toBe("2 days");
    expect(timeLeft("2026-11-24T17:30:00Z", now, "en")).toBe("5 hours");
    expect(timeLeft("2026-11-24T12:11:10Z", now, "en")).toBe("12 minutes");
    expect(timeLeft("2026-11-26T13:00:00Z", now, "es")).toBe("2 días");
  });
});

describe("social proof", () => {
  it("shows only what is true: the count when the engine gives one, the rating when the product has one", () => {
    const proofEnv: ViewEnv = { ...env, texts: { ...env.texts, proof: "Bought together {times} times this month", rating: "Rated {rating} out of 5 from {reviews} reviews" } };
    const base = { productId: "1", variantId: "11", quantity: 1, priceBefore: 100, priceAfter: 100, action: { kind: "addLines" as const, lines: [] } };
    expect(proof(base, proofEnv)).toBeNull();
    const el = proof({ ...base, proof: 12, product: { title: "Case", handle: "case", rating: { value: 4.6, count: 128 }, variants: {} } }, proofEnv)!;
    expect(el.className).toBe("cartlift-row__proof");
    expect(el.textContent).toBe("Bought together 12 times this month · ★ 4.6 (128)Rated 4.6 out of 5 from 128 reviews");
    expect(el.querySelector('[aria-hidden="true"]')!.textContent).toBe("★ 4.6 (128)");
    const ratingOnly = proof({ ...base, product: { title: "Case", handle: "case", rating: { value: 4, count: 3 }, variants: {} } }, proofEnv)!;
    expect(ratingOnly.textContent).not.toContain("Bought together");
  });
});
