import { describe, expect, it } from "vitest";
import { calculateRequestedCost } from "../../../localshop/admin-api";
import { gql, makeShop } from "./helpers";

const cost = (query: string, variables?: Record<string, unknown>) => calculateRequestedCost({ query, variables });

describe("calculated query cost (requested)", () => {
  it("charges 0 for scalars and 1 per object", () => {
    expect(cost(`{ shop { id name currencyCode } }`)).toBe(1);
    expect(cost(`{ shop { id primaryDomain { url } currencyFormats { moneyFormat } } }`)).toBe(3);
  });

  it("charges a connection 2 plus first × (1 + the node's selection)", () => {
    expect(cost(`{ products(first: 10) { edges { node { id title } } } }`)).toBe(12);
    expect(cost(`{ products(first: 10) { nodes { id featuredImage { url } } } }`)).toBe(2 + 10 * 2);
    expect(cost(`{ products(last: 3) { pageInfo { hasNextPage } edges { cursor node { id } } } }`)).toBe(5);
  });

  it("multiplies nested connections", () => {
    expect(cost(`{ products(first: 10) { nodes { id variants(first: 5) { nodes { id price } } } } }`)).toBe(
      2 + 10 * (1 + (2 + 5 * 1)),
    );
  });

  it("reads page sizes from variables", () => {
    expect(cost(`query ($n: Int!) { products(first: $n) { nodes { id } } }`, { n: 50 })).toBe(52);
  });

  it("counts edges { node } and nodes of the same connection once per item", () => {
    expect(cost(`{ products(first: 4) { edges { node { id } } nodes { id } } }`)).toBe(6);
  });

  it("follows fragments and aliases", () => {
    const q = `
      fragment P on Product { id featuredImage { url } }
      { a: products(first: 2) { nodes { ...P } } b: product(id: "gid://shopify/Product/1001") { ...P } }`;
    expect(cost(q)).toBe(2 + 2 * 2 + 2);
  });

  it("honours @skip and @include", () => {
    expect(cost(`query ($s: Boolean!) { shop { id } products(first: 9) @skip(if: $s) { nodes { id } } }`, { s: true })).toBe(1);
  });

  it("charges the most expensive member of an interface or union", () => {
    expect(
      cost(`{ node(id: "gid://shopify/Product/1001") { id ... on Product { featuredImage { url } priceRangeV2 { minVariantPrice { amount } } } } }`),
    ).toBe(1 + 3);
  });

  it("charges 10 per mutation, whatever the payload", () => {
    expect(
      cost(`mutation { metafieldsSet(metafields: []) { metafields { id owner { ... on Shop { id } } } userErrors { field } } }`),
    ).toBe(10);
  });
});

describe("calculated query cost (actual) and extensions.cost", () => {
  it("reports requested and actual cost: a connection costs what it returned", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: 50, query: "tag:coffee") { nodes { id } } }`);
    expect(res.extensions?.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 2 + 4 });
  });

  it("a null object costs 1 and its children nothing", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ product(id: "gid://shopify/Product/999999") { id variants(first: 250) { nodes { id } } } }`);
    expect(res.data).toEqual({ product: null });
    expect(res.extensions?.cost).toMatchObject({ requestedQueryCost: 1 + 2 + 250, actualQueryCost: 1 });
  });

  it("refuses a query over the single-query limit of 1000 before running it", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: 250) { nodes { variants(first: 10) { nodes { id } } } } }`);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * 13, maxCost: 1000 });
    expect(res.errors?.[0]?.message).toMatch(/^Query cost is 3252, which exceeds the single query max cost limit \(1000\)/);
    expect(res.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(2000);
  });
});

describe("nodes(ids:)", () => {
  it("charges one object per id asked for", () => {
    expect(cost(`{ nodes(ids: ["gid://shopify/Product/1001", "gid://shopify/Product/1002", "gid://shopify/Product/1003"]) { id } }`)).toBe(3);
  });
});
