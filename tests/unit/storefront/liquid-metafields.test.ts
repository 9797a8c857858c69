// Metafields as the local storefront's Liquid reads them, as Shopify documents the
// metafield object: `value` typed by the metafield's type, a product reference resolved to
// the product object and a list of them to an array of products (in the stored order,
// without products the online store does not sell), `list?` for list types.
import { describe, expect, it } from "vitest";
import { createLiquid } from "../../../localshop/storefront/liquid";
import { cartDrop, productDrop, type RequestInfo } from "../../../localshop/storefront/objects";
import { EXTENSION_DIR } from "../../../localshop/storefront/render";
import { createLocalShop, getProductByHandle, setMetafields, type LocalShopState } from "../../../localshop/state";

const { liquid } = createLiquid(EXTENSION_DIR);
const req: RequestInfo = { locale: "en", prefix: "", currency: "USD", path: "/", origin: "http://shop.test" };

/** A demo shop with these `$app` product metafields; references name products by handle. */
function shopWith(metafields: { handle: string; key: string; type: string; value: string | string[] }[]): LocalShopState {
  const state = createLocalShop();
  const id = (handle: string) => getProductByHandle(state, handle)!.id;
  const { userErrors } = setMetafields(
    state,
    metafields.map((m) => ({
      ownerId: id(m.handle),
      namespace: "$app",
      key: m.key,
      type: m.type,
      value: Array.isArray(m.value) ? JSON.stringify(m.value.map(id)) : m.type == "product_reference" ? id(m.value) : m.value,
    })),
  );
  expect(userErrors).toEqual([]);
  return state;
}

const renderProduct = (state: LocalShopState, handle: string, src: string) => liquid.parseAndRender(src, { product: productDrop(state, getProductByHandle(state, handle)!, req) });

describe("metafields in the local storefront's Liquid", () => {
  it("resolves a list.product_reference value to the products, in the stored order", async () => {
    const state = shopWith([{ handle: "aurora-phone", key: "picks", type: "list.product_reference", value: ["aurora-screen-film", "aurora-phone-case", "usb-c-charger-20w"] }]);
    const html = await renderProduct(
      state,
      "aurora-phone",
      "{% assign picks = product.metafields['$app'].picks %}{{ picks.type }} {{ picks.list? }} {{ picks.value.size }}:{% for p in picks.value %} {{ p.handle }}/{{ p.id }}/{{ p.variants.first.price }}/{{ p.available }}{% endfor %}",
    );
    expect(html).toMatch(/^list\.product_reference true 3: aurora-screen-film\/1005\/[1-9]\d*\/true aurora-phone-case\/1003\/[1-9]\d*\/true usb-c-charger-20w\/1007\/[1-9]\d*\/true$/);
  });

  it("resolves a product_reference to the product, and a list's products read their own metafields", async () => {
    const state = shopWith([
      { handle: "aurora-phone", key: "pick", type: "product_reference", value: "ember-gas-grill" },
      { handle: "aurora-phone", key: "picks", type: "list.product_reference", value: ["aurora-phone-case"] },
      { handle: "aurora-phone-case", key: "picks", type: "list.product_reference", value: ["aurora-phone"] },
    ]);
    expect(await renderProduct(state, "aurora-phone", "{{ product.metafields['$app'].pick.value.handle }} {{ product.metafields['$app'].pick.list? }}")).toBe("ember-gas-grill false");
    // Products that reference each other: each reference resolves when read.
    const back = "{{ product.metafields['$app'].picks.value.first.metafields['$app'].picks.value.first.handle }}";
    expect(await renderProduct(state, "aurora-phone", back)).toBe("aurora-phone");
  });

  it("leaves out products the online store does not sell", async () => {
    const state = shopWith([{ handle: "aurora-phone", key: "picks", type: "list.product_reference", value: ["aurora-phone-pro", "aurora-phone-case"] }]);
    expect(getProductByHandle(state, "aurora-phone-pro")!.status).toBe("DRAFT");
    expect(await renderProduct(state, "aurora-phone", "{% for p in product.metafields['$app'].picks.value %}{{ p.handle }};{% endfor %}")).toBe("aurora-phone-case;");
  });

  it("writes a reference list with the json filter as products, without their metafields", async () => {
    const state = shopWith([
      { handle: "aurora-phone", key: "picks", type: "list.product_reference", value: ["aurora-phone-case"] },
      { handle: "aurora-phone-case", key: "picks", type: "list.product_reference", value: ["aurora-phone"] },
    ]);
    const json = JSON.parse(await renderProduct(state, "aurora-phone", "{{ product.metafields['$app'].picks.value | json }}"));
    expect(json.map((p: { handle: string }) => p.handle)).toEqual(["aurora-phone-case"]);
    expect(json[0]).not.toHaveProperty("metafields");
    expect(json[0].variants.length).toBeGreaterThan(0);
  });

  it("types scalar values: numbers as numbers, booleans as booleans", async () => {
    const state = shopWith([
      { handle: "aurora-phone", key: "count", type: "number_integer", value: "7" },
      { handle: "aurora-phone", key: "gift", type: "boolean", value: "false" },
    ]);
    expect(await renderProduct(state, "aurora-phone", "{{ product.metafields['$app'].count.value | plus: 1 }} {% if product.metafields['$app'].gift.value %}yes{% else %}no{% endif %}")).toBe("8 no");
  });

  it("resolves the references of a cart line's product too", async () => {
    const state = shopWith([{ handle: "aurora-phone", key: "picks", type: "list.product_reference", value: ["grill-brush", "aurora-phone-case"] }]);
    const line = { product_id: 1001, product_title: "Aurora Phone", handle: "aurora-phone", url: "/products/aurora-phone", featured_image: null };
    const cart = cartDrop({ items: [line], currency: "USD" } as never, req, state);
    expect(await liquid.parseAndRender("{% for item in cart.items %}{% for p in item.product.metafields['$app'].picks.value %}{{ p.title }};{% endfor %}{% endfor %}", { cart })).toBe("Grill Brush;Aurora Phone Case;");
  });
});
