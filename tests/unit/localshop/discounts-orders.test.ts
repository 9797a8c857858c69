import { describe, expect, it } from "vitest";
import {
  addOrder,
  getMetafieldJson,
  listActiveAutomaticDiscounts,
  listAutomaticDiscounts,
} from "../../../localshop/state";
import { gql, makeShop } from "./helpers";

const CREATE = `mutation Create($input: DiscountAutomaticAppInput!) {
  discountAutomaticAppCreate(automaticAppDiscount: $input) {
    automaticAppDiscount {
      discountId title status startsAt endsAt discountClasses
      combinesWith { orderDiscounts productDiscounts shippingDiscounts }
      appDiscountType { functionId appKey title }
    }
    userErrors { field message code extraInfo }
  }
}`;

const UPDATE = `mutation Update($id: ID!, $input: DiscountAutomaticAppInput!) {
  discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $input) {
    automaticAppDiscount { discountId title status endsAt combinesWith { productDiscounts } }
    userErrors { field message code }
  }
}`;

const DELETE = `mutation Delete($id: ID!) {
  discountAutomaticDelete(id: $id) { deletedAutomaticDiscountId userErrors { field message code } }
}`;

const config = JSON.stringify({ v: 1, offers: [{ id: "offer_1", percent: 10 }] });

const validInput = {
  title: "Cartlift offers",
  functionHandle: "cartlift-discount",
  startsAt: "2026-11-01T00:00:00Z",
  discountClasses: ["PRODUCT", "ORDER"],
  combinesWith: { productDiscounts: true },
  metafields: [{ namespace: "$app:cartlift", key: "function-configuration", type: "json", value: config }],
};

describe("automatic app discounts", () => {
  it("creates a discount by function handle, with its configuration metafield", async () => {
    const { state } = makeShop();
    const res = await gql(state, CREATE, { input: validInput });
    expect(res.errors).toBeUndefined();
    const { automaticAppDiscount, userErrors } = res.data.discountAutomaticAppCreate;
    expect(userErrors).toEqual([]);
    expect(automaticAppDiscount).toEqual({
      discountId: expect.stringMatching(/^gid:\/\/shopify\/DiscountAutomaticNode\/\d+$/),
      title: "Cartlift offers",
      status: "ACTIVE",
      startsAt: "2026-11-01T00:00:00Z",
      endsAt: null,
      discountClasses: ["PRODUCT", "ORDER"],
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false },
      appDiscountType: {
        functionId: "0b4d5f3e-8a61-4c2d-9f7a-3e1c2b5a6d01",
        appKey: "cartlift-local-api-key",
        title: "Cartlift offer discount",
      },
    });
    // What the local checkout reads to run the discount function.
    const id = automaticAppDiscount.discountId;
    expect(getMetafieldJson(state, id, "$app:cartlift", "function-configuration")).toEqual(JSON.parse(config));
    expect(listActiveAutomaticDiscounts(state).map((d) => d.id)).toEqual([id]);

    const read = await gql(
      state,
      `query ($id: ID!) { automaticDiscountNode(id: $id) { id
          metafield(namespace: "$app:cartlift", key: "function-configuration") { jsonValue }
          automaticDiscount { ... on DiscountAutomaticApp { title } } } }`,
      { id },
    );
    expect(read.data.automaticDiscountNode).toEqual({
      id,
      metafield: { jsonValue: JSON.parse(config) },
      automaticDiscount: { title: "Cartlift offers" },
    });
  });

  it("also accepts the function id, and refuses an unknown function or a missing one", async () => {
    const { state } = makeShop();
    const byId = await gql(state, CREATE, {
      input: { title: "By id", functionId: "0b4d5f3e-8a61-4c2d-9f7a-3e1c2b5a6d01", startsAt: "2026-11-01T00:00:00Z" },
    });
    expect(byId.data.discountAutomaticAppCreate.userErrors).toEqual([]);

    const unknown = await gql(state, CREATE, { input: { title: "X", functionHandle: "nope", startsAt: "2026-11-01T00:00:00Z" } });
    expect(unknown.data.discountAutomaticAppCreate).toEqual({
      automaticAppDiscount: null,
      userErrors: [{ field: ["automaticAppDiscount", "functionHandle"], message: "Function not found.", code: "INVALID", extraInfo: null }],
    });

    const missing = await gql(state, CREATE, { input: { title: "X", startsAt: "2026-11-01T00:00:00Z" } });
    expect(missing.data.discountAutomaticAppCreate.userErrors[0].code).toBe("MISSING_ARGUMENT");
  });

  it("validates title and dates", async () => {
    const { state } = makeShop();
    const res = await gql(state, CREATE, {
      input: { ...validInput, title: " ", startsAt: "2026-12-01T00:00:00Z", endsAt: "2026-11-01T00:00:00Z" },
    });
    expect(res.data.discountAutomaticAppCreate.userErrors.map((e: { field: string[]; code: string }) => [e.field.join("."), e.code])).toEqual([
      ["automaticAppDiscount.title", "BLANK"],
      ["automaticAppDiscount.endsAt", "INVALID"],
    ]);
    expect(listAutomaticDiscounts(state)).toEqual([]);
  });

  it("reports SCHEDULED and EXPIRED from the clock", async () => {
    const { state, clock } = makeShop();
    const res = await gql(state, CREATE, {
      input: { ...validInput, startsAt: "2026-11-02T00:00:00Z", endsAt: "2026-11-03T00:00:00Z" },
    });
    const id = res.data.discountAutomaticAppCreate.automaticAppDiscount.discountId;
    const status = async () =>
      (await gql(state, `query ($id: ID!) { automaticDiscountNode(id: $id) { automaticDiscount { ... on DiscountAutomaticApp { status } } } }`, { id }))
        .data.automaticDiscountNode.automaticDiscount.status;
    expect(await status()).toBe("SCHEDULED");
    clock.advance(24 * 3600 * 1000);
    expect(await status()).toBe("ACTIVE");
    clock.advance(24 * 3600 * 1000);
    expect(await status()).toBe("EXPIRED");
  });

  it("updates only the given fields and the configuration metafield", async () => {
    const { state } = makeShop();
    const id = (await gql(state, CREATE, { input: validInput })).data.discountAutomaticAppCreate.automaticAppDiscount.discountId;
    const res = await gql(state, UPDATE, {
      id,
      input: {
        title: "Cartlift offers v2",
        endsAt: "2027-01-01T00:00:00Z",
        metafields: [{ namespace: "$app:cartlift", key: "function-configuration", type: "json", value: '{"v":2}' }],
      },
    });
    expect(res.data.discountAutomaticAppUpdate).toEqual({
      automaticAppDiscount: {
        discountId: id,
        title: "Cartlift offers v2",
        status: "ACTIVE",
        endsAt: "2027-01-01T00:00:00Z",
        combinesWith: { productDiscounts: true },
      },
      userErrors: [],
    });
    expect(getMetafieldJson(state, id, "$app:cartlift", "function-configuration")).toEqual({ v: 2 });

    const missing = await gql(state, UPDATE, { id: "gid://shopify/DiscountAutomaticNode/1", input: { title: "x" } });
    expect(missing.data.discountAutomaticAppUpdate.userErrors).toEqual([
      { field: ["id"], message: "Discount does not exist", code: "INVALID" },
    ]);
  });

  it("deletes a discount and its metafields", async () => {
    const { state } = makeShop();
    const id = (await gql(state, CREATE, { input: validInput })).data.discountAutomaticAppCreate.automaticAppDiscount.discountId;
    const res = await gql(state, DELETE, { id });
    expect(res.data.discountAutomaticDelete).toEqual({ deletedAutomaticDiscountId: id, userErrors: [] });
    expect(listAutomaticDiscounts(state)).toEqual([]);
    expect(state.data.metafields.filter((m) => m.ownerId === id)).toEqual([]);
    const again = await gql(state, DELETE, { id });
    expect(again.data.discountAutomaticDelete.userErrors[0].code).toBe("INVALID");
  });

  it("lists discounts through discountNodes and automaticDiscountNodes, with search", async () => {
    const { state } = makeShop();
    await gql(state, CREATE, { input: validInput });
    await gql(state, CREATE, { input: { ...validInput, title: "Bundle deal" } });
    const res = await gql(
      state,
      `{ discountNodes(first: 5, query: "title:bundle") { nodes { id discount { ... on DiscountAutomaticApp { title discountId } } } }
         automaticDiscountNodes(first: 5) { nodes { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.discountNodes.nodes).toEqual([
      {
        id: expect.stringMatching(/^gid:\/\/shopify\/DiscountNode\/\d+$/),
        discount: { title: "Bundle deal", discountId: expect.stringMatching(/DiscountAutomaticNode/) },
      },
    ]);
    expect(res.data.automaticDiscountNodes.nodes).toHaveLength(2);
  });

  it("lists the app's functions", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ shopifyFunctions(first: 5, apiType: "discount") { nodes { id handle title apiType app { title } } } }`);
    expect(res.data.shopifyFunctions.nodes).toEqual([
      {
        id: "0b4d5f3e-8a61-4c2d-9f7a-3e1c2b5a6d01",
        handle: "cartlift-discount",
        title: "Cartlift offer discount",
        apiType: "discount",
        app: { title: "Cartlift" },
      },
    ]);
  });
});

describe("orders", () => {
  it("serves orders with line items, custom attributes and money bags in shop and presentment currency", async () => {
    const { state } = makeShop();
    const order = addOrder(state, {
      presentmentCurrencyCode: "EUR",
      lineItems: [
        { variantId: "gid://shopify/ProductVariant/2001", quantity: 1 },
        {
          variantId: "gid://shopify/ProductVariant/2008",
          quantity: 1,
          customAttributes: [{ key: "_cartlift_offer", value: "offer_case" }],
        },
      ],
    });
    const res = await gql(
      state,
      `query ($id: ID!) {
        order(id: $id) {
          id name createdAt currencyCode presentmentCurrencyCode
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          lineItems(first: 10) { nodes { title quantity customAttributes { key value } variant { id } product { handle }
            originalUnitPriceSet { shopMoney { amount } } } }
        }
        orders(first: 5, query: "name:#1001") { nodes { id } }
      }`,
      { id: order.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.order).toEqual({
      id: order.id,
      name: "#1001",
      createdAt: "2026-11-01T12:00:00Z",
      currencyCode: "USD",
      presentmentCurrencyCode: "EUR",
      totalPriceSet: {
        shopMoney: { amount: "748.0", currencyCode: "USD" },
        presentmentMoney: { amount: "688.16", currencyCode: "EUR" },
      },
      lineItems: {
        nodes: [
          {
            title: "Aurora Phone",
            quantity: 1,
            customAttributes: [],
            variant: { id: "gid://shopify/ProductVariant/2001" },
            product: { handle: "aurora-phone" },
            originalUnitPriceSet: { shopMoney: { amount: "699.0" } },
          },
          {
            title: "Leather Folio Case",
            quantity: 1,
            customAttributes: [{ key: "_cartlift_offer", value: "offer_case" }],
            variant: { id: "gid://shopify/ProductVariant/2008" },
            product: { handle: "leather-folio-case" },
            originalUnitPriceSet: { shopMoney: { amount: "49.0" } },
          },
        ],
      },
    });
    expect(res.data.orders.nodes).toEqual([{ id: order.id }]);
  });

  it("filters orders by created_at", async () => {
    const { state } = makeShop();
    addOrder(state, { createdAt: "2026-10-01T10:00:00Z", lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] });
    addOrder(state, { createdAt: "2026-10-20T10:00:00Z", lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] });
    const res = await gql(state, `{ orders(first: 10, query: "created_at:>=2026-10-15") { nodes { name } } }`);
    expect(res.data.orders.nodes).toEqual([{ name: "#1002" }]);
  });
});
