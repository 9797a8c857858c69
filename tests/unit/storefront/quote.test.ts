import { describe, expect, it } from "vitest";
import type { Context } from "../../../app/engine";
import { toEngineCart } from "../../../storefront/cart";
import { quote } from "../../../storefront/quote";
import { ajaxCart, ids, item, ruleset } from "./fixtures";

const ctx: Context = { placement: "product", now: Date.parse("2026-11-24T12:00:00Z") };
const line = (variantId: string, productId: string, unitPrice: number, offerId?: string) => ({ variantId, productId, quantity: 1, unitPrice, ...(offerId ? { offerId } : {}) });

describe("quote (the engine prices what the shopper may add)", () => {
  const burger = line(ids.burger, ids.product("classic-burger"), 950, "burger-meal");
  const fries = line(ids.fries, ids.product("crispy-fries"), 350, "burger-meal");
  const drink = line(ids.drink, ids.product("fountain-drink"), 225, "burger-meal");

  it("gives the whole meal its 15% bundle discount", () => {
    // 15% of 950, 350, 225, each rounded half up: 143 + 53 + 34.
    expect(quote(ruleset, { currency: "USD", lines: [] }, ctx, [burger, fries, drink])).toEqual({ before: 1525, saving: 230, total: 1295 });
  });

  it("gives no saving for part of the bundle", () => {
    expect(quote(ruleset, { currency: "USD", lines: [] }, ctx, [burger, fries]).saving).toBe(0);
  });

  it("counts the saving on lines already in the cart when the additions complete the bundle", () => {
    const cart = toEngineCart(ajaxCart([item(ids.burger, { original_price: 950 })]));
    expect(quote(ruleset, cart, ctx, [fries, drink])).toEqual({ before: 575, saving: 230, total: 345 });
  });

  it("prices accessories with their offer discount when the phone comes too", () => {
    const phone = line(ids.phone64, ids.phone, 69900);
    const caseLine = line(ids.caseBlack, ids.product("aurora-phone-case"), 2900, "phone-accessories");
    expect(quote(ruleset, { currency: "USD", lines: [] }, ctx, [phone, caseLine])).toEqual({ before: 72800, saving: 290, total: 72510 });
  });
});
