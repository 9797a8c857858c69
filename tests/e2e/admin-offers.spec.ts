// The merchant admin end to end, in Chromium against the local shop: create a
// "frequently bought together" offer from its template, see it in the live preview, save,
// and find a ruleset in the local shop's app-installation metafield that the engine
// accepts and that offers the case and the screen film with the 64 GB phone.
import { expect as baseExpect, test } from "@playwright/test";
import { evaluate, parseRuleset } from "../../app/engine";
import { itemDisplay } from "../../app/offers/explain";

// Saves publish to the local shop and the dev server compiles pages on first use: on a
// busy machine that takes longer than the default 10 s.
const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });

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
  await page.getByRole("link", { name: "Use template: Frequently bought together" }).click();
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
  await page.evaluate(() => window.scrollTo(0, 0)); // the unsaved-changes bar is fixed at the top
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

/** Creates an offer through the app's own create action (the demo needs no login). */
async function createOffer(request: import("@playwright/test").APIRequestContext, offer: Record<string, unknown>): Promise<string> {
  const response = await request.post("/app/offers/new", {
    form: { intent: "save", offer: JSON.stringify({ kind: "cross_sell", placements: ["cart"], trigger: { variants: [PHONE_64] }, variants: [CASE_BLACK], ...offer }) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const id = /\/app\/offers\/([^?]+)/.exec(response.headers()["location"] ?? "")?.[1];
  expect(id).toBeTruthy();
  return id!;
}

test("refuses an incomplete offer with errors next to its fields", async ({ page }) => {
  await page.goto("/app/offers/new?template=frequently_bought_together");
  await page.getByLabel("Name").fill("");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByText("Choose at least one product to offer.").first()).toBeVisible();
  await expect(page.getByText("Give the offer a name.").first()).toBeVisible();
  await expect(page.getByTestId("toast")).toContainText("Not saved");
  await expect(page).toHaveURL(/\/app\/offers\/new/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/admin-offer-errors.png", fullPage: true });

  // Leaving with unsaved changes asks first (the unsaved-changes bar covers the top bar,
  // as Shopify's does: the page's back link is the way out).
  await page.getByRole("main").getByRole("link", { name: "Offers", exact: true }).click();
  await expect(page.getByRole("dialog")).toContainText("Leave without saving?");
  await page.getByRole("dialog").getByRole("button", { name: "Stay" }).click();
  await expect(page).toHaveURL(/\/app\/offers\/new/);
});

test("the later of two concurrent edits is refused with a clear message", async ({ page, context, request }) => {
  const id = await createOffer(request, { name: "Shared offer" });
  const other = await context.newPage();
  await page.goto(`/app/offers/${id}`);
  await other.goto(`/app/offers/${id}`);

  await other.getByLabel("Name").fill("Shared offer (edited elsewhere)");
  await other.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(other.getByTestId("toast")).toContainText("Offer saved");

  await page.getByLabel("Priority").fill("5");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByText("This offer was changed by someone else since you opened it. Reload to see their changes.")).toBeVisible();
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("Shared offer (edited elsewhere)");
});

test("bulk pauses and deletes offers, with confirmation", async ({ page, request }) => {
  await createOffer(request, { name: "Bulk test one" });
  await createOffer(request, { name: "Bulk test two", kind: "upsell", variants: ["2002"] });
  await page.goto("/app/offers?q=Bulk%20test");
  await expect(page.getByRole("link", { name: "Bulk test two" })).toBeVisible();
  await expect(page.locator(".Polaris-IndexTable__TableRow")).toHaveCount(2);

  await page.locator("table").getByLabel("Select all offers").check({ force: true });
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("toast")).toContainText("2 offers paused");
  await expect(page.locator(".Polaris-IndexTable__TableRow").getByText("Paused")).toHaveCount(2);

  // The table re-renders as the list revalidates after the pause: retry until selected.
  await expect(async () => {
    await page.locator("table").getByLabel("Select all offers").check({ force: true, timeout: 1000 });
    await expect(page.getByRole("button", { name: "More actions" })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.getByRole("button", { name: "More actions" }).click();
  await page.getByRole("button", { name: "Delete offers" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete 2 offers?");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByTestId("toast")).toContainText("2 offers deleted");
  await expect(page.getByRole("link", { name: /Bulk test/ })).toHaveCount(0);
});

test("settings: a free-shipping goal and translated texts, seen in the preview", async ({ page }) => {
  await page.goto("/app/settings");
  await page.getByLabel("Show shoppers how far they are from free shipping").check();
  await page.getByLabel("Threshold (USD)").fill("75.00");
  await page.getByRole("tab", { name: /Korean/ }).click();
  await page.getByLabel("Add button").fill("담기");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByTestId("toast")).toContainText("Settings saved and published");
  await page.screenshot({ path: "test-results/screenshots/admin-settings.png", fullPage: true });

  await page.goto("/app/preview");
  await page.locator("#preview-cart-search").fill("House Blend");
  await page.getByRole("button", { name: "Add House Blend Coffee – Whole bean", exact: true }).click();
  await expect(page.getByText("$59.00 away from free shipping (threshold $75.00).")).toBeVisible();
  await page.getByLabel("Currency").selectOption("EUR");
  await expect(page.getByText(/away from free shipping \(threshold €69\.00\)/)).toBeVisible();

  // Every live offer is listed with why it does or does not show for this cart.
  await expect(page.getByRole("list", { name: "Offers not shown" })).toContainText("Frequently bought together — Nothing in the cart triggers it.");
  await page.screenshot({ path: "test-results/screenshots/admin-preview.png", fullPage: true });
});

test("guardrails: a store-wide quantity break is confirmed first, and a fixed discount never gives an add-on away", async ({ page }) => {
  // The quantity-breaks template names no products: saving asks before it discounts every product.
  await page.goto("/app/offers/new?template=quantity_breaks");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByText(/this would discount every product in your store/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/app\/offers\/new/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/admin-guardrail-store-wide.png", fullPage: true });
  await page.getByLabel("Applies to every product in the store").check();
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page).toHaveURL(/\/app\/offers\/(?!new)[^/?]+$/);
  await expect(page.getByTestId("toast")).toContainText("Offer created");

  // $15.00 off the $15.00 screen film would show it at $0.00.
  await page.goto("/app/offers/new?template=frequently_bought_together");
  await page.locator("#trigger-search").fill("Aurora Phone");
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  await page.locator("#offered-search").fill("screen film");
  await page.getByRole("button", { name: "Add Aurora Screen Film (2-pack)", exact: true }).click();
  await page.getByLabel("Discount on the offered products").selectOption("amount");
  await page.getByLabel("Value").fill("15.00");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByText(/is at least the price of Aurora Screen Film \(2-pack\) \(\$15\.00\): it would be free/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/app\/offers\/new/);
});

test("guardrails: an upgrade's discount says plainly who can claim it", async ({ page }) => {
  await page.goto("/app/offers/new?template=upgrade_to_premium");
  await expect(page.locator("#upgrade-discount-warning")).toHaveCount(0);
  await page.getByLabel("Discount on the offered products").selectOption("percent");
  await expect(page.locator("#upgrade-discount-warning")).toContainText("Anyone who adds the upgraded variant through this offer gets this discount");
  // An empty value looks empty: the example is help text, not a grey "10" that reads as one.
  await expect(page.getByLabel("Value")).toHaveValue("");
  expect((await page.getByLabel("Value").getAttribute("placeholder")) ?? "").toBe("");
  await expect(page.getByText("For example 10 for 10% off.")).toBeVisible();
  await page.locator("#upgrade-discount-warning").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/admin-guardrail-upgrade.png" });
});

test("conditions: “New customers” leaves guests out unless the merchant picks “New, or a guest”", async ({ page, request }) => {
  await page.goto("/app/offers/new?template=frequently_bought_together");
  await page.getByLabel("Name").fill("New and guests");
  // Earlier tests of this file leave offers for the same phone: a higher priority keeps this
  // one among the three a placement shows (else it is skipped as LIMIT_REACHED, for everyone).
  await page.getByLabel("Priority").fill("100");
  await page.locator("#trigger-search").fill("Aurora Phone");
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  await page.locator("#trigger-search").fill("");
  await page.locator("#offered-search").fill("Aurora Phone Case");
  await page.getByRole("button", { name: "Add Aurora Phone Case – Black", exact: true }).click();
  await page.locator("#offered-search").fill("");

  await page.getByRole("button", { name: "Add conditions" }).click();
  const customers = page.getByLabel("Customers");
  await customers.selectOption({ label: "New customers" });
  await expect(page.getByText("Guests are not counted as new")).toBeVisible();
  await customers.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/admin-conditions-new.png" });
  await customers.selectOption({ label: "New, or a guest" });
  await expect(page.getByText("Guests are not counted as new")).toHaveCount(0);
  await customers.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/admin-conditions-new-and-guests.png" });

  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await expect(page.getByTestId("toast")).toContainText("Offer created and published");
  // The published ruleset says it: new customers, or any guest.
  const parsed = parseRuleset(JSON.parse(String(await publishedRuleset(request))));
  baseExpect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  const offer = parsed.ruleset.offers.find((o) => o.conditions && JSON.stringify(o.conditions).includes("loggedIn"));
  baseExpect(offer?.conditions).toEqual({ all: [{ any: [{ fact: "orderCount", op: "eq", value: 0 }, { fact: "loggedIn", op: "eq", value: false }] }] });
  const cart = { currency: "USD", lines: [{ id: "l1", productId: "1001", variantId: PHONE_64, quantity: 1, unitPrice: 69900 }] };
  const shown = (customer?: { loggedIn: boolean; orderCount: number }) =>
    evaluate(parsed.ruleset, cart, { placement: "cart", now: Date.now(), ...(customer ? { customer } : {}) }).offers.some((o) => o.id == offer!.id);
  baseExpect([shown(), shown({ loggedIn: true, orderCount: 0 }), shown({ loggedIn: true, orderCount: 4 })]).toEqual([true, true, false]);
});
