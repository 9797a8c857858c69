// The local checkout: prices from the catalog, the discount function run on its real input
// and its result applied like Shopify applies it, line changes, and completing the order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluate, type Ruleset } from "../../../app/engine";
import { createCart, type StoredCart } from "../../../localshop/cart-store";
import {
  applyCartLinesChange,
  checkoutView,
  completeCheckout,
  lineGid,
  lineKey,
  type CartLineChange,
} from "../../../localshop/checkout/checkout";
import { permalinkLines } from "../../../localshop/checkout/index";
import { applyDiscountResults, emptyDiscounts } from "../../../localshop/checkout/operations";
import { startLocalShop, type RunningLocalShop } from "../../../localshop/server";
import { createAutomaticAppDiscount, createLocalShop, setMetafields, type LocalShopState } from "../../../localshop/state";
import { DEMO, demoRuleset, discountMetafields } from "./demo-ruleset";

const SHOP_URL = "http://127.0.0.1:3191";
const variant = (id: string) => `gid://shopify/ProductVariant/${id}`;

/** Publishes a ruleset the way the publisher does: shop metafield + automatic app discount. */
function publish(state: LocalShopState, ruleset: Ruleset, classes: ("PRODUCT" | "SHIPPING" | "ORDER")[] = ["PRODUCT", "SHIPPING"]) {
  const set = setMetafields(state, [
    { ownerId: state.data.shop.id, namespace: "$app:cartlift", key: "ruleset", type: "json", value: JSON.stringify(ruleset) },
  ]);
  expect(set.userErrors).toEqual([]);
  const created = createAutomaticAppDiscount(state, {
    title: "Cartlift offers",
    functionHandle: "cartlift-discount",
    startsAt: "2020-01-01T00:00:00Z",
    discountClasses: classes,
    metafields: discountMetafields(ruleset),
  });
  expect(created.userErrors).toEqual([]);
}

function cartWith(lines: { variantId: string; quantity?: number; offer?: string }[], currency = "USD"): StoredCart {
  const cart = createCart(currency);
  for (const l of lines) {
    const properties: Record<string, string> = l.offer ? { _cartlift_offer: l.offer } : {};
    cart.lines.push({ key: lineKey(variant(l.variantId), properties), variantId: variant(l.variantId), quantity: l.quantity ?? 1, properties });
  }
  return cart;
}

let state: LocalShopState;
beforeEach(() => {
  state = createLocalShop();
});

describe("checkout view", () => {
  it("prices lines from the catalog and charges standard shipping below the goal", () => {
    publish(state, demoRuleset());
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phoneCase.black }]), SHOP_URL);
    expect(view.cost.subtotalAmount).toEqual({ amount: 29, currencyCode: "USD" });
    expect(view.shipping?.discounted.amount).toBe(6.99);
    expect(view.cost.totalAmount.amount).toBe(35.99);
    expect(view.functionProblems).toEqual([]);
  });

  it("applies the function's discount to the offer line and frees shipping, matching the engine", () => {
    const ruleset = demoRuleset({ shop: { freeShipping: { amount: 72000 } } });
    publish(state, ruleset);
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phoneCase.black, offer: "phone-case" }]), SHOP_URL);
    const [phone, phoneCase] = view.lines;
    expect(phone.discountAllocations).toEqual([]);
    expect(phoneCase.discountAllocations).toEqual([
      { type: "automatic", title: "20% off a case for your phone", discountedAmount: { amount: 5.8, currencyCode: "USD" } },
    ]);
    expect(phoneCase.cost.totalAmount.amount).toBe(23.2);
    expect(view.shipping?.discounted.amount).toBe(0);
    expect(view.cost.totalAmount.amount).toBe(722.2);

    // The same numbers from the engine alone, on the same cart.
    const e = evaluate(
      ruleset,
      {
        currency: "USD",
        lines: [
          { id: "a", productId: DEMO.phone.productId, variantId: DEMO.phone.gb64, quantity: 1, unitPrice: 69900 },
          { id: "b", productId: DEMO.phoneCase.productId, variantId: DEMO.phoneCase.black, quantity: 1, unitPrice: 2900, offerId: "phone-case" },
        ],
      },
      { placement: "checkout", now: Date.now() },
    );
    const off = e.discounts.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);
    expect(Math.round(view.cost.subtotalAmount.amount * 100)).toBe(69900 + 2900 - off);
    expect(e.freeShipping?.reached).toBe(true);
  });

  it("prices a EUR cart at the shop's rate and converts the amount-off upgrade", () => {
    publish(state, demoRuleset());
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb128, offer: "phone-upgrade" }], "EUR"), SHOP_URL);
    expect(view.lines[0].display.originalTotal).toEqual({ amount: 735.08, currencyCode: "EUR" });
    expect(view.lines[0].discountAllocations[0].discountedAmount).toEqual({ amount: 46, currencyCode: "EUR" });
  });

  it("applies nothing when the discount lacks the class (no PRODUCT: no line discounts)", () => {
    publish(state, demoRuleset(), ["SHIPPING"]);
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phoneCase.black, offer: "phone-case" }]), SHOP_URL);
    expect(view.lines[1].discountAllocations).toEqual([]);
    expect(view.shipping?.discounted.amount).toBe(0);
  });

  it("applies nothing without a published discount", () => {
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phoneCase.black, offer: "phone-case" }]), SHOP_URL);
    expect(view.lines[1].discountAllocations).toEqual([]);
    expect(view.appMetafields).toEqual([]);
  });

  it("serves the ruleset to the extension as the app-reserved shop metafield", () => {
    publish(state, demoRuleset());
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb64 }]), SHOP_URL);
    expect(view.appMetafields).toHaveLength(1);
    expect(view.appMetafields[0].target).toEqual({ type: "shop", id: "gid://shopify/Shop/1" });
    expect(view.appMetafields[0].metafield).toMatchObject({ namespace: "app--7001--cartlift", key: "ruleset", type: "json" });
  });

  it("serves each line's product frequently-bought-together list, as the extension's toml declares it", () => {
    publish(state, demoRuleset());
    const value = JSON.stringify({ v: 1, windowDays: 60, recentDays: 30, picks: [{ product: `gid://shopify/Product/${DEMO.phoneCase.productId}`, score: 0.5, orders: 9, recent: 4 }] });
    setMetafields(state, [{ ownerId: `gid://shopify/Product/${DEMO.phone.productId}`, namespace: "$app", key: "frequently_bought_together", type: "json", value }]);
    const view = checkoutView(state, cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phone.gb128 }, { variantId: DEMO.burger.variant }]), SHOP_URL);
    // One entry per product that has a list (the phone once, the burger has none).
    expect(view.appMetafields.slice(1)).toEqual([
      { target: { type: "product", id: `gid://shopify/Product/${DEMO.phone.productId}` }, metafield: { namespace: "$app", key: "frequently_bought_together", value, valueType: "json_string", type: "json" } },
    ]);
  });

  it("needs no shipping for food only", () => {
    const view = checkoutView(state, cartWith([{ variantId: DEMO.burger.variant }]), SHOP_URL);
    expect(view.shipping).toBeNull();
    expect(view.deliveryGroups).toEqual([]);
  });
});

describe("applying the function's result like Shopify", () => {
  const lines = [
    { id: "l1", quantity: 2, unitPrice: 1000 },
    { id: "l2", quantity: 1, unitPrice: 500 },
  ];
  const groups = [{ id: "g1", cost: 699 }];
  const discount = { title: "Cartlift offers", discountClasses: ["PRODUCT", "ORDER", "SHIPPING"] as ("PRODUCT" | "ORDER" | "SHIPPING")[] };
  const product = (candidates: unknown[], selectionStrategy = "ALL") => ({ operations: [{ productDiscountsAdd: { candidates, selectionStrategy } }] });

  it("takes a fixed amount per line, or per item when asked, never above the line", () => {
    const into = emptyDiscounts();
    applyDiscountResults(into, discount, "USD", lines, groups, {
      lines: product([
        { message: "A", targets: [{ cartLine: { id: "l1" } }], value: { fixedAmount: { amount: "3.00", appliesToEachItem: true } } },
        { message: "B", targets: [{ cartLine: { id: "l2" } }], value: { fixedAmount: { amount: "9.00" } } },
      ]),
    });
    expect(into.lines.get("l1")).toEqual([{ title: "A", amount: 600 }]);
    expect(into.lines.get("l2")).toEqual([{ title: "B", amount: 500 }]);
  });

  it("picks the first or the maximum candidate when the strategy says so", () => {
    const candidates = [
      { message: "small", targets: [{ cartLine: { id: "l1" } }], value: { percentage: { value: "10" } } },
      { message: "big", targets: [{ cartLine: { id: "l1" } }], value: { percentage: { value: "50" } } },
    ];
    const first = emptyDiscounts();
    applyDiscountResults(first, discount, "USD", lines, groups, { lines: product(candidates, "FIRST") });
    expect(first.lines.get("l1")).toEqual([{ title: "small", amount: 200 }]);
    const max = emptyDiscounts();
    applyDiscountResults(max, discount, "USD", lines, groups, { lines: product(candidates, "MAXIMUM") });
    expect(max.lines.get("l1")).toEqual([{ title: "big", amount: 1000 }]);
  });

  it("rejects a whole result that names an unknown line or a bad amount", () => {
    for (const bad of [
      { targets: [{ cartLine: { id: "nope" } }], value: { percentage: { value: "10" } } },
      { targets: [{ cartLine: { id: "l1" } }], value: { fixedAmount: { amount: "-1" } } },
      { targets: [{ cartLine: { id: "l1" } }], value: { percentage: { value: "101" } } },
      { targets: [{ cartLine: { id: "l1" } }], value: {} },
    ]) {
      const into = emptyDiscounts();
      const ok = { targets: [{ cartLine: { id: "l2" } }], value: { percentage: { value: "10" } } };
      const problems = applyDiscountResults(into, discount, "USD", lines, groups, { lines: product([ok, bad]) });
      expect(problems).toHaveLength(1);
      expect(into.lines.size).toBe(0);
    }
  });

  it("frees the delivery group's shipping, and only with the SHIPPING class", () => {
    const delivery = {
      operations: [
        { deliveryDiscountsAdd: { candidates: [{ message: "Free shipping", targets: [{ deliveryGroup: { id: "g1" } }], value: { percentage: { value: "100.0" } } }], selectionStrategy: "ALL" } },
      ],
    };
    const into = emptyDiscounts();
    applyDiscountResults(into, discount, "USD", lines, groups, { delivery });
    expect(into.delivery.get("g1")).toEqual([{ title: "Free shipping", amount: 699 }]);
    const none = emptyDiscounts();
    applyDiscountResults(none, { ...discount, discountClasses: ["PRODUCT"] }, "USD", lines, groups, { delivery });
    expect(none.delivery.size).toBe(0);
  });
});

describe("cart line changes", () => {
  it("adds a line with its attributes, merging an identical one", () => {
    const cart = cartWith([{ variantId: DEMO.phone.gb64 }]);
    const add: CartLineChange = {
      type: "addCartLine",
      merchandiseId: variant(DEMO.phoneCase.black),
      quantity: 1,
      attributes: [{ key: "_cartlift_offer", value: "phone-case" }],
    };
    expect(applyCartLinesChange(state, cart, add)).toEqual({ type: "success" });
    expect(applyCartLinesChange(state, cart, add)).toEqual({ type: "success" });
    expect(cart.lines).toHaveLength(2);
    expect(cart.lines[1]).toMatchObject({ variantId: variant(DEMO.phoneCase.black), quantity: 2, properties: { _cartlift_offer: "phone-case" } });
  });

  it("refuses unknown or unavailable merchandise and bad quantities", () => {
    const cart = cartWith([]);
    expect(applyCartLinesChange(state, cart, { type: "addCartLine", merchandiseId: variant("999999"), quantity: 1 })).toMatchObject({ type: "error" });
    // Aurora Phone Pro is a draft: not for sale.
    expect(applyCartLinesChange(state, cart, { type: "addCartLine", merchandiseId: variant("2055"), quantity: 1 })).toMatchObject({ type: "error" });
    expect(applyCartLinesChange(state, cart, { type: "addCartLine", merchandiseId: variant(DEMO.tripod.variant), quantity: 0 })).toMatchObject({ type: "error" });
    expect(cart.lines).toEqual([]);
  });

  it("replaces a line's variant in place (an upgrade) and removes lines", () => {
    const cart = cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.tripod.variant }]);
    const phone = lineGid(cart.lines[0].key);
    const result = applyCartLinesChange(state, cart, {
      type: "updateCartLine",
      id: phone,
      merchandiseId: variant(DEMO.phone.gb128),
      attributes: [{ key: "_cartlift_offer", value: "phone-upgrade" }],
    });
    expect(result).toEqual({ type: "success" });
    expect(cart.lines.map((l) => l.variantId)).toEqual([variant(DEMO.phone.gb128), variant(DEMO.tripod.variant)]);
    expect(applyCartLinesChange(state, cart, { type: "removeCartLine", id: lineGid(cart.lines[1].key), quantity: 1 })).toEqual({ type: "success" });
    expect(cart.lines).toHaveLength(1);
  });
});

describe("completing the order", () => {
  it("records the order with the offer attribute and the discount in the shop's currency", () => {
    publish(state, demoRuleset());
    const cart = cartWith([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phoneCase.black, offer: "phone-case" }]);
    const order = completeCheckout(state, cart, checkoutView(state, cart, SHOP_URL));
    expect(order.lineItems.map((l) => [l.variantId, l.totalDiscount, l.customAttributes])).toEqual([
      [variant(DEMO.phone.gb64), "0.00", []],
      [variant(DEMO.phoneCase.black), "5.80", [{ key: "_cartlift_offer", value: "phone-case" }]],
    ]);
    expect(order.totalPrice).toBe("722.20");
  });
});

describe("cart permalinks", () => {
  it("reads variant:quantity pairs and drops nonsense", () => {
    expect(permalinkLines("2001:1,2005:2,2010:0")).toEqual([
      { variantId: variant("2001"), quantity: 1 },
      { variantId: variant("2005"), quantity: 2 },
    ]);
  });
});

describe("over HTTP", () => {
  let shop: RunningLocalShop;
  beforeAll(async () => {
    shop = await startLocalShop({ port: 0 });
    publish(shop.state, demoRuleset({ followUpEndsAt: "2099-01-01T00:00:00Z" }));
  });
  afterAll(() => shop.stop());

  it("goes from a permalink to a checkout, adds the offer line, pays, and shows the thank-you page", async () => {
    const start = await fetch(`${shop.url}/cart/${DEMO.phone.gb64}:1`, { redirect: "manual" });
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe("/checkout");
    const cookie = start.headers.get("set-cookie")!.split(";")[0];
    const page = await fetch(`${shop.url}/checkout`, { headers: { cookie } });
    expect(await page.text()).toContain('id="checkout-data"');

    const change = await fetch(`${shop.url}/checkout/lines`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({
        change: { type: "addCartLine", merchandiseId: variant(DEMO.phoneCase.black), quantity: 1, attributes: [{ key: "_cartlift_offer", value: "phone-case" }] },
      }),
    });
    const body = await change.json();
    expect(body.result).toEqual({ type: "success" });
    expect(body.view.lines[1].discountAllocations[0].discountedAmount.amount).toBe(5.8);

    const done = await fetch(`${shop.url}/checkout/complete`, { method: "POST", headers: { cookie } });
    const { redirect } = await done.json();
    expect(redirect).toMatch(/^\/checkout\/thank-you\/\d+$/);
    const thanks = await fetch(`${shop.url}${redirect}`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain("Thank you");
    const order = shop.state.data.orders.at(-1)!;
    expect(order.lineItems[1].customAttributes).toEqual([{ key: "_cartlift_offer", value: "phone-case" }]);

    // The cart is spent: the checkout is empty now.
    expect(await (await fetch(`${shop.url}/checkout`, { headers: { cookie } })).text()).toContain("Your cart is empty");
  });

  it("serves the page scripts, the elements and the extension bundle", async () => {
    for (const asset of ["checkout-page.js", "thank-you-page.js", "elements.js", "extensions/checkout-offers.js"]) {
      const res = await fetch(`${shop.url}/checkout/assets/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type")).toContain("javascript");
    }
  });
});
