// @vitest-environment happy-dom
// The checkout target rendered by Shopify's extension tester (mock `shopify` global, DOM):
// what it shows for a cart, what accepting sends to checkout, and that it never breaks it.
/// <reference types="@shopify/ui-extensions/purchase.checkout.block.render" />
import { resolve } from "node:path";
import { fireEvent, waitFor } from "@testing-library/preact";
import { getExtension } from "@shopify/ui-extensions-tester";
import { createResult, createStorage } from "@shopify/ui-extensions-tester/checkout";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEMO, PHONE_CASE_OFFER, demoRuleset } from "./demo-ruleset";
import { checkoutLine, rulesetMetafields } from "./extension-helpers";
import { extensionTranslations } from "../../../localshop/checkout/index";
import { createI18n } from "../../../localshop/checkout/host/i18n";

const extension = getExtension("purchase.checkout.block.render", { configSearchDir: resolve("extensions/checkout-offers") });

beforeEach(() => extension.setUp());
afterEach(() => extension.tearDown());

const texts = (selector: string) => [...document.body.querySelectorAll(selector)].map((e) => e.textContent?.trim());
const button = (label: string) => [...document.body.querySelectorAll("s-button")].find((b) => b.textContent?.trim() == label)!;

/** Renders and waits for the offers (they show once the declined ids are read from storage). */
async function renderShown() {
  await extension.render();
  await waitFor(() => expect(document.body.querySelector("s-stack")).not.toBeNull());
}

/** Renders and lets every effect settle (for what must render nothing). */
async function renderSettled() {
  await extension.render();
  await new Promise((r) => setTimeout(r, 50));
}

function setCart(lines: ReturnType<typeof checkoutLine>[], ruleset = demoRuleset()) {
  extension.shopify.lines.value = lines as never;
  extension.shopify.appMetafields.value = rulesetMetafields(ruleset) as never;
}

describe("checkout offers", () => {
  it("offers the discounted case and the upgrade for a 64 GB phone, with the free-shipping status", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    await renderShown();
    expect(texts("s-text[type=strong]")).toEqual(expect.arrayContaining(["20% off a case for your phone", "23.2", "Double the storage, $50 off"]));
    // Before-price struck through next to the offer price; the upgrade shows its difference.
    expect(texts("s-text[type=redundant]")).toEqual(["29"]);
    expect(texts("s-text")).toContain("upgradeFor");
    // $699 is over the $75 goal.
    expect(texts("s-text[tone=success]")).toEqual(["freeShippingReached"]);
  });

  it("shows how far the free-shipping goal is, with a progress bar, below it", async () => {
    setCart([checkoutLine(DEMO.phoneCase.black)]);
    await renderShown();
    expect(texts("s-text")).toContain("freeShippingProgress");
    const progress = document.body.querySelector("s-progress")!;
    const value = progress.getAttribute("value") ?? (progress as unknown as { value: number }).value;
    expect(Number(value)).toBeCloseTo(29 / 75, 5);
  });

  it("shows no free-shipping nudge when no line needs shipping", async () => {
    const line = checkoutLine(DEMO.phoneCase.black);
    line.merchandise.requiresShipping = false;
    setCart([line]);
    await renderSettled();
    expect(texts("s-text")).not.toContain("freeShippingProgress");
    expect(document.body.querySelector("s-progress")).toBeNull();
  });

  it("adds the case with the offer id as a line attribute", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    const apply = vi.spyOn(extension.shopify, "applyCartLinesChange");
    await renderShown();
    fireEvent.click(button("add"));
    await waitFor(() =>
      expect(apply).toHaveBeenCalledWith({
        type: "addCartLine",
        merchandiseId: `gid://shopify/ProductVariant/${DEMO.phoneCase.black}`,
        quantity: 1,
        attributes: [{ key: "_cartlift_offer", value: "phone-case" }],
      }),
    );
  });

  it("upgrades the 64 GB line in place, keeping its other attributes", async () => {
    const phone = checkoutLine(DEMO.phone.gb64);
    phone.attributes = [{ key: "gift_note", value: "Happy birthday" }];
    setCart([phone]);
    const apply = vi.spyOn(extension.shopify, "applyCartLinesChange");
    await renderShown();
    fireEvent.click(button("upgrade"));
    await waitFor(() =>
      expect(apply).toHaveBeenCalledWith({
        type: "updateCartLine",
        id: phone.id,
        merchandiseId: `gid://shopify/ProductVariant/${DEMO.phone.gb128}`,
        attributes: [
          { key: "gift_note", value: "Happy birthday" },
          { key: "_cartlift_offer", value: "phone-upgrade" },
        ],
      }),
    );
  });

  it("completes a bundle with one button that adds every missing part", async () => {
    setCart([checkoutLine(DEMO.burger.variant)]);
    const apply = vi.spyOn(extension.shopify, "applyCartLinesChange");
    const translate = vi.spyOn(extension.shopify.i18n, "translate");
    await renderShown();
    // The button says what the whole set saves; the parts show their own prices.
    expect(translate).toHaveBeenCalledWith("completeBundleSave", { amount: "2.3" });
    expect(texts("s-text[type=redundant]")).toEqual([]);
    fireEvent.click(button("completeBundleSave"));
    await waitFor(() => expect(apply).toHaveBeenCalledTimes(2));
    expect(apply.mock.calls.map(([c]) => (c as { merchandiseId: string }).merchandiseId)).toEqual([
      `gid://shopify/ProductVariant/${DEMO.fries.regular}`,
      `gid://shopify/ProductVariant/${DEMO.drink.cola}`,
    ]);
  });

  it("does not add anything, and says why, when checkout does not allow adding lines", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.instructions.value = {
      ...extension.shopify.instructions.value,
      lines: { canAddCartLine: false, canRemoveCartLine: false, canUpdateCartLine: false },
    };
    const apply = vi.spyOn(extension.shopify, "applyCartLinesChange");
    await renderShown();
    fireEvent.click(button("add"));
    await waitFor(() => expect(texts("s-banner")).toEqual(["cannotAdd"]));
    expect(apply).not.toHaveBeenCalled();
  });

  it("shows checkout's error when the change is refused", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.applyCartLinesChange = vi
      .fn()
      .mockResolvedValue(createResult("applyCartLinesChange", { type: "error", message: "Out of stock" }));
    await renderShown();
    fireEvent.click(button("add"));
    await waitFor(() => expect(texts("s-banner")).toEqual(["failed"]));
  });

  it("prices offers in the buyer's currency, relating it to the shop's through the cart", async () => {
    extension.shopify.localization.currency.value = { isoCode: "EUR" } as never;
    setCart([checkoutLine(DEMO.phone.gb64, { currency: "EUR", unitPrice: 643.08 })]);
    await renderShown();
    // $29 × 0.92 = €26.68, 20% off: €21.34.
    expect(texts("s-text[type=redundant]")).toEqual(["26.68"]);
    expect(texts("s-text[type=strong]")).toContain("21.34");
  });

  it("counts a line's price before its discounts (the case already discounted is not offered again)", async () => {
    setCart([checkoutLine(DEMO.phone.gb64), checkoutLine(DEMO.phoneCase.black, { offer: "phone-case", discount: 5.8 })]);
    await renderShown();
    expect(texts("s-text[type=strong]")).not.toContain("20% off a case for your phone");
    expect(texts("s-text[tone=success]")).toEqual(["freeShippingReached"]);
  });

  it("never shows a declined offer again", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    const storage = createStorage();
    extension.shopify.storage = storage;
    await renderShown();
    // The case offer comes first (the upgrade has a lower priority).
    fireEvent.click(document.body.querySelector("s-link")!);
    await waitFor(() => expect(texts("s-text[type=strong]")).not.toContain("20% off a case for your phone"));
    expect(await storage.read("dismissed")).toEqual(["phone-case"]);
  });

  it("remembers offers declined before", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.storage = createStorage({ dismissed: ["phone-case"] });
    await renderShown();
    await waitFor(() => expect(texts("s-text[type=strong]")).not.toContain("20% off a case for your phone"));
    expect(texts("s-text[type=strong]")).toContain("Double the storage, $50 off");
  });

  it("does not show an offer declined on the storefront (the cart's declined attribute)", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.attributes.value = [{ key: "_cartlift_declined", value: "phone-case" }] as never;
    await renderShown();
    await waitFor(() => expect(texts("s-text[type=strong]")).toContain("Double the storage, $50 off"));
    expect(texts("s-text[type=strong]")).not.toContain("20% off a case for your phone");
  });

  it("records a decline at checkout on the cart too, next to what the storefront declined", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.attributes.value = [{ key: "_cartlift_declined", value: "grill-brush" }] as never;
    const change = vi.spyOn(extension.shopify, "applyAttributeChange");
    await renderShown();
    fireEvent.click(document.body.querySelector("s-link")!);
    await waitFor(() => expect(change).toHaveBeenCalledWith({ type: "updateAttribute", key: "_cartlift_declined", value: "grill-brush,phone-case" }));
  });

  it("offers frequently bought together from the lines' product metafields, in the mined order", async () => {
    const fbt = { id: "fbt", kind: "cross_sell" as const, source: "fbt" as const, title: "Bought together", variants: [DEMO.phoneCase.black, DEMO.screenFilm.variant, DEMO.grillBrush.variant], picks: [] };
    const ruleset = demoRuleset({ offers: [fbt] });
    const list = (products: string[]) => JSON.stringify({ v: 1, windowDays: 60, recentDays: 30, picks: products.map((p, i) => ({ product: `gid://shopify/Product/${p}`, score: 0.6 - i / 10, orders: 30, recent: 12 })) });
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    extension.shopify.appMetafields.value = [
      ...rulesetMetafields(ruleset),
      // As the toml declares it: the line's product, `$app` resolved.
      { target: { type: "product", id: `gid://shopify/Product/${DEMO.phone.productId}` }, metafield: { namespace: "app--7001", key: "frequently_bought_together", value: list([DEMO.screenFilm.productId, DEMO.phoneCase.productId]), valueType: "json_string", type: "json" } },
    ] as never;
    await renderShown();
    const rows = texts("s-text:not([type]):not([color])").filter((t) => /Film|Case/.test(t ?? ""));
    expect(rows).toEqual(["Aurora Screen Film (2-pack)", "Aurora Phone Case"]);
  });

  it("shows no frequently-bought-together offer at checkout without a mined list or picks", async () => {
    const fbt = { id: "fbt", kind: "cross_sell" as const, source: "fbt" as const, title: "Bought together", variants: [DEMO.phoneCase.black], picks: [] };
    setCart([checkoutLine(DEMO.phone.gb64)], demoRuleset({ offers: [fbt] }));
    await renderSettled();
    expect(document.body.textContent).not.toContain("Aurora Phone Case");
  });

  describe("social proof on frequently-bought-together items", () => {
    /** The phone in the cart, with its mined list: the film bought with it 7 times this month,
     *  the case 3 times; an fbt offer showing from `proofMin` (absent: the default, 5). */
    async function renderProof(proofMin?: number) {
      const fbt = { id: "fbt", kind: "cross_sell" as const, source: "fbt" as const, title: "Bought together", variants: [DEMO.phoneCase.black, DEMO.screenFilm.variant], picks: [], ...(proofMin ? { proofMin } : {}) };
      const picks = [
        { product: `gid://shopify/Product/${DEMO.screenFilm.productId}`, score: 0.6, orders: 20, recent: 7 },
        { product: `gid://shopify/Product/${DEMO.phoneCase.productId}`, score: 0.5, orders: 18, recent: 3 },
      ];
      extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
      extension.shopify.appMetafields.value = [
        ...rulesetMetafields(demoRuleset({ offers: [fbt] })),
        { target: { type: "product", id: `gid://shopify/Product/${DEMO.phone.productId}` }, metafield: { namespace: "app--7001", key: "frequently_bought_together", value: JSON.stringify({ v: 1, windowDays: 60, recentDays: 30, picks }), valueType: "json_string", type: "json" } },
      ] as never;
      // The extension's own English, as Shopify's i18n resolves it (pluralized by `count`).
      extension.shopify.i18n.translate = createI18n("en", "USD", "UTC", extensionTranslations("en").translations as never).translate as never;
      await renderShown();
      await waitFor(() => expect(document.body.textContent).toContain("Aurora Phone Case"));
    }
    /** Each offered row's middle column: title, variant, price, proof. */
    const rows = () =>
      [...document.body.querySelectorAll("s-grid")].map((row) => [...row.querySelectorAll("s-stack > s-text")].map((t) => t.textContent?.trim()));

    it("says how often an item was bought together this month, under that item only, from the threshold", async () => {
      await renderProof();
      expect(rows()).toEqual([
        ["Aurora Screen Film (2-pack)", "15", "Bought together 7 times this month"],
        // 3 this month is under the default threshold of 5: no line for the case.
        ["Aurora Phone Case", "Black", "29"],
      ]);
    });

    it("says nothing once the merchant raises the threshold above this month's count", async () => {
      await renderProof(8);
      expect(document.body.textContent).toContain("Aurora Screen Film (2-pack)");
      expect(document.body.textContent).not.toContain("Bought together 7");
      expect(document.body.textContent).not.toMatch(/times this month/);
    });

    it("speaks in the singular for one order", async () => {
      await renderProof(1);
      expect(rows().map((r) => r.at(-1))).toEqual(["Bought together 7 times this month", "Bought together 3 times this month"]);
      const f = createI18n("en", "USD", "UTC", extensionTranslations("en").translations as never);
      expect(f.translate("proof", { count: 1 })).toBe("Bought together 1 time this month");
    });
  });

  it("shows a new-customer offer to a logged-in customer without orders, not to a guest or a returning customer", async () => {
    const ruleset = demoRuleset({ offers: [{ ...PHONE_CASE_OFFER, conditions: { fact: "orderCount", op: "eq", value: 0 } }] });
    const shown = async (customer: { ordersCount: number } | undefined) => {
      extension.tearDown();
      extension.setUp();
      setCart([checkoutLine(DEMO.phone.gb64)], ruleset);
      // The tester has no buyer identity for this target: the real API's shape, on top of it.
      const mock = (globalThis as { shopify: object }).shopify;
      const signal = { value: customer, subscribe: () => () => {} };
      (globalThis as { shopify: object }).shopify = new Proxy(mock, { get: (target, key) => (key == "buyerIdentity" ? { customer: signal } : Reflect.get(target, key)) });
      await renderSettled();
      return texts("s-text[type=strong]").includes(PHONE_CASE_OFFER.title);
    };
    expect(await shown(undefined)).toBe(false); // a guest: maybe a returning customer who did not log in
    expect(await shown({ ordersCount: 0 })).toBe(true);
    expect(await shown({ ordersCount: 3 })).toBe(false);
  });

  it("uses the merchant's heading when set", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)]);
    extension.shopify.settings.value = { heading: "Complete your setup" };
    await renderShown();
    expect(texts("s-heading")).toEqual(["Complete your setup"]);
  });
});

describe("fail closed: nothing rendered, checkout untouched", () => {
  it("renders nothing without the ruleset metafield", async () => {
    extension.shopify.lines.value = [checkoutLine(DEMO.phone.gb64)] as never;
    await renderSettled();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing for an invalid ruleset", async () => {
    setCart([checkoutLine(DEMO.phone.gb64)], { ...demoRuleset(), schemaVersion: 2 } as never);
    await renderSettled();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing when no line relates the buyer's currency to the shop's", async () => {
    extension.shopify.localization.currency.value = { isoCode: "EUR" } as never;
    setCart([checkoutLine(DEMO.tripod.variant, { currency: "EUR", unitPrice: 72.68 })]);
    await renderSettled();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing instead of throwing when the checkout data is not what it expects", async () => {
    setCart([{ id: "gid://shopify/CartLine/x", quantity: 1 } as never]);
    await expect(extension.render()).resolves.toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(document.body.innerHTML).toBe("");
  });
});
