import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "../../../localshop/admin-api";
import { gql, makeShop } from "./helpers";

const HANDLES = `query Search($q: String, $first: Int = 50) {
  products(first: $first, query: $q) { nodes { handle } }
}`;

async function handles(q: string): Promise<string[]> {
  const { state } = makeShop();
  const res = await gql<{ products: { nodes: { handle: string }[] } }>(state, HANDLES, { q });
  expect(res.errors).toBeUndefined();
  return res.data!.products.nodes.map((n) => n.handle);
}

describe("search syntax parser", () => {
  it("parses field terms, comparators, quotes, prefixes, negation and OR", () => {
    expect(parseSearchQuery('title:"Aurora Phone" -tag:draft id:>=1005 vendor:Aur* OR phone')).toEqual({
      kind: "or",
      children: [
        {
          kind: "and",
          children: [
            { kind: "term", field: "title", comparator: ":", value: "Aurora Phone", prefix: false, quoted: true },
            { kind: "not", child: { kind: "term", field: "tag", comparator: ":", value: "draft", prefix: false, quoted: false } },
            { kind: "term", field: "id", comparator: ":>=", value: "1005", prefix: false, quoted: false },
            { kind: "term", field: "vendor", comparator: ":", value: "Aur", prefix: true, quoted: false },
          ],
        },
        { kind: "term", field: null, comparator: ":", value: "phone", prefix: false, quoted: false },
      ],
    });
  });

  it("treats a blank query as no filter", () => {
    expect(parseSearchQuery("   ")).toBeNull();
    expect(parseSearchQuery(null)).toBeNull();
  });
});

describe("products(query:) with Shopify's search syntax", () => {
  it("title: matches words in the title, case-insensitively", async () => {
    expect(await handles("title:aurora")).toEqual([
      "aurora-phone",
      "aurora-phone-mini",
      "aurora-phone-case",
      "aurora-screen-film",
      "aurora-wireless-headphones",
      "aurora-phone-pro",
    ]);
    expect(await handles('title:"phone case"')).toEqual(["aurora-phone-case"]);
  });

  it("title: with * matches a word prefix", async () => {
    expect(await handles("title:cond*")).toEqual(["silk-conditioner"]);
    expect(await handles("title:cond")).toEqual([]);
  });

  it("tag:, vendor: and product_type: match whole values", async () => {
    expect(await handles("tag:case")).toEqual(["aurora-phone-case", "leather-folio-case"]);
    expect(await handles("vendor:'Maren Botanics' product_type:Styling")).toEqual(["curl-defining-spray"]);
    expect(await handles("product_type:phone")).toEqual(["aurora-phone", "aurora-phone-mini", "aurora-phone-pro"]);
    expect(await handles("product_type:Phone*")).toEqual(
      expect.arrayContaining(["aurora-phone", "aurora-phone-case", "leather-folio-case"]),
    );
  });

  it("id: compares the numeric id, and accepts a full GID", async () => {
    expect(await handles("id:1001")).toEqual(["aurora-phone"]);
    expect(await handles("id:gid://shopify/Product/1002")).toEqual(["aurora-phone-mini"]);
    expect(await handles("id:>=1041")).toEqual(["paper-filters", "aurora-phone-pro"]);
  });

  it("free text matches title, vendor, type, tags and SKUs; every word must match", async () => {
    expect(await handles("grill brush")).toEqual(["grill-brush"]);
    expect(await handles("AUR-FILM-2")).toEqual(["aurora-screen-film"]);
    expect(await handles("espresso")).toEqual(["espresso-roast"]);
  });

  it("combines terms with implicit AND, OR, NOT, - and parentheses", async () => {
    expect(await handles("tag:aurora tag:case")).toEqual(["aurora-phone-case", "leather-folio-case"]);
    expect(await handles("tag:aurora tag:case -vendor:'Northfield Leather'")).toEqual(["aurora-phone-case"]);
    expect(await handles("tag:aurora AND NOT tag:case AND product_type:Phone")).toEqual([
      "aurora-phone",
      "aurora-phone-mini",
      "aurora-phone-pro",
    ]);
    expect(await handles("(product_type:Grill OR title:brush) AND tag:bbq")).toEqual(["ember-gas-grill", "grill-brush"]);
  });

  it("status: filters by product status", async () => {
    expect(await handles("status:draft")).toEqual(["aurora-phone-pro"]);
    expect((await handles("status:active")).length).toBe(41);
  });

  it("ignores an unknown field like Shopify, and reports a search warning", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: 3, query: "colour:red tag:case") { nodes { handle } } }`);
    expect(res.data.products.nodes.map((n: { handle: string }) => n.handle)).toEqual(["aurora-phone-case", "leather-folio-case"]);
    expect(res.extensions?.search).toEqual([
      {
        path: ["products"],
        query: "colour:red tag:case",
        warnings: [{ field: "colour", message: "Invalid search field for this query.", code: "invalid_field" }],
      },
    ]);
  });

  it("searches variants, collections and orders with their own fields", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{
        productVariants(first: 5, query: "product_id:1001") { nodes { sku } }
        bySku: productVariants(first: 5, query: "sku:AUR-CASE-*") { nodes { title } }
        collections(first: 5, query: "product_id:1031") { nodes { handle } }
      }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.productVariants.nodes).toEqual([{ sku: "AUR-PH-64" }, { sku: "AUR-PH-128" }]);
    expect(res.data.bySku.nodes.map((n: { title: string }) => n.title)).toEqual(["Black", "Clear", "Sky Blue"]);
    expect(res.data.collections.nodes.map((n: { handle: string }) => n.handle)).toEqual(["accessories", "photo"]);
  });

  it("counts with the same query", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ productsCount(query: "tag:coffee") { count precision } }`);
    expect(res.data.productsCount).toEqual({ count: 4, precision: "EXACT" });
  });
});
