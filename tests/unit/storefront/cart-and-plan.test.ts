import { describe, expect, it } from "vitest";
import { addedLine, snapshot, toEngineCart } from "../../../storefront/cart";
import { planAction } from "../../../storefront/plan";
import { ajaxCart, ids, item } from "./fixtures";

describe("toEngineCart", () => {
  it("reads cart.js into engine lines: keys as ids, prices before discounts in minor units, the offer property", () => {
    const cart = ajaxCart([item(ids.caseBlack, { key: "k1", original_price: 2900, final_price: 2610, properties: { _cartlift_offer: "phone-accessories", Engraving: "A" } })]);
    expect(toEngineCart(cart)).toEqual({
      currency: "USD",
      lines: [{ id: "k1", productId: ids.product("aurora-phone-case"), variantId: ids.caseBlack, quantity: 1, unitPrice: 2900, vendor: "Vendor", productType: "Type", offerId: "phone-accessories" }],
    });
  });

  it("turns JPY cents back into yen", () => {
    const cart = ajaxCart([item(ids.charger, { original_price: 378800 })], "JPY");
    expect(toEngineCart(cart).lines[0].unitPrice).toBe(3788);
  });
});

describe("addedLine", () => {
  it("names the line that grew, preferring the variant the theme reported", () => {
    const before = snapshot(ajaxCart([item(ids.caseBlack, { key: "case" })]));
    const after = ajaxCart([item(ids.phone64, { key: "phone" }), item(ids.caseBlack, { key: "case", quantity: 2 })]);
    expect(addedLine(before, after, ids.caseBlack)).toBe("case");
    expect(addedLine(before, after, ids.phone64)).toBe("phone");
    expect(addedLine(before, after)).toBe("phone");
  });
  it("finds nothing when nothing grew", () => {
    const cart = ajaxCart([item(ids.caseBlack, { key: "case" })]);
    expect(addedLine(snapshot(cart), cart)).toBeUndefined();
  });
});

describe("planAction", () => {
  const phone = item(ids.phone64, { key: "phone-line", quantity: 2, properties: { Engraving: "Ana" } });
  const cart = ajaxCart([phone]);

  it("replaces an upgraded line: removes it, adds the new variant at the same quantity with the shopper's properties and the offer id", () => {
    expect(planAction({ kind: "replaceVariant", lineId: "phone-line", variantId: ids.phone128, offerId: "phone-upgrade" }, cart)).toEqual([
      { kind: "remove", key: "phone-line" },
      { kind: "add", items: [{ id: Number(ids.phone128), quantity: 2, properties: { Engraving: "Ana", _cartlift_offer: "phone-upgrade" } }] },
    ]);
  });

  it("plans nothing for an upgrade whose line is gone", () => {
    expect(planAction({ kind: "replaceVariant", lineId: "gone", variantId: ids.phone128, offerId: "x" }, cart)).toEqual([]);
  });

  it("tags added lines with the offer id only: never a price", () => {
    const steps = planAction({ kind: "addLines", lines: [{ variantId: ids.caseBlack, quantity: 1, offerId: "phone-accessories" }] }, cart, [{ id: Number(ids.phone64), quantity: 1 }]);
    expect(steps).toEqual([{ kind: "add", items: [{ id: Number(ids.phone64), quantity: 1 }, { id: Number(ids.caseBlack), quantity: 1, properties: { _cartlift_offer: "phone-accessories" } }] }]);
    expect(JSON.stringify(steps)).not.toMatch(/price/i);
  });
});
