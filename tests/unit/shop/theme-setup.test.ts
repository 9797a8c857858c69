import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { embedState, isAppBlockType, parseThemeJson, templateBlockState } from "../../../app/shop/theme-setup";

const UID = "8b3f2c64-1d7e-4e0a-9c55-2f6a1b7d9e31";
const EMBED = `shopify://apps/cartlift/blocks/cartlift-embed/${UID}`;
const HEADER = `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 * ------------------------------------------------------------
 */
`;
const settings = (blocks: unknown) => JSON.stringify({ current: { cart_type: "drawer", blocks } });

describe("parseThemeJson", () => {
  it("reads JSON after Shopify's /* comment */ header (and a BOM)", () => {
    expect(parseThemeJson(`\uFEFF${HEADER}{"current":{"a":1}}`)).toEqual({ current: { a: 1 } });
    expect(parseThemeJson(`/* one */ /* two */ [1]`)).toEqual([1]);
  });
  it("answers null for garbage, an unclosed comment, or no text", () => {
    expect(parseThemeJson("{ not json")).toBeNull();
    expect(parseThemeJson("/* never closed {}")).toBeNull();
    expect(parseThemeJson("")).toBeNull();
    expect(parseThemeJson(null)).toBeNull();
  });
});

describe("embedState (config/settings_data.json)", () => {
  it("is on when the embed's block is present and not disabled, comment header included", () => {
    expect(embedState(HEADER + settings({ "41257": { type: EMBED, disabled: false, settings: {} } }), "cartlift-embed", UID)).toBe("on");
    // `disabled` absent means enabled.
    expect(embedState(settings({ x: { type: EMBED } }), "cartlift-embed")).toBe("on");
  });
  it("is off when the block is disabled", () => {
    expect(embedState(HEADER + settings({ "41257": { type: EMBED, disabled: true, settings: {} } }), "cartlift-embed", UID)).toBe("off");
  });
  it("is missing without the block, with only another app's embed, or another extension's uuid", () => {
    expect(embedState(settings({}), "cartlift-embed")).toBe("missing");
    expect(JSON.parse(settings({})).current.blocks).toEqual({});
    expect(embedState(JSON.stringify({ current: { cart_type: "drawer" } }), "cartlift-embed")).toBe("missing");
    expect(embedState(settings({ a: { type: "shopify://apps/reviews/blocks/stars-embed/123", disabled: false } }), "cartlift-embed")).toBe("missing");
    expect(embedState(settings({ a: { type: EMBED, disabled: false } }), "cartlift-embed", "another-uuid")).toBe("missing");
  });
  it("reads the preset `current` names", () => {
    const doc = { current: "Dawn", presets: { Dawn: { blocks: { a: { type: EMBED, disabled: false } } } } };
    expect(embedState(JSON.stringify(doc), "cartlift-embed")).toBe("on");
  });
  it("is unknown for garbage or an unexpected shape, never a throw", () => {
    for (const text of ["<html>", "null", "[]", '{"current": 3}', '{"current":{"blocks":[1]}}', "", undefined]) {
      expect(embedState(text, "cartlift-embed"), String(text)).toBe("unknown");
    }
  });
  it("reads the local theme's real settings_data.json as on", () => {
    const text = readFileSync(join(__dirname, "../../../localshop/storefront/theme/config/settings_data.json"), "utf8");
    expect(embedState(text, "cartlift-embed", UID)).toBe("on");
  });
});

describe("templateBlockState (templates/product.json)", () => {
  const block = `shopify://apps/cartlift/blocks/product-offers/${UID}`;
  const template = (blocks: Record<string, unknown>) => JSON.stringify({ sections: { main: { type: "main-product", blocks } }, order: ["main"] });
  it("finds the block in a section, and in an apps section's nested blocks", () => {
    expect(templateBlockState(HEADER + template({ title: { type: "title" }, offers: { type: block, settings: {} } }), "product-offers", UID)).toBe("on");
    const apps = JSON.stringify({ sections: { apps: { type: "apps", blocks: { o: { type: block } } } } });
    expect(templateBlockState(apps, "product-offers")).toBe("on");
  });
  it("is off when the block (or its section) is disabled, missing when absent, unknown for garbage", () => {
    expect(templateBlockState(template({ offers: { type: block, disabled: true } }), "product-offers")).toBe("off");
    expect(templateBlockState(JSON.stringify({ sections: { main: { type: "main-product", disabled: true, blocks: { o: { type: block } } } } }), "product-offers")).toBe("off");
    expect(templateBlockState(template({ title: { type: "title" } }), "product-offers")).toBe("missing");
    expect(templateBlockState("{{ liquid }}", "product-offers")).toBe("unknown");
  });
  it("reads the local theme's real product.json as on", () => {
    const text = readFileSync(join(__dirname, "../../../localshop/storefront/theme/templates/product.json"), "utf8");
    expect(templateBlockState(text, "product-offers", UID)).toBe("on");
  });
  it("names only a shopify://apps/…/blocks/<handle>/<uuid> type", () => {
    expect(isAppBlockType("product-offers", "product-offers")).toBe(false);
    expect(isAppBlockType(`shopify://apps/x/blocks/product-offers/${UID}`, "product-offers", UID)).toBe(true);
  });
});
