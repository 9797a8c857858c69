// The merchant admin end to end, in Chromium against the local shop: create a
// "frequently bought together" offer from its template, see it in the live preview, save,
// and find a ruleset in the local shop's app-installation metafield that the engine
// accepts and that offers the case and the screen film with the 64 GB phone.
import { expect, test } from "@playwright/test";
import { evaluate, parseRuleset } from "../../app/engine";
import { itemDisplay } from "../../app/offers/explain";

const APP_PORT = Number(process.env.E2E_PORT ?? 3190);
const LOCAL_SHOP = `http://127.0.0.1:${APP_PORT + 1}`;
const PHONE_64 = "2001";
const CASE_BLACK = "2005";
const FILM = "2010";

async function publishedRuleset(request: import("@playwright/test").APIRequestContext): Promise<unknown> {
  const response = await request.post(`${LOCAL_SHOP}/admin/api/2026-10/graphql.json`, {
    headers: { "X-Shopify-Access-Token": "anything", "content-type": "application/json" },
    data: { query: `{ currentAppInstallation { metafield(namespace: "cartlift", key: "ruleset") { value } } }` },
  });
  expect(response.ok()).toBe(true);
  const body = await response.json();
  return body.data.currentAppInstallation.metafield?.value ?? null;
}

test("creates a frequently-bought-together offer from its template, previews it, and publishes it", async ({ page, request }) => {
  await page.goto("/app/offers/new");
  await page.getByRole("link", { name: "Use the Frequently bought together template" }).click();
  await expect(page.getByRole("heading", { name: "Frequently bought together", level: 1 })).toBeVisible();

  // The trigger: the 64 GB phone.
  await page.locator("#trigger-search").fill("Aurora Phone");
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  await page.locator("#trigger-search").fill("");
  await expect(page.getByRole("list", { name: "When the cart or the product page holds" })).toContainText("64 GB");

  // What it offers: a case and a screen film.
  await page.locator("#offered-search").fill("Aurora Phone Case");
  await page.getByRole("button", { name: "Add Aurora Phone Case – Black", exact: true }).click();
  await page.locator("#offered-search").fill("screen film");
  await page.getByRole("button", { name: "Add Aurora Screen Film (2-pack)", exact: true }).click();
  await page.locator("#offered-search").fill("");

  // The live preview: a cart holding the phone gets both.
  const preview = page.getByRole("region", { name: "Live preview" });
  const shown = preview.getByRole("list", { name: "Offers shown" });
  await expect(shown).toContainText("Aurora Phone Case");
  await expect(shown).toContainText("Aurora Screen Film (2-pack)");
  await expect(preview.getByRole("list", { name: "Sample cart" })).toContainText("Aurora Phone");
  await page.screenshot({ path: "test-results/screenshots/admin-offer-editor.png", fullPage: true });

  // Save: the offer is created and published.
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page).toHaveURL(/\/app\/offers\/(?!new)[^/?]+$/);
  await expect(page.getByTestId("toast")).toContainText("Offer created and published");
  await expect(page.locator("#publish-status")).toContainText("1 live offer");
  await expect(preview.getByRole("list", { name: "Offers shown" })).toContainText("Aurora Screen Film (2-pack)");
  await preview.screenshot({ path: "test-results/screenshots/admin-offer-preview.png" });

  // The local shop now holds a ruleset the engine accepts, offering the case and the film.
  const value = await publishedRuleset(request);
  const parsed = parseRuleset(value);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  const evaluation = evaluate(
    parsed.ruleset,
    { currency: "USD", lines: [{ id: "1", productId: "1001", variantId: PHONE_64, quantity: 1, unitPrice: 69900 }] },
    { placement: "cart", now: Date.now() },
  );
  const offer = evaluation.offers.find((o) => o.items.some((i) => i.variantId == CASE_BLACK));
  expect(offer?.items.map((i) => i.variantId)).toEqual([CASE_BLACK, FILM]);
  expect(offer?.items.map((i) => itemDisplay(i).title)).toEqual(["Aurora Phone Case", "Aurora Screen Film (2-pack)"]);

  // The list shows it.
  await page.getByRole("link", { name: "Offers", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Offers", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Frequently bought together" }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin-offers-list.png", fullPage: true });
});
