// The admin home's setup guide against the local shop: the theme steps read the main theme's
// real settings_data.json and product.json through the Admin API (the files the local
// storefront renders), the offer step counts the shop's offers, and an unreadable file is
// "unknown", never an error page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../../app/db.server";
import { loadSetupGuide } from "../../../app/shop/setup-guide.server";
import { loader as homeLoader } from "../../../app/routes/app._index";
import { setThemeFile } from "../../../localshop/admin-api/themes";
import { uniqueShop } from "../../support/webhooks";
import { adminRequest, sessionToken } from "../../support/session-token";
import { startTestShop, type TestShop } from "../offers/support";

const UID = "8b3f2c64-1d7e-4e0a-9c55-2f6a1b7d9e31";
const HEADER = "/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n";

let testShop: TestShop;
beforeAll(async () => {
  testShop = await startTestShop();
});
afterAll(() => testShop.stop());
afterEach(() => {
  setThemeFile(testShop.local.state, "config/settings_data.json", undefined);
});

async function guideFor(label: string) {
  const { admin, shop } = await testShop.scopeFor(uniqueShop(label));
  const guide = await loadSetupGuide(admin, shop, { shopDomain: shop, currency: "USD", apiKey: "key-123" });
  return { guide, shop, admin, step: (id: string) => guide.steps.find((s) => s.id === id)! };
}

describe("the setup guide's loader", () => {
  it("reads the local theme: the embed is on and the product block placed; no offer yet", async () => {
    const { guide, step, shop } = await guideFor("guide-theme");
    expect(guide.steps.map((s) => [s.id, s.state])).toEqual([
      ["embed", "done"],
      ["product-block", "done"],
      ["free-shipping", "check"],
      ["first-offer", "todo"],
    ]);
    expect(guide.done).toBe(2);
    expect(step("embed").action.url).toBe(`https://${shop}/admin/themes/current/editor?context=apps&activateAppId=key-123/cartlift-embed`);
    expect(step("product-block").action.url).toBe(`https://${shop}/admin/themes/current/editor?template=product&addAppBlockId=key-123/product-offers&target=mainSection`);
    expect(step("first-offer").action.url).toBe("/app/offers/new");
  });

  it("a disabled embed (behind Shopify's comment header) is not done", async () => {
    const embed = { type: `shopify://apps/cartlift/blocks/cartlift-embed/${UID}`, disabled: true, settings: {} };
    setThemeFile(testShop.local.state, "config/settings_data.json", HEADER + JSON.stringify({ current: { blocks: { "4125736190844471833": embed } } }));
    const { step } = await guideFor("guide-disabled");
    expect(step("embed").state).toBe("todo");
    expect(step("embed").body).toMatch(/turned off/);
    expect(step("product-block").state).toBe("done");
  });

  it("garbage in settings_data.json is unknown, and a template without the block is not done", async () => {
    setThemeFile(testShop.local.state, "config/settings_data.json", "/* header */ { this is not json");
    setThemeFile(testShop.local.state, "templates/product.json", JSON.stringify({ sections: { main: { type: "main-product", blocks: { t: { type: "title" } } } }, order: ["main"] }));
    try {
      const { step } = await guideFor("guide-garbage");
      expect(step("embed").state).toBe("unknown");
      expect(step("product-block").state).toBe("todo");
    } finally {
      setThemeFile(testShop.local.state, "templates/product.json", undefined);
    }
  });

  it("a settings_data.json the theme does not serve is unknown: the step says to check", async () => {
    setThemeFile(testShop.local.state, "config/settings_data.json", null);
    const { step } = await guideFor("guide-missing");
    expect(step("embed").state).toBe("unknown");
    expect(step("embed").body).toMatch(/could not read/);
  });

  it("the first offer marks its step done", async () => {
    const { admin, shop } = await testShop.scopeFor(uniqueShop("guide-offer"));
    await prisma.offer.create({ data: { shop, name: "Case with phone", kind: "fbt", placements: ["cart"], definition: {} } });
    const guide = await loadSetupGuide(admin, shop, { shopDomain: shop, currency: "USD", apiKey: "k" });
    expect(guide.steps.find((s) => s.id === "first-offer")).toMatchObject({ state: "done", body: "You have 1 offer." });
  });

  it("the admin home's loader returns the guide beside the analytics", async () => {
    const shop = uniqueShop("guide-home");
    await testShop.scopeFor(shop);
    const data = (await homeLoader({ request: adminRequest(shop, "/app", sessionToken(shop)), params: {}, context: {} })) as unknown as {
      guide: { steps: { id: string; state: string }[] };
      report: unknown;
    };
    expect(data.report).toBeTruthy();
    expect(data.guide.steps.map((s) => s.state)).toEqual(["done", "done", "check", "todo"]);
  });
});
