import { expect, test } from "@playwright/test";

test("the merchant reads the demo's 60 days of orders and sees mined picks with their reasons", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/app/recommendations");
  await expect(page.getByRole("heading", { name: "Recommendations" }).first()).toBeVisible();
  await expect(page.getByTestId("backfill-status")).toHaveText("Not read yet");
  await expect(page.getByTestId("lists-rebuilt")).toHaveText(/No lists yet/);

  await page.getByRole("button", { name: "Read the last 60 days of orders" }).click();
  // Progress while it runs, then the lists (the export and the import take seconds).
  await expect(page.getByTestId("backfill-status")).toHaveText(/Reading orders|Storing orders|Up to date/, { timeout: 60_000 });
  await expect(page.getByTestId("backfill-status")).toHaveText(/Up to date$/, { timeout: 150_000 });
  await expect(page.getByTestId("backfill-progress")).toHaveText(/^[\d,]+ orders read on .+ \([\d,]+ new\)\.$/);
  await expect(page.getByTestId("lists-rebuilt")).toHaveText(/Lists last rebuilt .+ from [\d,]+ orders in \d+ ms: \d+ products have picks\./);

  const phone = page.locator("h3", { hasText: /^Aurora Phone$/ }).locator("xpath=ancestor::div[contains(@class,'Polaris-BlockStack')][1]");
  await expect(phone.getByText("Aurora Phone Case")).toBeVisible();
  await expect(page.getByTestId("pick-reason").first()).toHaveText(/^Bought together in \d+ orders in the last 60 days$/);
  await page.screenshot({ path: "test-results/screenshots/recommendations-admin.png", fullPage: true });
});
