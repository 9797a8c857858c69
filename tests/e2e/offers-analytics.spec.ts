// The offers list's analytics columns in Chromium at 1280 px: events through the pixel's
// ingest route and a signed orders/create webhook reach the list as impressions, click
// rate, accept rate and attributed revenue; a refund lowers the revenue; a column heading
// sorts by its figure.
import { createHmac, randomUUID } from "node:crypto";
import { expect as baseExpect, test, type APIRequestContext } from "@playwright/test";
import { LOCAL_SHOP_DOMAIN } from "../../app/local-shop.server";
import { orderPayload, refundPayload } from "../support/orders";

const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });

// The demo's webhook secret (server.ts) unless the environment names one.
const SECRET = process.env.SHOPIFY_API_SECRET || "cartlift-local-shop-secret";
const shop = LOCAL_SHOP_DOMAIN;

async function createOffer(request: APIRequestContext, name: string, variant: string): Promise<string> {
  const response = await request.post("/app/offers/new", {
    form: { intent: "save", offer: JSON.stringify({ name, kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: [variant] }) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  return /\/app\/offers\/([^?]+)/.exec(response.headers()["location"] ?? "")![1];
}

async function webhook(request: APIRequestContext, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await request.post(`/webhooks/${topic}`, {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shop,
      "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body, "utf8").digest("base64"),
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-api-version": "2026-10",
    },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

async function events(request: APIRequestContext, offerId: string, counts: Record<"impression" | "click" | "accept", number>) {
  // 20 hours ago: yesterday or today in any shop time zone, inside the 30-day period.
  const at = new Date(Date.now() - 20 * 3_600_000).toISOString();
  const list = Object.entries(counts).flatMap(([type, n]) => Array.from({ length: n }, () => ({ type, offerId, placement: "cart", group: "treatment", at })));
  const response = await request.post("/api/events", { data: JSON.stringify({ shop, events: list }), headers: { "content-type": "text/plain" } });
  expect(response.status()).toBe(202);
  expect(await response.json()).toEqual({ accepted: list.length, rejected: 0 });
}

/** The text of a row's figure cells, found by their column headings (the row has other
 *  columns before and after them: the selection checkbox, Name, …, and a Duplicate button). */
async function rowFigures(page: import("@playwright/test").Page, name: string) {
  const headings = (await page.getByRole("table").first().getByRole("columnheader").allInnerTexts()).map((t) => t.trim());
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  const cells = (await row.getByRole("cell").allInnerTexts()).map((t) => t.trim());
  expect(cells).toHaveLength(headings.length);
  const cell = (heading: string) => {
    const i = headings.findIndex((h) => h.startsWith(heading));
    expect(i, `a "${heading}" column`).toBeGreaterThanOrEqual(0);
    return cells[i];
  };
  return { impressions: cell("Impressions"), clickRate: cell("Click rate"), acceptRate: cell("Accept rate"), revenue: cell("Revenue") };
}

test("the offers list shows each offer's impressions, rates and net revenue, sortable, and a refund lowers the revenue", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const suffix = randomUUID().slice(0, 6);
  const caseName = `Case with phone ${suffix}`;
  const filmName = `Film with phone ${suffix}`;
  const caseOffer = await createOffer(request, caseName, "2005");
  const filmOffer = await createOffer(request, filmName, "2010");
  try {
    await events(request, caseOffer, { impression: 10, click: 4, accept: 2 });
    await events(request, filmOffer, { impression: 4, click: 1, accept: 1 });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const orderId = Date.now();
    const order = {
      id: orderId,
      group: null,
      createdAt: `${yesterday}T12:00:00-05:00`,
      lines: [
        { id: orderId * 10 + 1, productId: 1001, variantId: 2001, price: "699.00", quantity: 1 },
        { id: orderId * 10 + 2, productId: 1005, variantId: 2005, price: "29.00", quantity: 2, discount: "5.80", offer: caseOffer },
      ],
    };
    expect(await webhook(request, "orders/create", orderPayload(order))).toMatchObject({ duplicate: false });

    await page.goto(`/app/offers?q=${suffix}`);
    await expect(page.getByRole("link", { name: caseName, exact: true })).toBeVisible();
    for (const heading of ["Impressions", "Click rate", "Accept rate", "Revenue"]) await expect(page.getByRole("columnheader", { name: heading })).toBeVisible();
    await expect.poll(() => rowFigures(page, caseName)).toEqual({ impressions: "10", clickRate: "40.0%", acceptRate: "20.0%", revenue: "$52.20" });
    expect(await rowFigures(page, filmName)).toEqual({ impressions: "4", clickRate: "25.0%", acceptRate: "25.0%", revenue: "$0.00" });

    // Sorted by accept rate (its heading), the film comes first; by revenue, the case.
    await page.getByRole("button", { name: "Accept rate", exact: true }).first().click();
    await expect(page).toHaveURL(/sort=acceptRate/);
    await expect(page.getByRole("link", { name: /with phone/ }).first()).toHaveText(filmName);
    await page.getByRole("button", { name: "Revenue", exact: true }).first().click();
    await expect(page).toHaveURL(/sort=revenue/);
    await expect(page.getByRole("link", { name: /with phone/ }).first()).toHaveText(caseName);
    // The table as the merchant first sees it: scrolled to its start, no tooltip open.
    await page.mouse.move(0, 0);
    await page.getByRole("table").first().evaluate((table) => {
      for (let el = table.parentElement; el; el = el.parentElement) el.scrollLeft = 0;
    });
    await page.screenshot({ path: "test-results/screenshots/admin-offers-analytics.png", fullPage: true });

    // One case refunded: the list shows the revenue net of it.
    const refund = refundPayload({ id: orderId + 7, orderId, lines: [{ lineId: orderId * 10 + 2, quantity: 1, subtotal: "26.10" }] });
    expect(await webhook(request, "refunds/create", refund)).toMatchObject({ duplicate: false });
    await page.reload();
    await expect.poll(() => rowFigures(page, caseName)).toMatchObject({ revenue: "$26.10" });

    // Cancelled: the order stops counting (and leaves the demo shop's totals as they were).
    await webhook(request, "orders/cancelled", orderPayload({ ...order, updatedAt: new Date().toISOString(), cancelledAt: new Date().toISOString() }));
    await page.reload();
    await expect.poll(() => rowFigures(page, caseName)).toMatchObject({ revenue: "$0.00" });
  } finally {
    // The other admin specs expect the demo shop as it starts (no offers).
    for (const id of [caseOffer, filmOffer]) await request.post(`/app/offers/${id}`, { form: { intent: "delete" }, maxRedirects: 0 });
  }
});
