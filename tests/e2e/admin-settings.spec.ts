// The settings page as a merchant meets its mistakes and a second tab, in Chromium: a
// refused save keeps what was typed with the error on the field (and Save still works),
// the later of two tabs' saves is refused with a clear message and keeps its edits, and
// publish times read in the shop's time zone on every page, whatever the browser's zone.
import { expect as baseExpect, test, type Page } from "@playwright/test";

const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });
// A browser far from the shop (America/New_York) and from the server (UTC).
test.use({ timezoneId: "Asia/Tokyo" });

const saveButton = (page: Page) => page.getByRole("button", { name: "Save", exact: true }).first();

async function saveSettings(page: Page, expected: RegExp | string) {
  await saveButton(page).click();
  await expect(page.getByTestId("toast")).toContainText(expected);
}

test("a refused save keeps what was typed, with each error on its field, and Save still works", async ({ page }) => {
  await page.goto("/app/settings");
  await page.getByLabel("Show shoppers how far they are from free shipping").check();
  const threshold = page.getByLabel("Threshold (USD)");
  await threshold.fill("-5");
  await page.getByLabel("Custom colours").check({ force: true }); // Polaris draws the radio over its input
  const accent = page.getByLabel("Buttons and progress bar", { exact: true });
  await accent.fill("#12345");
  await saveSettings(page, "Not saved: check the highlighted fields");

  // What the merchant typed is still there, the errors sit on those fields, and saving
  // again is possible (the form did not fall back to the stored values).
  await expect(threshold).toHaveValue("-5");
  await expect(accent).toHaveValue("#12345");
  await expect(threshold).toHaveAccessibleDescription(/Enter an amount above 0\./);
  await expect(accent).toHaveAccessibleDescription(/Enter a colour like #1a1a1a\./);
  await expect(threshold).toHaveAttribute("aria-invalid", "true");
  await expect(saveButton(page)).toBeEnabled();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/admin-settings-refused.png", fullPage: true });

  await threshold.fill("80.00");
  await accent.fill("#123456");
  await saveSettings(page, "Settings saved and published");
  await expect(threshold).toHaveValue("80.00");
  await expect(threshold).not.toHaveAttribute("aria-invalid", "true");

  // Back to how the other specs expect the demo shop.
  await page.getByLabel("Use the theme's colours").check({ force: true });
  await page.getByLabel("Show shoppers how far they are from free shipping").uncheck();
  await saveSettings(page, "Settings saved and published");
});

test("on a phone: a text error in another language's tab brings that tab forward, with the error on the field", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/app/settings");
  await page.getByRole("tab", { name: /Korean/ }).click();
  const progress = page.getByLabel("Free-shipping progress ({amount})");
  await progress.fill("무료 배송까지 조금 남았어요");
  await page.getByRole("tab", { name: /^English/ }).click();
  await saveButton(page).click();
  await expect(page.getByTestId("toast")).toContainText("Not saved: check the highlighted fields");
  await expect(page.getByRole("tab", { name: /Korean.*needs a fix/ })).toHaveAttribute("aria-selected", "true");
  await expect(progress).toHaveValue("무료 배송까지 조금 남았어요");
  await expect(progress).toHaveAccessibleDescription(/Keep \{amount\} in the text/);
  await expect(saveButton(page)).toBeEnabled();
  await progress.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/admin-settings-text-error-mobile.png" });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});

test("two tabs: the later save is refused with a clear message, keeps its edits, and Reload shows the other tab's", async ({ page, context }) => {
  const other = await context.newPage();
  await page.goto("/app/settings");
  await other.goto("/app/settings");
  await expect(page.getByLabel("Offers shown per placement")).toHaveValue("3");

  await other.getByLabel("Offers shown per placement").selectOption("2");
  await saveSettings(other, "Settings saved and published");

  await page.getByLabel("Price anchoring").fill("45");
  await saveButton(page).click();
  await expect(page.getByText("These settings were changed in another tab or by someone else since you opened them")).toBeVisible();
  await expect(page.getByTestId("toast")).toContainText("Not saved: the settings were changed elsewhere");
  await expect(page.getByLabel("Price anchoring")).toHaveValue("45");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/admin-settings-conflict.png", fullPage: true });

  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByLabel("Offers shown per placement")).toHaveValue("2");
  await expect(page.getByLabel("Price anchoring")).toHaveValue("30");
  // Now based on the newest version, a save goes through (and restores the default).
  await page.getByLabel("Offers shown per placement").selectOption("3");
  await saveSettings(page, "Settings saved and published");
  await other.close();
});

test("publish times read the same on the offers and settings pages, in the shop's time zone", async ({ page }) => {
  const created = await page.request.post("/app/offers/new", {
    form: { intent: "save", offer: JSON.stringify({ name: "Time zone check", kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: ["2005"] }) },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(302);
  const id = /\/app\/offers\/([^?]+)/.exec(created.headers()["location"] ?? "")![1];
  try {
    await page.goto("/app/offers");
    const onOffers = (await page.locator("#publish-status").innerText()).trim();
    // The demo shop is in New York: December is EST, whatever the browser (Tokyo) or server (UTC) say.
    expect(onOffers).toMatch(/published [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M EST/);
    await page.goto("/app/settings");
    await expect(page.locator("#publish-status")).toHaveText(onOffers);
    await page.goto(`/app/offers/${id}`);
    await expect(page.locator("#publish-status")).toHaveText(onOffers);
  } finally {
    const deleted = await page.request.post(`/app/offers/${id}`, { form: { intent: "delete" }, maxRedirects: 0 });
    expect(deleted.status()).toBe(302);
  }
});
