// The admin layout hands Polaris the merchant's language (Shopify opens embedded apps
// with ?locale=), so Polaris's own texts (pagination, bulk actions, filters) follow it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShop, type RunningLocalShop } from "../../localshop/server";

let shop: RunningLocalShop;

beforeAll(async () => {
  shop = await startLocalShop();
  process.env.LOCAL_SHOP_URL = shop.url;
});

afterAll(async () => {
  delete process.env.LOCAL_SHOP_URL;
  await shop.stop();
});

type Translations = { Polaris: { Pagination: { next: string }; IndexTable: { selectAllLabel: string } } };

async function layoutData(url: string, headers: Record<string, string> = {}) {
  const { loader } = await import("../../app/routes/app");
  const data = (await loader({ request: new Request(url, { headers }), params: {}, context: {} })) as unknown as {
    locale: string;
    i18n: Translations;
  };
  return data;
}

describe("the admin's language", () => {
  it("gives Polaris Korean texts when Shopify opens the app with ?locale=ko", async () => {
    const data = await layoutData("http://localhost/app?locale=ko");
    expect(data.locale).toBe("ko");
    expect(data.i18n.Polaris.Pagination.next).toBe("다음");
  });

  it("follows the browser's language outside Shopify, and English where Polaris has none", async () => {
    expect((await layoutData("http://localhost/app", { "accept-language": "pt-BR,pt;q=0.9" })).i18n.Polaris.Pagination.next).toBe("Próximo");
    expect((await layoutData("http://localhost/app?locale=hy")).i18n.Polaris.Pagination.next).toBe("Next");
  });
});
