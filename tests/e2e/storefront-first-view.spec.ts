// The product block's first view (issue 11 item 9): Liquid renders the offers before any
// interaction, in the script's own markup, so the script's render replaces them at the
// same height and nothing on the page moves. Desktop (1280) and a 390 px phone, product
// pages with and without a cart, and frequently bought together from the phone's mined
// list (issue 13: the `$app` product metafield, read by Liquid and by the script).
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import type { Offer } from "../../app/engine";
import { buildSeedData } from "../../localshop/seed/catalog";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset, snapshots } from "../../localshop/storefront/demo-ruleset";

const SHOP = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3190) + 1}`;
const ids = demoIds();

test.use({ baseURL: SHOP });

/** Layout shifts from the document's first moment (web-vitals counts those without recent input). */
const OBSERVE_SHIFTS = () => {
  const w = window as any;
  w.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) w.__shifts.push({ value: e.value, sources: (e.sources || []).map((s: any) => s.node?.className || s.node?.nodeName || "?") });
  }).observe({ type: "layout-shift", buffered: true });
};

const block = (page: Page) => page.locator('[data-cartlift-mount="product"]');
/** The block's cards as markup (its facts script aside; an empty style attribute Chromium
 *  may leave on a form control it touched is no difference). */
const cards = (page: Page) => block(page).evaluate((el) => [...el.querySelectorAll(":scope > section")].map((s) => s.outerHTML.replace(/ style=""/g, "")));
const height = (page: Page) => block(page).evaluate((el) => el.getBoundingClientRect().height);

async function open(page: Page, info: TestInfo, path: string, lines: [string, number][]) {
  if (info.project.name == "mobile") await page.setViewportSize({ width: 390, height: 844 });
  await page.addInitScript(OBSERVE_SHIFTS);
  for (const [variant, quantity] of lines) expect((await page.request.post("/cart/add.js", { data: { id: Number(variant), quantity } })).ok()).toBe(true);
  await page.goto(path);
  await page.waitForLoadState("load");
}

/** The shopper's first interaction (a pointer move: no input that excuses a shift). */
async function interact(page: Page) {
  await page.mouse.move(5, 5);
  await page.mouse.move(20, 30);
  await expect(block(page)).toHaveAttribute("data-rendered", "");
  // Two frames: whatever the render changed is laid out and observed.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Snapshots of these variants' products, as the publisher includes them. */
const snapshotsOf = (variants: string[]) => snapshots(buildSeedData({ withCatalog: true }), variants);

/** Sets the phone's mined list (the `$app` metafield the recommender publishes) through the
 *  local shop's Admin API; returns how to put back what was there. */
async function setPhoneList(request: APIRequestContext, phone: string, list: object): Promise<() => Promise<void>> {
  const gql = async (query: string, variables: object) => {
    const res = await request.post(`${SHOP}/admin/api/2026-10/graphql.json`, { headers: { "X-Shopify-Access-Token": "any" }, data: { query, variables } });
    expect(res.ok()).toBe(true);
    return (await res.json()).data;
  };
  const KEY = "frequently_bought_together";
  const { product } = await gql(`query($id: ID!) { product(id: $id) { metafield(namespace: "$app", key: "${KEY}") { value } } }`, { id: phone });
  const set = (value: string) => gql(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`, { m: [{ ownerId: phone, namespace: "$app", key: KEY, type: "json", value }] });
  const { metafieldsSet } = await set(JSON.stringify(list));
  expect(metafieldsSet.userErrors).toEqual([]);
  return async () => {
    if (product.metafield) await set(product.metafield.value);
    else await gql(`mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { userErrors { message } } }`, { m: [{ ownerId: phone, namespace: "$app", key: KEY }] });
  };
}

const cases: { name: string; path: string; lines: [string, number][]; regions: string[] }[] = [
  { name: "phone", path: "/products/aurora-phone", lines: [], regions: ["Protect and power your phone"] },
  { name: "phone-with-cart", path: "/products/aurora-phone", lines: [[ids.burger, 1]], regions: ["Protect and power your phone", "Make it a meal"] },
  { name: "burger", path: "/products/classic-burger", lines: [], regions: ["Make it a meal"] },
  { name: "burger-with-phone", path: "/products/classic-burger", lines: [[ids.phone64, 1]], regions: ["Make it a meal", "Double the storage", "Protect and power your phone"] },
  { name: "burger-with-fries", path: "/products/classic-burger", lines: [[ids.fries, 1]], regions: ["Make it a meal"] },
  { name: "coffee-with-one", path: "/products/house-blend-coffee", lines: [[ids.coffeeVariant, 1]], regions: ["Stock up and save"] },
  { name: "grill", path: "/products/ember-gas-grill", lines: [], regions: ["Keep your grill clean"] },
];

test.describe("the product block's first view", () => {
  test.beforeEach(async () => {
    const ruleset = buildDemoRuleset();
    // On the product page too, so a cart line's upgrade shows beside the product's offers.
    ruleset.offers.find((o) => o.id == "phone-upgrade")!.placements!.push("product");
    // Ratings from a review app's metafields, shown under offered items' prices.
    ruleset.products[ids.product("aurora-phone-case")].rating = { value: 4.6, count: 128 };
    ruleset.products[ids.product("fountain-drink")].rating = { value: 4, count: 7 };
    await publishStorefrontRuleset(SHOP, ruleset);
  });

  for (const c of cases)
    test(`${c.name}: the offers are there before any interaction, and the script's render changes neither markup nor height`, async ({ page }, info) => {
      await open(page, info, c.path, c.lines);
      const mount = block(page);
      await expect(mount).toHaveAttribute("data-first-view", "");
      await expect(mount).not.toHaveAttribute("data-rendered", "");
      for (const name of c.regions) await expect(mount.getByRole("region", { name })).toBeVisible();
      await mount.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/first-view-${c.name}-before-${info.project.name}.png` });
      const before = { height: await height(page), cards: await cards(page) };
      expect(before.cards.length).toBe(c.regions.length);

      await interact(page);
      const after = { height: await height(page), cards: await cards(page) };
      await page.screenshot({ path: `test-results/screenshots/first-view-${c.name}-after-${info.project.name}.png` });
      expect(Math.abs(after.height - before.height)).toBeLessThanOrEqual(1);
      expect(after.cards).toEqual(before.cards);
      expect(await page.evaluate(() => (window as any).__shifts)).toEqual([]);
    });

  test("an offer ending soon says so in the first view; one declined on the cart is not shown", async ({ page }, info) => {
    const ruleset = buildDemoRuleset();
    ruleset.offers.find((o) => o.id == "coffee-breaks")!.endsAt = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString();
    await publishStorefrontRuleset(SHOP, ruleset);
    await page.request.post("/cart/update.js", { data: { attributes: { _cartlift_declined: "grill-brush" } } });
    await open(page, info, "/products/house-blend-coffee", [[ids.phone64, 1]]);
    await expect(block(page).getByText("Offer ends in 2 days")).toBeVisible();
    const before = await cards(page);
    await interact(page);
    expect(await cards(page)).toEqual(before);

    await page.goto("/products/ember-gas-grill");
    await expect(block(page)).toHaveAttribute("data-first-view", "");
    await expect(block(page).getByRole("region", { name: "Protect and power your phone" })).toBeVisible();
    await expect(block(page).locator('[data-offer="grill-brush"]')).toHaveCount(0);
  });

  test("a first-view button works at once: 'Add all to cart' pressed before the script is there adds the meal", async ({ page }, info) => {
    await open(page, info, "/products/classic-burger", []);
    const meal = page.getByRole("region", { name: "Make it a meal" });
    await expect(block(page)).not.toHaveAttribute("data-rendered", "");
    await meal.getByRole("button", { name: "Add all to cart" }).click();
    await expect.poll(async () => (await (await page.request.get("/cart.js")).json()).items.map((i: any) => i.properties._cartlift_offer)).toEqual(["burger-meal", "burger-meal", "burger-meal"]);
    expect((await (await page.request.get("/cart.js")).json()).total_price).toBe(1295);
  });

  test("a box unticked before the script came stays unticked, and is priced so", async ({ page }, info) => {
    await open(page, info, "/products/classic-burger", []);
    const meal = page.getByRole("region", { name: "Make it a meal" });
    await meal.getByLabel("Include Fountain Drink – Cola").uncheck();
    await expect(block(page)).toHaveAttribute("data-rendered", "");
    await expect(meal.getByLabel("Include Fountain Drink – Cola")).not.toBeChecked();
    await expect(meal.getByText("Add all 3 to save $2.30")).toBeVisible();
  });

  test("frequently bought together from the phone's mined list: the picks and their proof are there before any interaction, and the script changes neither markup nor height", async ({ page, request }, info) => {
    const PHONE = `gid://shopify/Product/${ids.phone}`;
    const pick = (handle: string, score: number, orders: number, recent: number) => ({ product: `gid://shopify/Product/${ids.product(handle)}`, score, orders, recent });
    // Best first as the recommender publishes it; the film is excluded by the merchant and
    // the cable is not in the ruleset (mined after the publish): neither may show.
    const list = {
      v: 1,
      windowDays: 60,
      recentDays: 30,
      builtAt: "2026-12-01T00:00:00.000Z",
      picks: [pick("aurora-phone-case", 0.52, 61, 40), pick("aurora-screen-film", 0.44, 50, 31), pick("usb-c-cable-2m", 0.3, 22, 9), pick("usb-c-charger-20w", 0.21, 18, 7), pick("power-bank-10000", 0.12, 9, 2)],
    };
    const ruleset = buildDemoRuleset();
    const powerBank = demoIds().variant("VW-PB-10K");
    const fbt: Offer = {
      id: "phone-together",
      kind: "cross_sell",
      source: "fbt",
      title: "Bought with it by our shoppers",
      priority: 30,
      placements: ["product"],
      trigger: { products: [ids.phone] },
      variants: [ids.caseBlack, ids.charger, powerBank],
      exclude: [ids.product("aurora-screen-film")],
      proofMin: 5,
      discount: { kind: "percent", value: 10 },
    };
    ruleset.offers.push(fbt);
    Object.assign(ruleset.products, snapshotsOf([powerBank]));
    ruleset.products[ids.product("aurora-phone-case")].rating = { value: 4.6, count: 128 };
    await publishStorefrontRuleset(SHOP, ruleset);
    const restore = await setPhoneList(request, PHONE, list);
    try {
      await open(page, info, "/products/aurora-phone", []);
      const mount = block(page);
      await expect(mount).toHaveAttribute("data-first-view", "");
      await expect(mount).not.toHaveAttribute("data-rendered", "");
      const card = mount.getByRole("region", { name: "Bought with it by our shoppers" });
      await expect(card.locator(".cartlift-row__title")).toHaveText(["This item: Aurora Phone – 64 GB", "Aurora Phone Case – Black", "20W USB-C Charger", "Power Bank 10,000 mAh"]);
      await expect(card.getByText("Bought together 40 times this month")).toBeVisible();
      await expect(card.getByText("Bought together 7 times this month")).toBeVisible();
      // Under the threshold (2 < 5): no count, nothing invented.
      await expect(card.getByText(/Bought together/)).toHaveCount(2);
      await expect(card.getByText("★ 4.6 (128)")).toBeVisible();
      await expect(card).not.toContainText("Screen Film");
      await expect(card).not.toContainText("Cable");
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/first-view-fbt-before-${info.project.name}.png` });
      const before = { height: await height(page), cards: await cards(page) };

      await interact(page);
      const after = { height: await height(page), cards: await cards(page) };
      await page.screenshot({ path: `test-results/screenshots/first-view-fbt-after-${info.project.name}.png` });
      expect(Math.abs(after.height - before.height)).toBeLessThanOrEqual(1);
      expect(after.cards).toEqual(before.cards);
      expect(await page.evaluate(() => (window as any).__shifts)).toEqual([]);
    } finally {
      await restore();
    }
  });

  test("in another currency (no exchange rate in Liquid) the block reserves room instead, and nothing shifts", async ({ page }, info) => {
    await open(page, info, "/products/aurora-phone?currency=EUR", []);
    await expect(block(page)).not.toHaveAttribute("data-first-view", "");
    await interact(page);
    await expect(page.getByRole("region", { name: "Protect and power your phone" })).toBeVisible();
    expect(await page.evaluate(() => (window as any).__shifts)).toEqual([]);
  });
});
