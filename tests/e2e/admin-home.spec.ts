import { expect, test } from "@playwright/test";

test("the demo admin home shows the demo shop, its catalog and the next step", async ({ page }) => {
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: "Cartlift" }).first()).toBeVisible();
  await expect(page.locator("#shop-name")).toHaveText("Cartlift Demo");
  await expect(page.getByText("cartlift-demo.myshopify.com").first()).toBeVisible();
  await expect(page.locator("#catalog-size")).toHaveText(/^\d+ products$/);
  const count = Number((await page.locator("#catalog-size").innerText()).split(" ")[0]);
  expect(count).toBeGreaterThanOrEqual(35);
  await expect(page.getByRole("heading", { name: "Create your first offer" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin-home.png", fullPage: true });
});

test("the setup guide shows each step with its state, read from the local shop's live theme", async ({ page }) => {
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: "Setup guide" })).toBeVisible();
  const step = (id: string) => page.locator(`[data-step="${id}"]`);
  // The local theme's settings_data.json has the embed on; its product.json has the block.
  await expect(step("embed")).toHaveAttribute("data-state", "done");
  await expect(step("embed").getByText("Done", { exact: true })).toBeVisible();
  await expect(step("product-block")).toHaveAttribute("data-state", "done");
  await expect(step("product-block").getByText("Done", { exact: true })).toBeVisible();
  await expect(step("free-shipping").getByText("To check", { exact: true })).toBeVisible();
  // The e2e demo starts without offers.
  await expect(step("first-offer")).toHaveAttribute("data-state", "todo");
  await expect(step("first-offer").getByText("Not done", { exact: true })).toBeVisible();
  await expect(step("first-offer").getByRole("link", { name: "Create an offer" })).toHaveAttribute("href", "/app/offers/new");
  await expect(page.locator("#setup-progress")).toHaveText("2 of 4 done");
  await page.screenshot({ path: "test-results/screenshots/admin-home-setup-guide.png", fullPage: true });
});

test("the demo serves the built admin: no module is compiled on request", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() == "script") scripts.push(new URL(request.url()).pathname);
  });
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: "Cartlift" }).first()).toBeVisible();
  // Vite in development serves /@vite/client and source paths (/app/routes/…); the build
  // serves hashed bundles under /assets/.
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((path) => !path.startsWith("/assets/"))).toEqual([]);
});
