import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  addOrder,
  amountToMinorUnits,
  convertFromShopCurrency,
  createLocalShop,
  getCollectionByHandle,
  getCollectionProducts,
  getMetafieldJson,
  getProductByHandle,
  getProductVariants,
  getShop,
  getVariant,
  isVariantAvailableForSale,
  listProducts,
  minorUnitsToAmount,
  onLocalShopEvent,
  resolveMetafieldNamespace,
  setMetafields,
  type LocalShopEvent,
} from "../../../localshop/state";
import { makeShop } from "./helpers";

describe("seeded demo shop", () => {
  it("is the Cartlift Demo shop in USD with EUR, JPY and KRW enabled at fixed rates", () => {
    const shop = getShop(createLocalShop());
    expect(shop).toMatchObject({
      id: "gid://shopify/Shop/1",
      name: "Cartlift Demo",
      myshopifyDomain: "cartlift-demo.myshopify.com",
      currencyCode: "USD",
      enabledPresentmentCurrencies: ["USD", "EUR", "JPY", "KRW"],
      currencyRates: { EUR: 0.92, JPY: 151.5, KRW: 1380 },
    });
    expect(shop.locales.map((l) => l.locale)).toEqual(["en", "es", "ko", "ja", "pt-BR", "hy", "fr"]);
    expect(shop.locales.filter((l) => l.primary).map((l) => l.locale)).toEqual(["en"]);
  });

  it("has about forty products with stable ids across runs", () => {
    const a = createLocalShop();
    const b = createLocalShop();
    expect(listProducts(a).length).toBeGreaterThanOrEqual(38);
    expect(listProducts(a).length).toBeLessThanOrEqual(45);
    expect(listProducts(a).map((p) => p.id)).toEqual(listProducts(b).map((p) => p.id));
    expect(a.data.variants.map((v) => v.id)).toEqual(b.data.variants.map((v) => v.id));
    expect(listProducts(a)[0]!.id).toBe("gid://shopify/Product/1001");
    expect(a.data.variants[0]!.id).toBe("gid://shopify/ProductVariant/2001");
  });

  it("covers the research's upsell scenarios with real-looking prices", () => {
    const state = createLocalShop();
    const phone = getProductByHandle(state, "aurora-phone")!;
    expect(getProductVariants(state, phone.id).map((v) => [v.title, v.price])).toEqual([
      ["64 GB", "699.00"],
      ["128 GB", "799.00"],
    ]);
    expect(getProductVariants(state, getProductByHandle(state, "ember-gas-grill")!.id)[0]!.price).toBe("235.00");
    expect(getProductVariants(state, getProductByHandle(state, "grill-brush")!.id)[0]!.price).toBe("7.00");
    for (const handle of [
      "aurora-phone-case",
      "aurora-screen-film",
      "usb-c-charger-20w",
      "aurora-wireless-headphones",
      "classic-burger",
      "crispy-fries",
      "fountain-drink",
      "hydrating-shampoo",
      "silk-conditioner",
      "curl-defining-spray",
      "lumen-x100-camera",
      "travel-tripod",
      "camera-battery-2-pack",
      "sd-card-reader",
      "yoga-mat",
      "house-blend-coffee",
    ]) {
      expect(getProductByHandle(state, handle), handle).not.toBeNull();
    }
    const titles = (h: string) => getCollectionProducts(state, getCollectionByHandle(state, h)!.id).map((p) => p.handle);
    expect(titles("phones")).toContain("aurora-phone");
    expect(titles("grilling")).toEqual(expect.arrayContaining(["ember-gas-grill", "grill-brush"]));
    expect(state.data.collections.map((c) => c.title)).toEqual(
      expect.arrayContaining(["Phones", "Accessories", "Grilling", "Food", "Hair care", "Photo", "Fitness", "Coffee"]),
    );
  });

  it("every product has an image path, a vendor, a type, tags and at least one variant", () => {
    const state = createLocalShop();
    for (const p of listProducts(state)) {
      expect(p.images[0]?.url).toMatch(/^\/localshop\/images\/[a-z0-9-]+\.svg$/);
      const file = join(__dirname, "../../../localshop/public/images", p.images[0]!.url.split("/").pop()!);
      expect(readFileSync(file, "utf8")).toContain("<svg");
      expect(p.vendor && p.productType && p.tags.length).toBeTruthy();
      expect(p.variantIds.length).toBeGreaterThan(0);
    }
  });

  it("sells out-of-stock variants only when their inventory policy is CONTINUE, and never drafts", () => {
    const state = createLocalShop();
    const burger = getProductVariants(state, getProductByHandle(state, "classic-burger")!.id)[0]!;
    const shake = getProductVariants(state, getProductByHandle(state, "vanilla-milkshake")!.id)[0]!;
    const pro = getProductVariants(state, getProductByHandle(state, "aurora-phone-pro")!.id)[0]!;
    expect(isVariantAvailableForSale(state, burger)).toBe(true);
    expect(isVariantAvailableForSale(state, shake)).toBe(false);
    expect(isVariantAvailableForSale(state, pro)).toBe(false);
  });

  it("can start empty (shop and app only)", () => {
    const state = createLocalShop({ seed: "empty" });
    expect(listProducts(state)).toEqual([]);
    expect(getShop(state).name).toBe("Cartlift Demo");
  });
});

describe("money helpers", () => {
  it("converts decimal amounts to minor units exactly", () => {
    expect(amountToMinorUnits("699.00", "USD")).toBe(69900);
    expect(amountToMinorUnits("9.5", "USD")).toBe(950);
    expect(amountToMinorUnits("0.29", "USD")).toBe(29); // 0.29 * 100 is 28.999… in floats
    expect(amountToMinorUnits("1380", "KRW")).toBe(1380);
    expect(minorUnitsToAmount(69900, "USD")).toBe("699.00");
    expect(minorUnitsToAmount(5, "USD")).toBe("0.05");
  });

  it("converts shop prices at the shop's rates, rounded to the currency's minor unit", () => {
    const state = createLocalShop();
    expect(convertFromShopCurrency(state, "699.00", "EUR")).toBe("643.08");
    expect(convertFromShopCurrency(state, "699.00", "JPY")).toBe("105899.0");
    expect(convertFromShopCurrency(state, "7.00", "KRW")).toBe("9660.0");
    expect(convertFromShopCurrency(state, "7.00", "GBP")).toBeNull();
  });
});

describe("orders", () => {
  it("records an order priced from the catalog, numbered from #1001, and emits orders/create", () => {
    const { state } = makeShop();
    const events: LocalShopEvent[] = [];
    onLocalShopEvent(state, (e) => events.push(e));
    const order = addOrder(state, {
      lineItems: [
        { variantId: "gid://shopify/ProductVariant/2001", quantity: 1 },
        {
          variantId: "gid://shopify/ProductVariant/2005",
          quantity: 2,
          discount: "5.80",
          customAttributes: [{ key: "_cartlift_offer", value: "offer_1" }],
        },
      ],
    });
    expect(order.name).toBe("#1001");
    expect(order.subtotalPrice).toBe("751.20");
    expect(order.totalDiscounts).toBe("5.80");
    expect(order.lineItems[1]).toMatchObject({ title: "Aurora Phone Case", variantTitle: "Black", quantity: 2 });
    expect(addOrder(state, { lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] }).name).toBe(
      "#1002",
    );
    expect(events.map((e) => e.topic)).toEqual(["orders/create", "orders/create"]);
  });

  it("refuses unknown variants", () => {
    const { state } = makeShop();
    expect(() => addOrder(state, { lineItems: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }] })).toThrow();
  });
});

describe("persistence", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("saves writes to the JSON file and loads them on the next start", () => {
    dir = mkdtempSync(join(tmpdir(), "localshop-"));
    const file = join(dir, "nested", "shop.json");
    const first = createLocalShop({ persistPath: file });
    const installation = first.data.app.installationId;
    const { userErrors } = setMetafields(first, [
      { ownerId: installation, namespace: "$app", key: "ruleset", type: "json", value: '{"revision":3}' },
    ]);
    expect(userErrors).toEqual([]);
    addOrder(first, { lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] });

    const second = createLocalShop({ persistPath: file });
    expect(getMetafieldJson(second, installation, "$app", "ruleset")).toEqual({ revision: 3 });
    expect(second.data.orders).toHaveLength(1);
    expect(addOrder(second, { lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] }).name).toBe(
      "#1002",
    );
  });

  it("keeps in-memory shops independent", () => {
    const a = createLocalShop();
    const b = createLocalShop();
    a.data.variants[0]!.inventoryQuantity = 0;
    expect(getVariant(b, "gid://shopify/ProductVariant/2001")!.inventoryQuantity).toBe(25);
  });
});

describe("app-reserved namespaces", () => {
  it("resolves $app and $app:suffix to the app's reserved namespace", () => {
    const state = createLocalShop();
    expect(resolveMetafieldNamespace(state, "$app")).toBe("app--7001");
    expect(resolveMetafieldNamespace(state, "$app:offers")).toBe("app--7001--offers");
    expect(resolveMetafieldNamespace(state, undefined)).toBe("app--7001");
    expect(resolveMetafieldNamespace(state, "custom")).toBe("custom");
  });
});

describe("persistence across seed changes", () => {
  it("reloads the catalog from a changed seed and keeps what was written since", () => {
    const dir = mkdtempSync(join(tmpdir(), "localshop-"));
    try {
      const file = join(dir, "shop.json");
      const first = createLocalShop({ persistPath: file });
      setMetafields(first, [{ ownerId: "gid://shopify/Shop/1", namespace: "$app", key: "kept", type: "boolean", value: "true" }]);
      // Simulate a file written by an older seed: a product renamed, another fingerprint.
      const stale = JSON.parse(readFileSync(file, "utf8"));
      stale.products[0].title = "Old Phone";
      stale.seedFingerprint = "older";
      writeFileSync(file, JSON.stringify(stale));

      const second = createLocalShop({ persistPath: file });
      expect(getProductByHandle(second, "aurora-phone")!.title).toBe("Aurora Phone");
      expect(getMetafieldJson(second, "gid://shopify/Shop/1", "$app", "kept")).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8")).seedFingerprint).toBe(second.data.seedFingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
