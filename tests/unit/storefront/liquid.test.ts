import { describe, expect, it } from "vitest";
import { createLiquid, handleize, shopifyJson, translate } from "../../../localshop/storefront/liquid";
import { EXTENSION_DIR } from "../../../localshop/storefront/render";

const { liquid } = createLiquid(EXTENSION_DIR);
const render = (src: string, scope: object = {}, globals: object = {}) => liquid.parseAndRender(src, scope, { globals });

describe("Shopify filters in the local storefront", () => {
  it("formats money in the presentment currency's format, from cents", async () => {
    expect(await render("{{ 6900 | money }}", {}, { shop: { money_format: "€{{amount_with_comma_separator}}" } })).toBe("€69,00");
    expect(await render("{{ 1140000 | money_with_currency }}", {}, { shop: { money_with_currency_format: "¥{{amount_no_decimals}} JPY" } })).toBe("¥11,400 JPY");
    expect(await render("{{ 1999 | money_without_currency }}", {}, { shop: { money_format: "${{amount}}" } })).toBe("19.99");
    expect(await render("{{ 2000 | money_without_trailing_zeros }}", {}, { shop: { money_format: "${{amount}}" } })).toBe("$20");
  });

  it("divides integers as Shopify does (floored)", async () => {
    expect(await render("{{ 100 | divided_by: 3 }} {{ 7.5 | divided_by: 2 }}")).toBe("33 3.75");
  });

  it("escapes JSON for <script> like Shopify's json filter", () => {
    expect(shopifyJson({ a: "</script><b>&" })).toBe('{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}');
  });

  it("handleizes titles", () => {
    expect(handleize("Aurora Phone Case (Black) — 2-pack!")).toBe("aurora-phone-case-black-2-pack");
  });

  it("translates with interpolation and plural forms, and says when a key is missing", () => {
    const tree = { a: { b: "Hi {{ name }}", n: { one: "{{ count }} item", other: "{{ count }} items" } } };
    expect(translate(tree, "a.b", { name: "Ana" }, "en")).toBe("Hi Ana");
    expect(translate(tree, "a.n", { count: 1 }, "en")).toBe("1 item");
    expect(translate(tree, "a.n", { count: 3 }, "en")).toBe("3 items");
    expect(translate(tree, "a.x", {}, "ko")).toBe("translation missing: ko.a.x");
  });

  it("renders the extension's texts through `t` in the shopper's language", async () => {
    const ko = { cartlift: { bar: { away: "{{ amount }} 더 담으면 무료 배송" } } };
    expect(await render("{{ 'cartlift.bar.away' | t: amount: '{amount}' }}", {}, { __translations: ko, request: { locale: { iso_code: "ko" } } })).toBe("{amount} 더 담으면 무료 배송");
  });

  it("sizes images with image_url and writes image tags", async () => {
    const html = await render("{{ img | image_url: width: 400 | image_tag: alt: 'Phone', loading: 'lazy' }}", { img: { src: "/localshop/images/aurora-phone.svg" } });
    expect(html).toBe('<img src="/localshop/images/aurora-phone.svg?width=400" width="400" height="400" alt="Phone" loading="lazy">');
  });

  it("swallows {% schema %} and fails loudly on a filter it does not implement", async () => {
    expect(await render('a{% schema %}{ "name": "x" }{% endschema %}b')).toBe("ab");
    await expect(render("{{ 'x' | payment_type_svg_tag }}")).rejects.toThrow(/undefined filter/);
  });
});
