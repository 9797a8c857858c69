import { describe, expect, it } from "vitest";
import { buildSchema } from "graphql";
import { getAdminSchema } from "../../../localshop/admin-api";
import { servedSubsetProblems, servedSubsetSchema } from "../../../localshop/admin-api/schema";
import { shopifyAdminSchema } from "../../../localshop/admin-api/shopify-introspection";
import { gql, makeShop } from "./helpers";

describe("the schema is Shopify's own (Admin API 2026-10 from @shopify/dev-mcp)", () => {
  it("has Shopify's roots and every Shopify type, and the served subset strays from none of them", () => {
    const schema = getAdminSchema();
    expect(schema.getQueryType()?.name).toBe("QueryRoot");
    expect(Object.keys(schema.getTypeMap()).length).toBe(Object.keys(shopifyAdminSchema().getTypeMap()).length);
    expect(servedSubsetProblems(shopifyAdminSchema(), servedSubsetSchema())).toEqual([]);
  });

  it("finds a served field, argument or enum value that is not Shopify's", () => {
    const stray = buildSchema(`
      schema { query: Query }
      type Query { shop: Shop }
      type Shop { id: ID! name: Int currencySettings(first: Int, currency: String): Boolean }
      enum MetafieldOwnerType { SHOP APP_INSTALLATION }
      type ProductVariant { requiresShipping: Boolean! }`);
    expect(servedSubsetProblems(shopifyAdminSchema(), stray)).toEqual([
      "query root is Query, Shopify's is QueryRoot",
      "mutation root is undefined, Shopify's is Mutation",
      "Query: no such type in Shopify's Admin API",
      "Shop.name: Int, Shopify's is String!",
      "Shop.currencySettings: Boolean, Shopify's is CurrencySettingConnection!",
      "Shop.currencySettings(currency): no such argument in Shopify's Admin API",
      "MetafieldOwnerType.APP_INSTALLATION: no such enum value in Shopify's Admin API",
      "ProductVariant.requiresShipping: no such field in Shopify's Admin API",
    ]);
  });

  it("refuses what Shopify refuses: fields and enum values Shopify does not have", async () => {
    const { state } = makeShop();
    const field = await gql(state, `{ productVariant(id: "gid://shopify/ProductVariant/2001") { requiresShipping } }`);
    expect(field.errors?.[0]).toMatchObject({ extensions: { code: "undefinedField", typeName: "ProductVariant", fieldName: "requiresShipping" } });
    const value = await gql(state, `{ metafieldDefinitions(first: 1, ownerType: APP_INSTALLATION) { nodes { id } } }`);
    expect(value.errors?.[0]?.message).toMatch(/APP_INSTALLATION/);
    expect(value.data).toBeUndefined();
  });

  it("answers a Shopify field it does not serve with a clear error, and the rest of the query", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ shop { name description } }`);
    expect(res.errors?.[0]).toMatchObject({ path: ["shop", "description"], extensions: { code: "LOCAL_SHOP_UNSERVED" } });
    expect(res.errors?.[0]?.message).toMatch(/Shop\.description is part of Shopify's Admin API 2026-10/);
    expect(res.data?.shop).toEqual({ name: "Cartlift Demo", description: null });
  });

  it("reports app-installation metafields with Shopify's owner type (API_PERMISSION)", async () => {
    const { state } = makeShop();
    const set = await gql(
      state,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { ownerType } userErrors { message } } }`,
      { m: [{ ownerId: state.data.app.installationId, namespace: "$app", key: "owner-check", type: "json", value: "{}" }] },
    );
    expect(set.data?.metafieldsSet).toEqual({ metafields: [{ ownerType: "API_PERMISSION" }], userErrors: [] });
  });
});

describe("shop, locales and currencies", () => {
  it("serves the shop with Shopify's field names", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{ shop { id name myshopifyDomain currencyCode enabledPresentmentCurrencies
           currencyFormats { moneyFormat moneyWithCurrencyFormat } primaryDomain { url host }
           currencySettings(first: 10) { nodes { currencyCode currencyName enabled manualRate } } }
         shopLocales { locale primary published } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.shop).toEqual({
      id: "gid://shopify/Shop/1",
      name: "Cartlift Demo",
      myshopifyDomain: "cartlift-demo.myshopify.com",
      currencyCode: "USD",
      enabledPresentmentCurrencies: ["USD", "EUR", "JPY", "KRW"],
      currencyFormats: { moneyFormat: "${{amount}}", moneyWithCurrencyFormat: "${{amount}} USD" },
      primaryDomain: { url: "https://cartlift-demo.myshopify.com", host: "cartlift-demo.myshopify.com" },
      currencySettings: {
        nodes: [
          { currencyCode: "EUR", currencyName: "Euro", enabled: true, manualRate: "0.92" },
          { currencyCode: "JPY", currencyName: "Japanese Yen", enabled: true, manualRate: "151.5" },
          { currencyCode: "KRW", currencyName: "South Korean Won", enabled: true, manualRate: "1380.0" },
        ],
      },
    });
    expect(res.data.shopLocales[0]).toEqual({ locale: "en", primary: true, published: true });
    expect(res.data.shopLocales.map((l: { locale: string }) => l.locale)).toEqual(["en", "es", "ko", "ja", "pt-BR", "hy", "fr"]);
  });
});

describe("catalog fields", () => {
  it("serves a product the way the Admin API does", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{ product(id: "gid://shopify/Product/1001") {
          id legacyResourceId title handle vendor productType tags status totalInventory hasOnlyDefaultVariant
          description onlineStoreUrl
          featuredImage { url altText width height }
          featuredMedia { ... on MediaImage { image { url } } }
          images(first: 5) { nodes { url } }
          priceRangeV2 { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } }
          options { name values }
          variantsCount { count precision }
          collections(first: 5) { nodes { handle } }
          variants(first: 5) { nodes {
            id title displayName sku price compareAtPrice availableForSale inventoryQuantity
            selectedOptions { name value } product { id } image { url }
            eur: contextualPricing(context: { country: DE }) { price { amount currencyCode } }
            jpy: contextualPricing(context: { country: JP }) { price { amount currencyCode } }
          } }
        } }`,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data.product;
    expect(p).toMatchObject({
      id: "gid://shopify/Product/1001",
      legacyResourceId: "1001",
      title: "Aurora Phone",
      handle: "aurora-phone",
      vendor: "Aurora Mobile",
      productType: "Phone",
      status: "ACTIVE",
      totalInventory: 43,
      hasOnlyDefaultVariant: false,
      description: "A 6.1-inch OLED phone with all-day battery.",
      onlineStoreUrl: "https://cartlift-demo.myshopify.com/products/aurora-phone",
      featuredImage: { url: "http://localhost/localshop/images/aurora-phone.svg", altText: "Aurora Phone", width: 800, height: 800 },
      featuredMedia: { image: { url: "http://localhost/localshop/images/aurora-phone.svg" } },
      priceRangeV2: {
        minVariantPrice: { amount: "699.0", currencyCode: "USD" },
        maxVariantPrice: { amount: "799.0", currencyCode: "USD" },
      },
      options: [{ name: "Storage", values: ["64 GB", "128 GB"] }],
      variantsCount: { count: 2, precision: "EXACT" },
      collections: { nodes: [{ handle: "phones" }] },
    });
    expect(p.tags).toEqual(["5g", "aurora", "flagship", "phone"]);
    expect(p.variants.nodes[0]).toEqual({
      id: "gid://shopify/ProductVariant/2001",
      title: "64 GB",
      displayName: "Aurora Phone - 64 GB",
      sku: "AUR-PH-64",
      price: "699.00",
      compareAtPrice: null,
      availableForSale: true,
      inventoryQuantity: 25,
      selectedOptions: [{ name: "Storage", value: "64 GB" }],
      product: { id: "gid://shopify/Product/1001" },
      image: null,
      eur: { price: { amount: "643.08", currencyCode: "EUR" } },
      jpy: { price: { amount: "105899.0", currencyCode: "JPY" } },
    });
  });

  it("looks up variants, collections and handles; unknown ids give null", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{ productVariant(id: "gid://shopify/ProductVariant/2002") { title price product { title } }
         collection(id: "gid://shopify/Collection/3003") { title handle productsCount { count } hasProduct(id: "gid://shopify/Product/1014") }
         productByIdentifier(identifier: { handle: "grill-brush" }) { id }
         collectionByIdentifier(identifier: { handle: "coffee" }) { id }
         missing: product(id: "gid://shopify/Product/1") { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      productVariant: { title: "128 GB", price: "799.00", product: { title: "Aurora Phone" } },
      collection: { title: "Grilling", handle: "grilling", productsCount: { count: 5 }, hasProduct: true },
      productByIdentifier: { id: "gid://shopify/Product/1014" },
      collectionByIdentifier: { id: "gid://shopify/Collection/3008" },
      missing: null,
    });
  });

  it("resolves node and nodes across types", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{ nodes(ids: ["gid://shopify/Product/1001", "gid://shopify/ProductVariant/2001", "gid://shopify/Collection/3001", "gid://shopify/Product/9"]) {
          __typename id
          ... on Product { title }
          ... on ProductVariant { sku }
        } }`,
    );
    expect(res.data.nodes).toEqual([
      { __typename: "Product", id: "gid://shopify/Product/1001", title: "Aurora Phone" },
      { __typename: "ProductVariant", id: "gid://shopify/ProductVariant/2001", sku: "AUR-PH-64" },
      { __typename: "Collection", id: "gid://shopify/Collection/3001" },
      null,
    ]);
  });
});

describe("errors in Shopify's shape", () => {
  it("an unknown field is undefinedField with the document path", async () => {
    const { state } = makeShop();
    const res = await gql(state, `query Shop { shop { id nope } }`);
    expect(res).toEqual({
      errors: [
        {
          message: "Field 'nope' doesn't exist on type 'Shop'",
          locations: [{ line: 1, column: 24 }],
          path: ["query Shop", "shop", "nope"],
          extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nope" },
        },
      ],
    });
  });

  it("a missing required argument is missingRequiredArguments", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ product { id } }`);
    expect(res.errors?.[0]).toMatchObject({
      message: "Field 'product' is missing required arguments: id",
      path: ["query", "product"],
      extensions: { code: "missingRequiredArguments", className: "Field", name: "product", arguments: "id" },
    });
  });

  it("an unknown argument is argumentNotAccepted, a bad literal argumentLiteralsIncompatible", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: "ten", colour: RED) { nodes { id } } }`);
    const codes = res.errors?.map((e) => e.extensions?.code);
    expect(codes).toEqual(expect.arrayContaining(["argumentNotAccepted", "argumentLiteralsIncompatible"]));
    expect(res.errors?.find((e) => e.extensions?.code === "argumentLiteralsIncompatible")?.message).toBe(
      `Argument 'first' on Field 'products' has an invalid value ("ten"). Expected type 'Int'.`,
    );
  });

  it("a malformed id is 'Invalid global id'", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ product(id: "1001") { id } }`);
    expect(res.errors?.[0]).toMatchObject({
      message: "Invalid global id '1001'",
      path: ["product"],
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
    expect(res.data).toEqual({ product: null });
  });

  it("a missing variable is reported as an invalid value", async () => {
    const { state } = makeShop();
    const res = await gql(state, `query ($id: ID!) { product(id: $id) { id } }`, {});
    expect(res.errors).toEqual([
      {
        message: "Variable $id of type ID! was provided invalid value",
        locations: [{ line: 1, column: 8 }],
        extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
      },
    ]);
  });

  it("a syntax error is a parse error with its position", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ shop { id }`);
    expect(res.errors?.[0]?.message).toMatch(/^Parse error: .* at \[1, 14\]$/);
  });
});
