import { describe, expect, it } from "vitest";
import { paginate } from "../../../localshop/admin-api";
import { gql, makeShop } from "./helpers";

const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String, $sortKey: ProductSortKeys, $reverse: Boolean) {
  products(first: $first, after: $after, last: $last, before: $before, sortKey: $sortKey, reverse: $reverse) {
    edges { cursor node { id title } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  products: {
    edges: { cursor: string; node: { id: string; title: string } }[];
    nodes: { id: string }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const ids = (p: Page) => p.products.nodes.map((n) => Number(n.id.split("/").pop()));

describe("connection pagination", () => {
  it("walks every product forward with first/after, exactly once, in id order", async () => {
    const { state } = makeShop();
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: Awaited<ReturnType<typeof gql<Page>>> = await gql<Page>(state, PAGE, { first: 10, after });
      expect(res.errors).toBeUndefined();
      const page: Page = res.data!;
      seen.push(...ids(page));
      expect(page.products.edges.map((e) => e.node.id)).toEqual(page.products.nodes.map((n) => n.id));
      expect(page.products.pageInfo.startCursor).toBe(page.products.edges[0]?.cursor ?? null);
      expect(page.products.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!page.products.pageInfo.hasNextPage) break;
      after = page.products.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 42 }, (_, i) => 1001 + i));
  });

  it("walks backward with last/before", async () => {
    const { state } = makeShop();
    const last = (await gql<Page>(state, PAGE, { last: 3 })).data!;
    expect(ids(last)).toEqual([1040, 1041, 1042]);
    expect(last.products.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = (await gql<Page>(state, PAGE, { last: 3, before: last.products.pageInfo.startCursor })).data!;
    expect(ids(before)).toEqual([1037, 1038, 1039]);
  });

  it("sorts by sortKey, and reverse flips the order", async () => {
    const { state } = makeShop();
    const byTitle = (await gql<Page>(state, PAGE, { first: 3, sortKey: "TITLE" })).data!;
    expect(byTitle.products.edges.map((e) => e.node.title)).toEqual(["20W USB-C Charger", "Aurora Phone", "Aurora Phone Case"]);
    const reversed = (await gql<Page>(state, PAGE, { first: 2, reverse: true })).data!;
    expect(ids(reversed)).toEqual([1042, 1041]);
    const next = (await gql<Page>(state, PAGE, { first: 2, reverse: true, after: reversed.products.pageInfo.endCursor })).data!;
    expect(ids(next)).toEqual([1040, 1039]);
  });

  it("answers an empty page with null cursors", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products(first: 5, query: "tag:nothing-has-this") { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
    expect(res.data.products).toEqual({
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it("requires first or last, like Shopify", async () => {
    const { state } = makeShop();
    const res = await gql(state, `{ products { nodes { id } } }`);
    expect(res.errors?.[0]?.message).toBe("you must provide one of first or last");
    expect(res.data).toBeNull();
  });

  it("refuses page sizes over 250 and unknown cursors", async () => {
    const { state } = makeShop();
    expect((await gql(state, `{ products(first: 251) { nodes { id } } }`)).errors?.[0]?.message).toMatch(/between 0 and 250/);
    expect((await gql(state, `{ products(first: 1, after: "bm9wZQ==") { nodes { id } } }`)).errors?.[0]?.message).toBe(
      "Invalid cursor for current pagination sort.",
    );
  });

  it("pages nested connections: a collection's products and a product's variants", async () => {
    const { state } = makeShop();
    const res = await gql(
      state,
      `{ collection(id: "gid://shopify/Collection/3002") {
          title
          products(first: 4) { nodes { handle } pageInfo { hasNextPage } }
        }
        product(id: "gid://shopify/Product/1003") { variants(first: 2) { nodes { title } pageInfo { hasNextPage } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.collection.title).toBe("Accessories");
    expect(res.data.collection.products.nodes.map((n: { handle: string }) => n.handle)).toEqual([
      "aurora-phone-case",
      "leather-folio-case",
      "aurora-screen-film",
      "privacy-screen-film",
    ]);
    expect(res.data.collection.products.pageInfo.hasNextPage).toBe(true);
    expect(res.data.product.variants).toEqual({ nodes: [{ title: "Black" }, { title: "Clear" }], pageInfo: { hasNextPage: true } });
  });

  it("paginate() slices plain lists the same way", () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ id: `gid://shopify/Thing/${i + 1}` }));
    const first = paginate(items, { first: 2 }, (t) => t.id);
    expect(first.nodes.map((t) => t.id)).toEqual(["gid://shopify/Thing/1", "gid://shopify/Thing/2"]);
    const rest = paginate(items, { first: 10, after: first.pageInfo.endCursor }, (t) => t.id);
    expect(rest.nodes).toHaveLength(3);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
