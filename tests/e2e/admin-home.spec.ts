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
