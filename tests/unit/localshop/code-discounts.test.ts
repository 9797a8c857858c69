// Code discounts in the local shop's Admin API: discountCodeBasicCreate and the code lookups
// answer as Shopify does (validated by Shopify's 2026-10 schema), and a code is redeemable
// only as Shopify's checkout would take it.
import { describe, expect, it } from "vitest";
import { recordCodeUse, redeemableCode } from "../../../localshop/admin-api/code-discounts";
import { gql, makeShop } from "./helpers";

const CREATE = `mutation Create($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title status startsAt endsAt usageLimit appliesOncePerCustomer asyncUsageCount
          codes(first: 2) { nodes { code } }
          context { __typename ... on DiscountBuyerSelectionAll { all } }
          customerGets {
            value { __typename ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } } }
            items { __typename ... on DiscountProducts { products(first: 5) { nodes { id title } } } }
          }
        }
      }
    }
    userErrors { field message code }
  }
}`;

const FILM = "gid://shopify/Product/1005";
const input = (over: Record<string, unknown> = {}) => ({
  title: "Follow-up for order #1001",
  code: "THANKS-ABC123",
  startsAt: "2026-11-01T12:00:00Z",
  endsAt: "2026-11-08T12:00:00Z",
  usageLimit: 1,
  appliesOncePerCustomer: true,
  context: { all: "ALL" },
  customerGets: { value: { percentage: 0.25 }, items: { products: { productsToAdd: [FILM] } } },
  ...over,
});

describe("discountCodeBasicCreate", () => {
  it("creates a single-use code scoped to products, readable by id and by code", async () => {
    const { state } = makeShop();
    const res = await gql(state, CREATE, { input: input() });
    expect(res.errors).toBeUndefined();
    const { codeDiscountNode, userErrors } = res.data.discountCodeBasicCreate;
    expect(userErrors).toEqual([]);
    expect(codeDiscountNode.codeDiscount).toMatchObject({
      __typename: "DiscountCodeBasic",
      status: "ACTIVE",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      asyncUsageCount: 0,
      endsAt: "2026-11-08T12:00:00Z",
      codes: { nodes: [{ code: "THANKS-ABC123" }] },
      context: { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
      customerGets: {
        value: { __typename: "DiscountPercentage", percentage: 0.25 },
        items: { __typename: "DiscountProducts", products: { nodes: [{ id: FILM, title: "Aurora Screen Film (2-pack)" }] } },
      },
    });
    const byCode = await gql(state, `{ codeDiscountNodeByCode(code: "thanks-abc123") { id } }`);
    expect(byCode.data.codeDiscountNodeByCode.id).toBe(codeDiscountNode.id);
    const byId = await gql(state, `query($id: ID!) { codeDiscountNode(id: $id) { id } }`, { id: codeDiscountNode.id });
    expect(byId.data.codeDiscountNode.id).toBe(codeDiscountNode.id);
    expect((await gql(state, `{ codeDiscountNodeByCode(code: "NOPE") { id } }`)).data.codeDiscountNodeByCode).toBeNull();
  });

  it("refuses a code the shop already has (case-insensitively), and what Shopify refuses", async () => {
    const { state } = makeShop();
    await gql(state, CREATE, { input: input() });
    const errorsOf = async (over: Record<string, unknown>) => (await gql(state, CREATE, { input: input({ code: "OTHER", ...over }) })).data.discountCodeBasicCreate.userErrors;
    expect(await errorsOf({ code: "thanks-abc123" })).toEqual([{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }]);
    expect((await errorsOf({ title: " " }))[0].code).toBe("BLANK");
    expect((await errorsOf({ endsAt: "2026-11-01T11:00:00Z" }))[0].field).toEqual(["basicCodeDiscount", "endsAt"]);
    expect((await errorsOf({ usageLimit: 0 }))[0].code).toBe("GREATER_THAN");
    expect((await errorsOf({ customerGets: { value: { percentage: 25 }, items: { all: true } } }))[0].code).toBe("VALUE_OUTSIDE_RANGE");
    expect((await errorsOf({ customerGets: { value: { percentage: 0.1 }, items: { products: { productsToAdd: ["gid://shopify/Product/999999"] } } } }))[0].code).toBe("INVALID");
    expect((await errorsOf({ context: { customers: { add: ["gid://shopify/Customer/1"] } } }))[0].code).toBe("INVALID");
    expect((await errorsOf({ context: undefined }))[0].code).toBe("BLANK");
  });

  it("is validated by Shopify's schema: an unknown input field or a bad enum is refused before it runs", async () => {
    const { state } = makeShop();
    const res = await gql(state, CREATE, { input: { ...input(), context: { all: "EVERYONE" } } });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.data).toBeUndefined();
  });
});

describe("redeeming a code at checkout", () => {
  it("takes a code in its window, once, and refuses it after its one use", async () => {
    const { state, clock } = makeShop();
    await gql(state, CREATE, { input: input() });
    const buyer = { email: "shopper@example.com" };
    const first = redeemableCode(state, " thanks-abc123 ", buyer);
    expect(first.ok).toBe(true);
    if (first.ok) recordCodeUse(state, first.discount, buyer);
    expect(redeemableCode(state, "THANKS-ABC123", { email: "someone@example.com" })).toEqual({ ok: false, message: "THANKS-ABC123 discount code has reached its usage limit" });
    expect(redeemableCode(state, "WRONG", buyer)).toEqual({ ok: false, message: "Enter a valid discount code" });
    const status = await gql(state, `{ codeDiscountNodeByCode(code: "THANKS-ABC123") { codeDiscount { ... on DiscountCodeBasic { status asyncUsageCount } } } }`);
    expect(status.data.codeDiscountNodeByCode.codeDiscount).toEqual({ status: "EXPIRED", asyncUsageCount: 1 });
    // After its end, a fresh code is refused too.
    await gql(state, CREATE, { input: input({ code: "LATER", usageLimit: null }) });
    clock.advance(8 * 864e5);
    expect(redeemableCode(state, "LATER", buyer)).toEqual({ ok: false, message: "LATER discount code isn’t available right now" });
  });
});

describe("the local checkout's discount field", () => {
  it("applies a code to its products only, refuses it for a cart without them, and removes it", async () => {
    const { createCart } = await import("../../../localshop/cart-store");
    const { applyDiscountCodeChange, checkoutView, lineKey } = await import("../../../localshop/checkout/checkout");
    const { state } = makeShop();
    await gql(state, CREATE, { input: input({ code: "FILM25" }) });
    const cartOf = (...variants: string[]) => {
      const cart = createCart("USD");
      for (const v of variants) cart.lines.push({ key: lineKey(`gid://shopify/ProductVariant/${v}`, {}), variantId: `gid://shopify/ProductVariant/${v}`, quantity: 1, properties: {} });
      return cart;
    };
    expect(applyDiscountCodeChange(state, cartOf("2001"), { type: "addDiscountCode", code: "film25" })).toEqual({
      type: "error",
      message: "FILM25 discount code isn’t valid for the items in your cart",
    });
    const cart = cartOf("2001", "2010");
    expect(applyDiscountCodeChange(state, cart, { type: "addDiscountCode", code: "film25" })).toEqual({ type: "success" });
    const view = checkoutView(state, cart, "http://127.0.0.1");
    expect(view.discountCodes).toEqual([{ code: "FILM25" }]);
    const [phone, film] = view.lines;
    expect(phone.discountAllocations).toEqual([]);
    expect(film.discountAllocations).toEqual([{ type: "code", code: "FILM25", title: "FILM25", discountedAmount: { amount: 3.75, currencyCode: "USD" } }]);
    expect(applyDiscountCodeChange(state, cart, { type: "removeDiscountCode", code: "FILM25" })).toEqual({ type: "success" });
    expect(checkoutView(state, cart, "http://127.0.0.1").lines[1].discountAllocations).toEqual([]);
  });
});
