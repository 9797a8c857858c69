// Cartlift's web pixel in Chromium, hosted by the local storefront and checkout as Shopify
// hosts app pixels: a sandboxed iframe (opaque origin) running the pixel in a web worker,
// loaded only with the shopper's consent. The storefront publishes offer events with
// Shopify.analytics.publish; the pixel batches them to the app's ingest route. A page view
// sends Cartlift nothing; the pixel's batches start after the shopper interacts.
import { expect, test, type BrowserContext, type Page, type Request } from "@playwright/test";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset } from "../../localshop/storefront/demo-ruleset";

const APP = `http://localhost:${Number(process.env.E2E_PORT ?? 3190)}`;
const SHOP = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3190) + 1}`;

test.use({ baseURL: SHOP });
test.beforeEach(async () => {
  await publishStorefrontRuleset(SHOP, buildDemoRuleset());
});

/** Every request to the app's origin, with what a batch carried. */
function appTraffic(page: Page) {
  const requests: Request[] = [];
  page.context().on("request", (r) => {
    if (r.url().startsWith(APP)) requests.push(r);
  });
  return {
    requests,
    events: () => requests.filter((r) => new URL(r.url()).pathname == "/api/events").flatMap((r) => JSON.parse(r.postData() ?? "{}").events ?? []),
  };
}

async function interact(page: Page) {
  await page.mouse.move(5, 5);
  await page.mouse.move(20, 30);
}

const denyConsent = (context: BrowserContext) =>
  context.addCookies([{ name: "localshop_tracking_consent", value: "denied", url: SHOP }]);

test("with consent the pixel runs sandboxed; a page view sends nothing, the offers' impressions follow the interaction", async ({ page }) => {
  const traffic = appTraffic(page);
  await page.goto("/products/aurora-phone");
  const frame = page.locator("iframe[data-web-pixel]");
  await expect(frame).toHaveAttribute("data-loaded", "true");
  // Shopify's strict sandbox: scripts only, an opaque origin (no same-origin access).
  await expect(frame).toHaveAttribute("sandbox", "allow-scripts");
  expect(await frame.evaluate((f: HTMLIFrameElement) => f.contentDocument)).toBeNull();
  await page.waitForLoadState("networkidle");
  expect(traffic.requests.map((r) => r.url())).toEqual([]);

  await interact(page);
  await expect(page.getByRole("heading", { name: "Protect and power your phone" })).toBeVisible();
  await expect.poll(() => traffic.events().filter((e: { type: string }) => e.type == "impression").length).toBeGreaterThan(0);
  const batch = traffic.requests.find((r) => r.url().endsWith("/api/events"))!;
  expect(batch.method()).toBe("POST");
  expect(batch.headers()["content-type"]).toMatch(/^text\/plain/);
  expect(JSON.parse(batch.postData()!).shop).toBe("cartlift-demo.myshopify.com");
  expect(traffic.events()).toEqual(expect.arrayContaining([expect.objectContaining({ type: "impression", placement: "product", group: expect.stringMatching(/^(treatment|holdout)$/) })]));
  // The session marker comes once, with the group.
  expect(traffic.events().filter((e: { type: string }) => e.type == "session")).toHaveLength(1);
});

test("without consent no pixel loads and nothing is sent; consent given later loads it and replays the page's events", async ({ page, context }) => {
  await denyConsent(context);
  const traffic = appTraffic(page);
  await page.goto("/products/aurora-phone");
  await interact(page);
  await expect(page.getByRole("heading", { name: "Protect and power your phone" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page.locator("iframe[data-web-pixel]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).Shopify.customerPrivacy.analyticsProcessingAllowed())).toBe(false);
  expect(traffic.requests).toEqual([]);

  // The shopper accepts: the pixel loads and receives what was published before.
  await page.evaluate(() => (window as any).Shopify.customerPrivacy.setTrackingConsent({ analytics: true, marketing: true, preferences: true, sale_of_data: true }));
  await expect(page.locator("iframe[data-web-pixel]")).toHaveAttribute("data-loaded", "true");
  await expect.poll(() => traffic.events().filter((e: { type: string; placement?: string }) => e.type == "impression" && e.placement == "product").length).toBeGreaterThan(0);
});

test("the checkout pages publish checkout_started and checkout_completed with the cart's group", async ({ page }) => {
  const traffic = appTraffic(page);
  await page.request.post("/cart/add.js", { data: { id: 2001, quantity: 1 } });
  await page.request.post("/cart/update.js", { data: { attributes: { _cartlift_group: "holdout" } } });
  await page.goto("/checkout");
  await expect.poll(() => traffic.events().map((e: { type: string }) => e.type)).toContain("checkout_started");
  await page.getByRole("button", { name: "Pay now" }).click();
  await expect(page.getByRole("heading", { name: /Thank you/ })).toBeVisible();
  await expect.poll(() => traffic.events().filter((e: { type: string }) => e.type == "checkout_completed")).toEqual([expect.objectContaining({ group: "holdout" })]);
  expect(traffic.events().find((e: { type: string }) => e.type == "checkout_started").group).toBe("holdout");
  // The order status page seen again is not a second completed checkout.
  await page.reload();
  await expect(page.locator("iframe[data-web-pixel]")).toHaveAttribute("data-loaded", "true");
  await page.waitForLoadState("networkidle");
  expect(traffic.events().filter((e: { type: string }) => e.type == "checkout_completed")).toHaveLength(1);
});

test("the cart drawer's offers count as seen only once the shopper opens the drawer, and once per page", async ({ page }, info) => {
  const traffic = appTraffic(page);
  type Sent = { type: string; offerId?: string; placement?: string };
  const drawerImpressions = () => traffic.events().filter((e: Sent) => e.type == "impression" && e.placement == "drawer");
  /** Everything published before this marker has reached the app once the marker has (the pixel keeps the order). */
  let markers = 0;
  const sync = async () => {
    const offerId = `sync-${++markers}`;
    await page.evaluate((id) => (window as any).Shopify.analytics.publish("cartlift:dismiss", { offerId: id, placement: "cart", group: "treatment" }), offerId);
    await expect.poll(() => traffic.events().some((e: Sent) => e.offerId == offerId)).toBe(true);
  };
  await page.goto("/products/aurora-phone");
  await expect(page.locator("iframe[data-web-pixel]")).toHaveAttribute("data-loaded", "true");
  await interact(page);
  await expect(page.getByRole("heading", { name: "Protect and power your phone" })).toBeVisible();

  // Into the cart through the theme's standard action: no pop-up, and the drawer stays closed,
  // while the script renders the drawer's offers inside it.
  const phone64 = demoIds().phone64;
  await page.evaluate((id) => (window as any).Shopify.actions.updateCart({ lines: [{ merchandiseId: `gid://shopify/ProductVariant/${id}`, quantity: 1 }] }), phone64);
  const drawer = page.locator("cart-drawer");
  const cards = drawer.locator('[data-cartlift-mount="drawer"] .cartlift-card');
  await expect(cards.first()).toBeAttached();
  await expect(drawer).not.toHaveClass(/active/);
  await expect(cards.first()).toBeHidden();
  await sync();
  expect(drawerImpressions()).toEqual([]);

  // The shopper opens the drawer: its offers are seen, one impression each.
  await page.locator("#cart-icon-bubble").click();
  await expect(drawer).toHaveClass(/active/);
  await expect(cards.first()).toBeVisible();
  const offers = await cards.count();
  expect(offers).toBeGreaterThan(0);
  await expect.poll(() => drawerImpressions().length).toBe(offers);
  await page.screenshot({ path: `test-results/screenshots/web-pixel-drawer-open-${info.project.name}.png` });

  // Closed and opened again on the same page: nothing more.
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect(drawer).not.toHaveClass(/active/);
  await page.locator("#cart-icon-bubble").click();
  await expect(cards.first()).toBeVisible();
  await sync();
  expect(drawerImpressions()).toHaveLength(offers);
  expect(new Set(drawerImpressions().map((e: Sent) => e.offerId)).size).toBe(offers);
});
