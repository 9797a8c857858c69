// `npm run demo` starts a new demo shop with offers made through the merchant's own path;
// what it publishes is what the storefront reads, and it offers what the research says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShop, type RunningLocalShop } from "../../localshop/server";
import { getMetafieldJson, getApp } from "../../localshop/state";
import { evaluate, parseRuleset } from "../../app/engine";
import { demoIds } from "../../localshop/storefront/demo-ruleset";

let shop: RunningLocalShop;

beforeAll(async () => {
  shop = await startLocalShop();
  process.env.LOCAL_SHOP_URL = shop.url;
});

afterAll(async () => {
  delete process.env.LOCAL_SHOP_URL;
  await shop.stop();
});

describe("the demo's starting offers", () => {
  it("are saved and published once, and the storefront ruleset offers the phone's upgrade and accessories", async () => {
    const { seedDemoOffers } = await import("../../scripts/demo-offers");
    expect(await seedDemoOffers()).toBe(4);
    expect(await seedDemoOffers()).toBe(0); // a shop with offers keeps its own

    const published = getMetafieldJson(shop.state, getApp(shop.state).installationId, "cartlift", "ruleset");
    const parsed = parseRuleset(published);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const id = demoIds();
    const cart = { currency: "USD", lines: [{ id: "l1", productId: id.phone, variantId: id.phone64, quantity: 1, unitPrice: 69900 }] };
    const shown = evaluate(parsed.ruleset, cart, { placement: "add_to_cart_popup", now: Date.now(), addedLineId: "l1" });
    expect(shown.offers.flatMap((o) => o.items.map((i) => i.variantId)).sort()).toEqual([id.phone128, id.caseBlack, id.film, id.charger].sort());
    // $699 is past the $75 goal the demo's settings publish.
    expect(shown.freeShipping).toMatchObject({ threshold: 7500, reached: true, remaining: 0 });
  });
});
