import { describe, expect, it } from "vitest";
import { evaluate, type ShownOffer } from "../../../app/engine";
import { toEngineCart } from "../../../storefront/cart";
import { aboutViewed, viewedFirst } from "../../../storefront/product-order";
import { ajaxCart, ids, item, ruleset } from "./fixtures";

const now = Date.parse("2026-11-24T12:00:00Z");

describe("the product page's order of offers", () => {
  it("puts the viewed product's offers before those another cart line triggered", () => {
    const cart = toEngineCart(ajaxCart([item(ids.phone64, { key: "k" })]));
    const burger = { productId: ids.product("classic-burger"), variantId: ids.burger, unitPrice: 950 };
    const ev = evaluate(ruleset, cart, { placement: "product", now, product: burger });
    const byEngine = ev.offers.map((o) => o.id);
    expect(byEngine).toContain("burger-meal");
    expect(byEngine[0]).not.toBe("burger-meal"); // the engine ranks by priority: the phone's offers first
    const ordered = viewedFirst(ev.offers, burger.productId, burger.variantId).map((o) => o.id);
    expect(ordered[0]).toBe("burger-meal");
    expect([...ordered].sort()).toEqual([...byEngine].sort());
  });

  it("tells a bundle, a quantity break and a cross-sell about the product on screen from a cart line's", () => {
    const offer = (o: Partial<ShownOffer>) => ({ id: "o", kind: "cross_sell", reason: "TRIGGERED", items: [], action: { kind: "addLines", lines: [] }, ...o }) as ShownOffer;
    expect(aboutViewed(offer({ lineId: "cart-line" }), "p", "v")).toBe(false);
    expect(aboutViewed(offer({}), "p", "v")).toBe(true);
    expect(aboutViewed(offer({ kind: "bundle", action: { kind: "addLines", lines: [{ variantId: "v", quantity: 1, offerId: "o" }] } }), "p", "v")).toBe(true);
    expect(aboutViewed(offer({ kind: "bundle", action: { kind: "addLines", lines: [{ variantId: "w", quantity: 1, offerId: "o" }] } }), "p", "v")).toBe(false);
    expect(aboutViewed(offer({ kind: "quantity_break", items: [{ productId: "p" } as never] }), "p", "v")).toBe(true);
  });
});
