// The editor's product search (/api/products) and live preview (/api/preview) when Shopify
// fails: the routes answer 502 with a message the search field or the preview panel shows,
// never a 500, and work again as soon as Shopify is back. Shopify is the local shop,
// rehearsing an outage (503s). When the app's own database fails instead, the preview says
// so (503), not that Shopify did not answer.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loader as searchLoader } from "../../app/routes/api.products";
import { loader as previewLoader } from "../../app/routes/api.preview";
import prisma, { createPrismaClient } from "../../app/db.server";
import { appPoolConfig } from "../../app/db/connection.server";
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

async function call(loader: typeof searchLoader, request: Request): Promise<Response> {
  try {
    return (await loader({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const search = (shop: string, query: string) => call(searchLoader, adminRequest(shop, `/api/products?type=products&currency=USD&q=${encodeURIComponent(query)}`));
const preview = (shop: string) =>
  call(previewLoader, adminRequest(shop, `/api/preview?q=${encodeURIComponent(JSON.stringify({ sample: { items: [{ variantId: "2001", quantity: 1 }], currency: "USD", placement: "cart" } }))}`));

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

  it("the live preview answers 502 with a message when Shopify fails, and previews again once it is back", async () => {
    const shop = uniqueShop("preview-outage");
    const ok = await preview(shop);
    expect(ok.status).toBe(200);
    expect((await ok.json()).lines[0].title).toBe("Aurora Phone");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    testShop.local.state.outage.adminApi = true;
    const failed = await preview(shop);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ error: "Shopify did not answer" });
    testShop.local.state.outage.adminApi = false;
    expect((await preview(shop)).status).toBe(200);
  });

  it("the live preview says the app's own storage failed when the database does, and previews again once it is back", async () => {
    const shop = uniqueShop("preview-db-down");
    expect((await preview(shop)).status).toBe(200); // installed, session stored
    // The preview's read of the shop's row goes to a database that does not answer (a real
    // connection refused, through a real Prisma client), while Shopify answers as usual.
    const url = "postgresql://cartlift:cartlift@127.0.0.1:1/cartlift";
    const unreachable = createPrismaClient(url, appPoolConfig(url, { connect: 500, query: 500, statement: 500, idleInTransaction: 500 }));
    try {
      const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
      vi.spyOn(prisma.shop, "findUnique").mockImplementation(((args: Parameters<typeof prisma.shop.findUnique>[0]) => unreachable.shop.findUnique(args)) as never);
      const failed = await preview(shop);
      expect(failed.status).toBe(503);
      expect(await failed.json()).toEqual({ error: "Cartlift's own storage did not answer" });
      expect(String(logged.mock.calls[0]?.[0])).toContain("database");
    } finally {
      vi.restoreAllMocks();
      await unreachable.$disconnect();
    }
    expect((await preview(shop)).status).toBe(200);
  });
});
