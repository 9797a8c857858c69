// The editor's product search (/api/products) when Shopify fails: the route answers 502
// with a message the search field shows, never a 500 page, and searching works again as
// soon as Shopify is back. Shopify is the local shop, rehearsing an outage (503s).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loader as searchLoader } from "../../app/routes/api.products";
import { uniqueShop } from "../support/webhooks";
import { adminRequest } from "../support/session-token";
import { startTestShop, type TestShop } from "./offers/support";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterEach(() => {
  testShop.local.state.outage.adminApi = false;
  vi.restoreAllMocks();
});
afterAll(() => testShop.stop());

async function search(shop: string, query: string): Promise<Response> {
  try {
    return (await searchLoader({ request: adminRequest(shop, `/api/products?type=products&currency=USD&q=${encodeURIComponent(query)}`), params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("product search", () => {
  it("finds products while Shopify answers", async () => {
    const shop = uniqueShop("search");
    const response = await search(shop, "Aurora Phone");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.products.map((p: { title: string }) => p.title)).toContain("Aurora Phone");
  });

  it("answers 502 with a message when Shopify fails, and works again once it is back", async () => {
    const shop = uniqueShop("search-outage");
    expect((await search(shop, "Aurora")).status).toBe(200); // installed, session stored
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    testShop.local.state.outage.adminApi = true;
    const failed = await search(shop, "Aurora Phone");
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ error: "Shopify did not answer the search. Try again in a moment.", products: [], collections: [], nextCursor: null });

    testShop.local.state.outage.adminApi = false;
    const again = await search(shop, "Aurora Phone");
    expect(again.status).toBe(200);
    expect((await again.json()).products.length).toBeGreaterThan(0);
  });
});
