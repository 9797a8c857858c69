// Issue 12's journey in Chromium, end to end through the real parts: the merchant makes an
// offer in the admin; a treatment shopper sees it on the storefront, adds it and pays in
// the local checkout; the local shop's signed orders/create webhook arrives; the analytics
// page shows the offer's impression, click and accept (counted by the web pixel, which runs
// in the storefront's sandbox with consent) and its attributed revenue; a refund made in
// the local shop lowers it; a redelivered webhook changes nothing; a holdout shopper sees no
// offer and their order counts in the holdout group. Every wait is on a condition.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { groupFor } from "../../app/analytics/holdout";

const PORT = Number(process.env.E2E_PORT ?? 3190);
const APP = `http://localhost:${PORT}`;
const SHOP = `http://127.0.0.1:${PORT + 1}`;
const OFFER_NAME = "Journey: brush with the grill";
const SHOTS = "test-results/screenshots";

test.describe.configure({ timeout: 300_000 });

const usd = (minor: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(minor / 100);
const dollars = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, "")) * 100);

/** The published ruleset's holdout share (what the storefront assigns with). */
async function holdoutShare(page: Page): Promise<number> {
  const res = await page.request.post(`${SHOP}/admin/api/2026-10/graphql.json`, {
    headers: { "X-Shopify-Access-Token": "any" },
    data: { query: `{ currentAppInstallation { metafield(namespace: "cartlift", key: "ruleset") { value } } }` },
  });
  const value = (await res.json()).data.currentAppInstallation.metafield?.value;
  return JSON.parse(value ?? "{}").display?.holdout?.share ?? 0;
}

/** A first-party visitor id the storefront's hash puts in `group`. */
function visitorIn(group: "treatment" | "holdout", share: number): string {
  for (let i = 0; ; i++) {
    const id = `journey-${group}-${i}`;
    if (groupFor({ visitorId: id, share }) == group) return id;
  }
}

async function shopper(browser: Browser, visitorId: string) {
  const context = await browser.newContext({ baseURL: SHOP });
  await context.addInitScript((id) => {
    try {
      if (location.origin != "null") localStorage.setItem("cartlift:visitor", id);
    } catch {
      // the pixel's sandbox has no storage
    }
  }, visitorId);
  return { context, page: await context.newPage() };
}

const cartJs = async (page: Page) => (await page.request.get(`${SHOP}/cart.js`)).json();

async function payAndConfirm(page: Page): Promise<string> {
  await page.goto(`${SHOP}/checkout`);
  await page.getByRole("button", { name: "Pay now" }).click();
  await expect(page.getByRole("heading", { name: /Thank you/ })).toBeVisible();
  return /\/checkout\/thank-you\/(\d+)/.exec(page.url())![1];
}

interface OfferRow {
  impressions: number;
  clickRate: string;
  acceptRate: string;
  orders: number;
  revenue: number;
  refunded: number;
}

/** The analytics page's row for our offer, and the holdout table's order counts. */
async function readAnalytics(page: Page): Promise<{ offer: OfferRow | null; orders: { treatment: number; holdout: number }; visitors: { treatment: number; holdout: number } }> {
  await page.goto(`${APP}/app?days=7`);
  await expect(page.getByRole("heading", { name: "With offers vs. the holdout" })).toBeVisible();
  const cells = (selector: string) => page.locator(selector).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th,td")].map((c) => (c.textContent ?? "").trim())));
  // The holdout table's "Orders" row (treatment, holdout, no group); the offers table's row.
  const groupRows = await cells("table tr");
  const orders = groupRows.find((r) => r[0] == "Orders" && r.length == 4) ?? ["", "0", "0", "0"];
  const visitors = groupRows.find((r) => r[0] == "Visitors (sessions)" && r.length == 4) ?? ["", "0", "0", "0"];
  const mine = (await cells('[data-testid="offers-table"] tr')).find((r) => r[0] == OFFER_NAME);
  return {
    orders: { treatment: Number(orders[1]), holdout: Number(orders[2]) },
    visitors: { treatment: Number(visitors[1]), holdout: Number(visitors[2]) },
    offer: mine ? { impressions: Number(mine[1]), clickRate: mine[2], acceptRate: mine[3], orders: Number(mine[4]), revenue: dollars(mine[5]), refunded: dollars(mine[6]) } : null,
  };
}

test("treatment shopper → offer accepted → order webhook → analytics; refund lowers it, redelivery changes nothing; the holdout's order counts apart", async ({ browser, page }) => {
  // ---- the merchant makes the offer in the admin ----------------------------------------------
  await page.goto(`${APP}/app/offers/new?template=frequently_bought_together`);
  await page.getByLabel("Name").fill(OFFER_NAME);
  await page.locator("#trigger-search").fill("Ember");
  await page.getByRole("button", { name: /^Add Ember 3-Burner Gas Grill/ }).first().click();
  await page.locator("#trigger-search").fill("");
  await page.locator("#offered-search").fill("Grill Brush");
  await page.getByRole("button", { name: /^Add Grill Brush/ }).first().click();
  await page.locator("#offered-search").fill("");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page).toHaveURL(/\/app\/offers\/(?!new)[^/?]+$/);
  await expect(page.getByTestId("toast")).toContainText("Offer created and published");
  const offerId = /\/app\/offers\/([^/?]+)$/.exec(page.url())![1];

  const before = await readAnalytics(page);
  expect(before.offer).toBeNull();
  const share = await holdoutShare(page);
  expect(share).toBeGreaterThan(0);

  // ---- a treatment shopper sees the offer, adds it, pays ----------------------------------------
  const treatment = await shopper(browser, visitorIn("treatment", share));
  const shop = treatment.page;
  await shop.goto("/products/ember-gas-grill");
  await shop.mouse.move(5, 5);
  await shop.mouse.move(20, 30);
  const offer = shop.locator('[data-cartlift-mount="product"]').getByRole("region").filter({ hasText: "Grill Brush" });
  await expect(offer).toBeVisible();
  await expect(shop.locator("iframe[data-web-pixel]")).toHaveAttribute("data-loaded", "true");
  await offer.getByRole("button", { name: /^Add (all|selected) to cart$/ }).click();
  await expect.poll(async () => (await cartJs(shop)).item_count).toBe(2);
  await expect.poll(async () => (await cartJs(shop)).attributes?._cartlift_group).toBe("treatment");
  const cart = await cartJs(shop);
  const brush = cart.items.find((i: { properties?: Record<string, string> }) => i.properties?._cartlift_offer == offerId);
  expect(brush).toBeTruthy();
  const orderId = await payAndConfirm(shop);

  // ---- the webhook arrives; the page shows the events and the revenue ---------------------------
  let after = before;
  await expect
    .poll(async () => (after = await readAnalytics(page)).offer?.orders ?? 0, { timeout: 60_000 })
    .toBe(1);
  await expect.poll(async () => ((after = await readAnalytics(page)).offer?.impressions ?? 0) > 0 && after.offer!.acceptRate != "—", { timeout: 60_000 }).toBe(true);
  expect(after.offer!.revenue).toBe(brush.final_line_price);
  expect(after.offer!.refunded).toBe(0);
  expect(parseFloat(after.offer!.clickRate)).toBeGreaterThan(0);
  expect(parseFloat(after.offer!.acceptRate)).toBeGreaterThan(0);
  expect(after.orders.treatment).toBe(before.orders.treatment + 1);
  expect(after.visitors.treatment).toBeGreaterThan(before.visitors.treatment);
  // The click and the accept as counts (the CSV export).
  const csv = await (await page.request.get(`${APP}/app/analytics.csv?days=7`)).text();
  const line = csv.split("\n").find((l) => l.startsWith(offerId + ","))!.split(",");
  expect({ impressions: Number(line[2]) > 0, clicks: Number(line[3]), accepts: Number(line[5]), orders: Number(line[8]) }).toEqual({ impressions: true, clicks: 1, accepts: 1, orders: 1 });
  await page.screenshot({ path: `${SHOTS}/analytics-journey.png`, fullPage: true });

  // ---- a refund made in the local shop lowers it ---------------------------------------------------
  const refund = await page.request.post(`${SHOP}/localshop/orders/${orderId}/refund`, { data: {} });
  expect(refund.status()).toBe(201);
  let refunded = after;
  await expect.poll(async () => (refunded = await readAnalytics(page)).offer?.refunded ?? 0, { timeout: 60_000 }).toBe(brush.final_line_price);
  expect(refunded.offer!.revenue).toBeLessThan(after.offer!.revenue);
  expect(refunded.offer!.orders).toBe(1);
  await page.screenshot({ path: `${SHOTS}/analytics-journey-refunded.png`, fullPage: true });

  // ---- the order's webhook delivered again (same webhook id): nothing changes -------------------
  const redelivered = await page.request.post(`${SHOP}/localshop/webhooks/redeliver`, { data: { topic: "orders/create" } });
  expect(redelivered.status()).toBe(200);
  expect((await redelivered.json()).status).toBe(200);
  const again = await readAnalytics(page);
  expect(again.offer).toEqual(refunded.offer);
  expect(again.orders).toEqual(refunded.orders);

  // ---- a holdout shopper sees no offer; their order counts in the holdout ----------------------
  const holdout = await shopper(browser, visitorIn("holdout", share));
  const held = holdout.page;
  await held.goto("/products/ember-gas-grill");
  await held.mouse.move(5, 5);
  await held.mouse.move(20, 30);
  await expect(held.locator('[data-cartlift-mount="product"][data-rendered]')).toHaveCount(1);
  await expect(held.locator('[data-cartlift-mount="product"]').getByText("Grill Brush")).toHaveCount(0);
  await held.getByRole("button", { name: "Add to cart", exact: true }).click();
  await expect.poll(async () => (await cartJs(held)).item_count).toBe(1);
  await expect.poll(async () => (await cartJs(held)).attributes?._cartlift_group).toBe("holdout");
  await expect(held.getByRole("dialog", { name: "Added to your cart" })).toHaveCount(0);
  await payAndConfirm(held);
  await expect.poll(async () => (await readAnalytics(page)).orders.holdout, { timeout: 60_000 }).toBe(before.orders.holdout + 1);
  // The holdout shopper's visit was counted too (the pixel runs for both groups).
  await expect.poll(async () => (await readAnalytics(page)).visitors.holdout, { timeout: 60_000 }).toBeGreaterThan(before.visitors.holdout);
  const last = await readAnalytics(page);
  expect(last.offer).toEqual(refunded.offer); // the holdout's order credits no offer
  await page.screenshot({ path: `${SHOTS}/analytics-journey-holdout.png`, fullPage: true });

  await treatment.context.close();
  await holdout.context.close();
});
