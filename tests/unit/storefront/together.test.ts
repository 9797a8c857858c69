// Frequently bought together on the storefront: Shopify's Product Recommendations endpoint
// as the local storefront serves it (complementary from Search & Discovery's metafield,
// related by similarity, Shopify's errors), read into the engine's shape, and the page's
// Liquid handing the mined list to the script. (The social proof rows: views.test.ts.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, type Ruleset } from "../../../app/engine";
import { handleAdminGraphql } from "../../../localshop/admin-api";
import { handleStorefront } from "../../../localshop/storefront";
import { publishStorefrontRuleset } from "../../../localshop/storefront/demo-ruleset";
import { appNamespace, createLocalShop, getProductByHandle, getProductVariants, gidTail, setMetafields, type LocalShopState } from "../../../localshop/state";
import { fbtShort, recommendedFrom } from "../../../storefront/together";

let server: http.Server;
let url: string;
let state: LocalShopState;
const pid = (handle: string) => gidTail(getProductByHandle(state, handle)!.id)!;
const vid = (handle: string) => gidTail(getProductVariants(state, getProductByHandle(state, handle)!.id)[0].id)!;

beforeAll(async () => {
  state = createLocalShop();
  server = http.createServer(async (req, res) => {
    if (req.url!.startsWith("/admin/api/")) return void (await handleAdminGraphql(req, res, state));
    if (!(await handleStorefront(req, res, { state, appUrl: "http://app.test" }))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = async (path: string) => {
  const res = await fetch(url + path, { headers: { Accept: "application/json" } });
  return { status: res.status, body: await res.json() };
};

describe("/recommendations/products.json on the local storefront", () => {
  it("complementary: what the merchant set in Search & Discovery, in order", async () => {
    const { status, body } = await get(`/recommendations/products.json?product_id=${pid("aurora-phone")}&intent=complementary`);
    expect(status).toBe(200);
    expect(body.intent).toBe("complementary");
    expect(body.products.map((p: { handle: string }) => p.handle)).toEqual(["usb-c-charger-20w", "wired-earbuds"]);
    expect(body.products[0]).toMatchObject({ id: Number(pid("usb-c-charger-20w")), title: "20W USB-C Charger", available: true, variants: [expect.objectContaining({ id: Number(vid("usb-c-charger-20w")), price: 2500 })] });
    const none = await get(`/recommendations/products.json?product_id=${pid("yoga-mat")}&intent=complementary`);
    expect(none.body.products).toEqual([]);
  });

  it("related (the default): similar products first, never the product itself, within the limit", async () => {
    const { body } = await get(`/recommendations/products.json?product_id=${pid("aurora-phone")}&limit=4`);
    expect(body.intent).toBe("related");
    const handles = body.products.map((p: { handle: string }) => p.handle);
    expect(handles).toHaveLength(4);
    expect(handles[0]).toBe("aurora-phone-mini"); // same collection, type, vendor and tags
    expect(handles).not.toContain("aurora-phone");
    expect(handles).not.toContain("aurora-phone-pro"); // a draft is not on sale
  });

  it("answers Shopify's errors: 422 for a bad parameter, 404 for an unknown product", async () => {
    expect((await get("/recommendations/products.json")).body).toMatchObject({ status: 422, message: "Invalid parameter error" });
    expect((await get(`/recommendations/products.json?product_id=${pid("aurora-phone")}&limit=11`)).status).toBe(422);
    expect((await get(`/recommendations/products.json?product_id=${pid("aurora-phone")}&intent=upsell`)).status).toBe(422);
    expect(await get("/recommendations/products.json?product_id=999999")).toEqual({ status: 404, body: expect.objectContaining({ message: "Product not found" }) });
  });

  it("reads into the engine's recommended products (cents → minor units, first available variant)", async () => {
    const { body } = await get(`/recommendations/products.json?product_id=${pid("aurora-phone")}&intent=complementary`);
    expect(recommendedFrom(body, "USD")[0]).toEqual({ productId: pid("usb-c-charger-20w"), variantId: vid("usb-c-charger-20w"), title: "20W USB-C Charger", handle: "usb-c-charger-20w", image: expect.any(String), price: 2500, available: true });
    expect(recommendedFrom({ products: [{ id: 1 }] }, "USD")).toEqual([]);
    expect(recommendedFrom(null, "USD")).toEqual([]);
  });
});

describe("the product page hands the mined list to the script", () => {
  it("renders the product's $app list in the block's JSON, and each cart product's in the page config", async () => {
    const ruleset: Ruleset = { schemaVersion: 1, revision: 1, shop: { currency: "USD" }, offers: [{ id: "fbt", kind: "cross_sell", source: "fbt", variants: [] }], products: {} };
    await publishStorefrontRuleset(url, ruleset);
    const value = { v: 1, windowDays: 60, recentDays: 30, picks: [{ product: getProductByHandle(state, "aurora-phone-case")!.id, score: 0.5, orders: 40, recent: 12 }] };
    setMetafields(state, [{ ownerId: getProductByHandle(state, "aurora-phone")!.id, namespace: appNamespace(state), key: "frequently_bought_together", type: "json", value: JSON.stringify(value) }]);
    const html = await (await fetch(url + "/products/aurora-phone")).text();
    const block = /<script type="application\/json" data-cartlift-product>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(block).together).toEqual(value);
    const none = await (await fetch(url + "/products/yoga-mat")).text();
    expect(JSON.parse(/data-cartlift-product>([\s\S]*?)<\/script>/.exec(none)![1]).together).toBeNull();
    // The cart's products, in the page configuration (the drawer and cart read them).
    const add = await fetch(url + "/cart/add.js", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: Number(vid("aurora-phone")), quantity: 1 }) });
    const cookie = add.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const page = await (await fetch(url + "/collections/all", { headers: { cookie } })).text();
    const config = JSON.parse(/<script type="application\/json" id="cartlift-config">([\s\S]*?)<\/script>/.exec(page)![1]);
    expect(config.together).toEqual({ [pid("aurora-phone")]: value });
  });
});

describe("short offers and social proof", () => {
  const rs: Ruleset = { schemaVersion: 1, revision: 1, shop: { currency: "USD" }, offers: [{ id: "fbt", kind: "cross_sell", source: "fbt", variants: [], placements: ["product"] }], products: {} };
  it("asks Shopify only when a frequently-bought-together offer of this placement came up short", () => {
    const viewed = { placement: "product" as const, now: 0, product: { productId: "1", variantId: "11", unitPrice: 1000 } };
    const ev = evaluate(rs, { currency: "USD", lines: [] }, viewed);
    expect(fbtShort(rs, ev, "product")).toBe(true);
    expect(fbtShort(rs, ev, "cart")).toBe(false);
    const full = evaluate(rs, { currency: "USD", lines: [] }, { ...viewed, recommended: { "1": ["a", "b", "c"].map((p) => ({ productId: p, variantId: p + "v", title: p, handle: p, price: 100, available: true })) } });
    expect(full.offers[0].items).toHaveLength(3);
    expect(fbtShort(rs, full, "product")).toBe(false);
  });

});
