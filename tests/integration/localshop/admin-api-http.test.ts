// The Admin API double over real HTTP: a server on a random port, called with fetch and
// with Shopify's own Admin API client, as the app will call it in local-shop mode.
import { createAdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShop, type RunningLocalShop } from "../../../localshop/server";
import { createLocalShop, drainThrottleBucket, getMetafieldJson, resetThrottleBucket, type LocalShopState } from "../../../localshop/state";

let state: LocalShopState;
let server: RunningLocalShop;
let endpoint: string;

beforeAll(async () => {
  state = createLocalShop({ throttle: { maximumAvailable: 200, restoreRate: 20 } });
  server = await startLocalShop({ state });
  endpoint = `${server.url}/admin/api/2026-10/graphql.json`;
});

afterAll(async () => {
  await server.stop();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_local", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("Admin GraphQL over HTTP", () => {
  it("listens on a random port on loopback", () => {
    const port = Number(new URL(server.url).port);
    expect(port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it("answers 401 like Shopify without an access token", async () => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { id } }" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("serves a query with data, extensions.cost and the API version header", async () => {
    resetThrottleBucket(state);
    const res = await post({ query: "query Shop { shop { name currencyCode } }", operationName: "Shop" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-shopify-api-version")).toBe("2026-10");
    const body = await res.json();
    expect(body).toEqual({
      data: { shop: { name: "Cartlift Demo", currencyCode: "USD" } },
      extensions: {
        cost: {
          requestedQueryCost: 1,
          actualQueryCost: 1,
          throttleStatus: { maximumAvailable: 200, currentlyAvailable: expect.any(Number), restoreRate: 20 },
        },
      },
    });
    // 199, or 200 if the bucket refilled a point while the request ran.
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(199);
  });

  it("accepts application/graphql bodies and JSON variables", async () => {
    const raw = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/graphql", "x-shopify-access-token": "t" },
      body: "{ productsCount { count } }",
    });
    expect((await raw.json()).data).toEqual({ productsCount: { count: 42 } });

    const withVars = await post({
      query: "query ($q: String!) { products(first: 2, query: $q) { nodes { handle } } }",
      variables: { q: "tag:case" },
    });
    expect((await withVars.json()).data.products.nodes).toEqual([{ handle: "aurora-phone-case" }, { handle: "leather-folio-case" }]);
  });

  it("answers 400 without a query, and 404 off the API path or with a malformed version", async () => {
    expect((await post({ variables: {} })).status).toBe(400);
    expect((await post("not json")).status).toBe(400);
    const badVersion = await fetch(`${server.url}/admin/api/latest-ish/graphql.json`, {
      method: "POST",
      headers: { "x-shopify-access-token": "t", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { id } }" }),
    });
    expect(badVersion.status).toBe(404);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it("writes the published ruleset with metafieldsSet, readable by other parts through the state", async () => {
    const res = await post({
      query: `mutation ($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key } userErrors { code } } }`,
      variables: {
        m: [
          {
            ownerId: "gid://shopify/AppInstallation/7501",
            namespace: "cartlift",
            key: "ruleset",
            type: "json",
            value: JSON.stringify({ schemaVersion: 1, revision: 1 }),
          },
        ],
      },
    });
    const body = await res.json();
    expect(body.data.metafieldsSet).toEqual({ metafields: [{ namespace: "cartlift", key: "ruleset" }], userErrors: [] });
    expect(body.extensions.cost.requestedQueryCost).toBe(10);
    expect(getMetafieldJson(state, "gid://shopify/AppInstallation/7501", "cartlift", "ruleset")).toEqual({ schemaVersion: 1, revision: 1 });
  });

  it("answers THROTTLED with HTTP 200 and the bucket's state when drained, then recovers", async () => {
    drainThrottleBucket(state);
    const res = await post({ query: "{ products(first: 30) { nodes { id } } }" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(body.extensions.cost.requestedQueryCost).toBe(32);
    expect(body.extensions.cost.actualQueryCost).toBeNull();
    expect(body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 200, restoreRate: 20 });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(32);

    resetThrottleBucket(state);
    const again = await (await post({ query: "{ products(first: 30) { nodes { id } } }" })).json();
    expect(again.data.products.nodes).toHaveLength(30);
  });

  it("serves product images at the absolute URLs the API returns", async () => {
    resetThrottleBucket(state);
    const body = await (await post({ query: `{ product(id: "gid://shopify/Product/1013") { featuredImage { url } } }` })).json();
    const url: string = body.data.product.featuredImage.url;
    expect(url).toBe(`${server.url}/localshop/images/ember-gas-grill.svg`);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    expect(await image.text()).toContain("Ember 3-Burner Gas Grill");
    expect((await fetch(`${server.url}/localshop/images/..%2Fstate.ts`)).status).toBe(404);
  });

  it("shares one server with the local storefront", async () => {
    const res = await fetch(`${server.url}/products/aurora-phone`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Aurora Phone");
  });

  it("works with Shopify's Admin API client pointed at the local shop", async () => {
    resetThrottleBucket(state);
    const client = createAdminApiClient({
      storeDomain: "cartlift-demo.myshopify.com",
      apiVersion: "2026-10",
      accessToken: "shpat_local",
      logger: () => {},
      customFetchApi: (url, init) => fetch(String(url).replace("https://cartlift-demo.myshopify.com", server.url), init),
    });
    const { data, errors, extensions } = await client.request<{ products: { nodes: { title: string }[] } }>(
      `query Phones($q: String) { products(first: 5, query: $q) { nodes { title } } }`,
      { variables: { q: "product_type:Phone status:active" } },
    );
    expect(errors).toBeUndefined();
    expect(data?.products.nodes.map((n) => n.title)).toEqual(["Aurora Phone", "Aurora Phone Mini"]);
    expect(extensions?.cost).toMatchObject({ requestedQueryCost: 7, actualQueryCost: 4 });

    drainThrottleBucket(state);
    const throttled = await client.request(`{ products(first: 5) { nodes { id } } }`);
    expect(throttled.errors?.graphQLErrors?.[0]).toMatchObject({ extensions: { code: "THROTTLED" } });
  });
});
