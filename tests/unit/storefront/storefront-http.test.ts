// The local storefront over HTTP: pages, the Ajax Cart API, section rendering, currency.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handleAdminGraphql } from "../../../localshop/admin-api";
import { handleStorefront } from "../../../localshop/storefront";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset } from "../../../localshop/storefront/demo-ruleset";
import { createLocalShop, type LocalShopState } from "../../../localshop/state";

let server: http.Server;
let url: string;
let state: LocalShopState;
const ids = demoIds();

beforeAll(async () => {
  state = createLocalShop();
  server = http.createServer(async (req, res) => {
    if (req.url!.startsWith("/admin/api/")) return void (await handleAdminGraphql(req, res, state));
    if (!(await handleStorefront(req, res, { state, appUrl: "http://app.test" }))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await publishStorefrontRuleset(url, buildDemoRuleset(state.data));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A visitor with a cookie jar. */
function visitor() {
  let cookies: Record<string, string> = {};
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(url + path, { redirect: "manual", ...init, headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; "), ...(init.headers as object) } });
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(";");
      const [k, v] = kv.split("=");
      cookies[k] = v;
    }
    return res;
  };
  const post = (path: string, body: unknown) => call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { call, post, reset: () => (cookies = {}) };
}
let v: ReturnType<typeof visitor>;
beforeEach(() => {
  v = visitor();
});

describe("pages", () => {
  it("renders the product page with the app block and embed, and its assets in the head", async () => {
    const html = await (await v.call("/products/aurora-phone")).text();
    expect(html).toContain('data-cartlift-mount="product"');
    expect(html).toContain('id="cartlift-config"');
    expect(html).toMatch(/<link rel="stylesheet" href="\/cdn\/shop\/extensions\/[^"]+\/assets\/cartlift\.css\?v=\w+"/);
    expect(html).toMatch(/<script src="\/cdn\/shop\/extensions\/[^"]+\/assets\/cartlift\.js\?v=\w+" defer="defer"><\/script>/);
    expect(html.indexOf("cartlift.js")).toBeLessThan(html.indexOf("</head>"));
  });

  it("renders without any app when asked (?apps=off)", async () => {
    const html = await (await v.call("/products/aurora-phone?apps=off")).text();
    expect(html).not.toMatch(/data-cartlift|\/assets\/cartlift|shopify-app-block/);
  });

  it("prints product, variant, collection and line texts as text, never as markup", async () => {
    const product = state.data.products.find((p) => p.handle == "crispy-fries")!;
    const collection = state.data.collections.find((c) => c.handle == "food")!;
    const variant = state.data.variants.find((x) => x.sku == "CK-FRIES-R")!;
    const before = [product.title, product.vendor, collection.title, variant.title];
    product.title = 'Fries <img src=x onerror="alert(1)"> & co';
    product.vendor = "Salt & <b>Pepper</b>";
    collection.title = "Food <i>now</i>";
    variant.title = "Regular <small>";
    try {
      await v.post("/cart/add.js", { id: variant.id.split("/").pop(), quantity: 1, properties: { Note: "<u>crispy</u>" } });
      const pages = await Promise.all(["/collections/food", "/products/crispy-fries", "/cart", "/"].map(async (path) => (await v.call(path)).text()));
      for (const html of pages) expect(html).not.toMatch(/<img src=x|<b>Pepper|<i>now|<small>|<u>crispy/);
      const [collectionPage, productPage, cartPage] = pages;
      expect(collectionPage).toContain("Fries &lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co");
      expect(collectionPage).toContain("Food &lt;i&gt;now&lt;/i&gt;");
      expect(productPage).toContain("Salt &amp; &lt;b&gt;Pepper&lt;/b&gt;");
      expect(productPage).toContain("Regular &lt;small&gt;");
      expect(cartPage).toContain("Note: &lt;u&gt;crispy&lt;/u&gt;");
    } finally {
      [product.title, product.vendor, collection.title, variant.title] = before;
    }
  });

  it("answers 404 for an unknown product and leaves other paths to other handlers", async () => {
    expect((await v.call("/products/nope")).status).toBe(404);
    expect((await v.call("/checkout")).status).toBe(404); // not ours: the test server's fallback
  });

  it("serves locale subfolders with the extension's translations", async () => {
    await v.post("/cart/add.js", { id: ids.charger, quantity: 1 });
    const html = await (await v.call("/ko/cart")).text();
    expect(html).toContain('lang="ko"');
    expect(html).toContain("무료 배송");
  });
});

describe("the Ajax Cart API", () => {
  it("adds lines (merging same variant and properties), prices them from the catalog and keeps hidden properties", async () => {
    let res = await v.post("/cart/add.js", { items: [{ id: ids.caseBlack, quantity: 1, properties: { _cartlift_offer: "phone-accessories" }, price: 1 }] });
    expect(res.status).toBe(200);
    const added = (await res.json()).items[0];
    expect(added).toMatchObject({ variant_id: Number(ids.caseBlack), quantity: 1, original_price: 2900, properties: { _cartlift_offer: "phone-accessories" } });
    await v.post("/cart/add.js", { id: ids.caseBlack, quantity: 2, properties: { _cartlift_offer: "phone-accessories" } });
    await v.post("/cart/add.js", { id: ids.caseBlack, quantity: 1 });
    const cart = await (await v.call("/cart.js")).json();
    expect(cart.items.map((i: any) => [i.quantity, i.properties])).toEqual([[1, {}], [3, { _cartlift_offer: "phone-accessories" }]]);
  });

  it("applies the engine's discounts as the discount function would (accessory with its phone)", async () => {
    await v.post("/cart/add.js", { id: ids.phone64, quantity: 1 });
    await v.post("/cart/add.js", { id: ids.caseBlack, quantity: 1, properties: { _cartlift_offer: "phone-accessories" } });
    const cart = await (await v.call("/cart.js")).json();
    const caseLine = cart.items.find((i: any) => i.variant_id == Number(ids.caseBlack));
    expect(caseLine).toMatchObject({ original_line_price: 2900, final_line_price: 2610, total_discount: 290 });
    expect(cart).toMatchObject({ original_total_price: 72800, total_price: 72510, total_discount: 290 });
  });

  it("refuses a sold-out variant and more than the stock", async () => {
    const shake = (await v.post("/cart/add.js", { id: ids.variant("CK-SHAKE-VAN"), quantity: 1 }));
    expect(shake.status).toBe(422);
    expect((await shake.json()).description).toMatch(/sold out/);
    const grill = await v.post("/cart/add.js", { id: ids.grillVariant, quantity: 9 });
    expect(grill.status).toBe(422);
    expect((await (await v.call("/cart.js")).json()).item_count).toBe(0);
  });

  it("changes a line by key or 1-based line, removes at 0, and updates by key", async () => {
    await v.post("/cart/add.js", { items: [{ id: ids.charger, quantity: 1 }, { id: ids.film, quantity: 1 }] });
    let cart = await (await v.call("/cart.js")).json();
    const filmKey = cart.items.find((i: any) => i.variant_id == Number(ids.film)).key;
    cart = await (await v.post("/cart/change.js", { id: filmKey, quantity: 3 })).json();
    expect(cart.items.find((i: any) => i.key == filmKey).quantity).toBe(3);
    const chargerLine = cart.items.findIndex((i: any) => i.variant_id == Number(ids.charger)) + 1;
    cart = await (await v.post("/cart/change.js", { line: chargerLine, quantity: 0 })).json();
    expect(cart.items.map((i: any) => i.key)).toEqual([filmKey]);
    cart = await (await v.post("/cart/update.js", { updates: { [filmKey]: 5 }, note: "gift" })).json();
    expect(cart).toMatchObject({ item_count: 5, note: "gift" });
  });

  it("renders requested sections with a cart change (Dawn's drawer refresh)", async () => {
    const res = await (await v.post("/cart/add.js", { id: ids.charger, quantity: 1, sections: "cart-drawer,cart-icon-bubble", sections_url: "/products/usb-c-charger-20w" })).json();
    expect(Object.keys(res.sections)).toEqual(["cart-drawer", "cart-icon-bubble"]);
    expect(res.sections["cart-icon-bubble"]).toContain('class="cart-count-bubble"');
    const page = await (await v.call("/cart?sections=main-cart-footer,nope")).json();
    expect(page["main-cart-footer"]).toContain("data-cartlift-bar");
    expect(page.nope).toBeNull();
  });

  it("accepts a form post without JavaScript and redirects to the cart", async () => {
    const res = await v.call("/cart/add", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `id=${ids.charger}&quantity=2&properties%5BNote%5D=hi` });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/cart");
    const cart = await (await v.call("/cart.js")).json();
    expect(cart.items[0]).toMatchObject({ quantity: 2, properties: { Note: "hi" } });
  });
});

describe("currencies", () => {
  it("switches the cart's currency and converts at the shop's rates", async () => {
    await v.post("/cart/add.js", { id: ids.charger, quantity: 3 });
    const res = await v.call("/localization", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "currency_code=JPY&return_to=/cart" });
    expect(res.headers.get("location")).toBe("/cart");
    const cart = await (await v.call("/cart.js")).json();
    expect(cart).toMatchObject({ currency: "JPY", total_price: 1136400 }); // ¥3,788 × 3, in Liquid cents
    const html = await (await v.call("/cart?currency=KRW")).text();
    expect(html).toContain("₩103,500");
  });

  it("renders the bar exactly in the shop currency: $25.00 away with $50 in the cart", async () => {
    await v.post("/cart/add.js", { id: ids.charger, quantity: 2 });
    const html = await (await v.call("/cart")).text();
    expect(html).toContain("You&#39;re $25.00 away from free shipping");
    expect(html).toContain('aria-valuenow="66"');
  });
});
