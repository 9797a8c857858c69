// Small things in the offers admin that looked broken, in Chromium: product search results
// close after a pick; a long offer name never clips the offers table (1280 px and 390 px);
// the live preview in another currency prices its sample cart in that currency and never
// shows a "€0.00" cart on the product page; an offer can be duplicated (a paused
// "Copy of …", opened), from its editor or its row in the offers list; a create submitted twice makes one offer; and Shopify failing
// during a product search says so under the search field.
import AxeBuilder from "@axe-core/playwright";
import { expect as baseExpect, test, type APIRequestContext, type Page } from "@playwright/test";

const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });

const APP_PORT = Number(process.env.E2E_PORT ?? 3190);
const LOCAL_SHOP = `http://127.0.0.1:${APP_PORT + 1}`;
// 118 characters, within the 120 a name may take.
const LONG_NAME = "Frequently bought together with the Aurora Phone 64 GB: the black case, the screen film and the charger, for holidays";

// The other admin specs expect the demo shop as it starts (no offers): remove what we made.
const made = new Set<string>();
test.afterAll(async ({ request }) => {
  for (const id of made) await request.post(`/app/offers/${id}`, { form: { intent: "delete" }, maxRedirects: 0 });
});

async function createOffer(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post("/app/offers/new", {
    form: { intent: "save", offer: JSON.stringify({ name, kind: "cross_sell", placements: ["cart"], trigger: { variants: ["2001"] }, variants: ["2005"] }) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const id = /\/app\/offers\/([^?]+)/.exec(response.headers()["location"] ?? "")![1];
  made.add(id);
  return id;
}

const offerIdOf = (url: string) => /\/app\/offers\/([^/?]+)/.exec(url)?.[1] ?? "";

test("product search results close after a pick", async ({ page }) => {
  await page.goto("/app/offers/new?template=frequently_bought_together");
  const search = page.locator("#trigger-search");
  await search.fill("Aurora Phone");
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results).toBeVisible();
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  await expect(results).toHaveCount(0);
  await expect(search).toHaveValue("");
  await expect(search).toBeFocused();
  await expect(page.getByRole("list", { name: "When the cart or the product page holds" })).toContainText("64 GB");
});

/** How far the offers table reaches beyond what its card shows (0: nothing clipped). */
async function clipped(page: Page): Promise<{ overflow: number; nameVisible: boolean }> {
  return page.evaluate((name) => {
    const table = document.querySelector(".Polaris-IndexTable") as HTMLElement;
    const link = [...document.querySelectorAll("a[data-primary-link]")].find((a) => a.textContent == name) as HTMLElement;
    let overflow = 0;
    // Any scroll container between the table and the page that hides part of the table.
    for (let el: HTMLElement | null = link; el && el != document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (/(hidden|auto|scroll|clip)/.test(style.overflowX)) overflow = Math.max(overflow, el.scrollWidth - el.clientWidth);
    }
    overflow = Math.max(overflow, document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const box = link.getBoundingClientRect();
    const card = table.getBoundingClientRect();
    return { overflow, nameVisible: box.right <= card.right + 0.5 && box.left >= card.left - 0.5 && link.scrollWidth <= link.clientWidth + 1 };
  }, LONG_NAME);
}

test.describe("the offers table", () => {
  test.beforeAll(async ({ request }) => {
    await createOffer(request, LONG_NAME);
    await createOffer(request, "Grill brush");
  });

  for (const viewport of [
    { name: "desktop", width: 1280, height: 800 },
    { name: "mobile", width: 390, height: 844 },
  ]) {
    test(`the offers table with a long name is not clipped at ${viewport.width} px`, async ({ page }) => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.goto("/app/offers");
      await expect(page.getByRole("link", { name: LONG_NAME })).toBeVisible();
      // The server renders the wide table; below 768 px the page switches to Polaris's
      // condensed list once it has hydrated (slow on a busy machine): wait for the layout to
      // settle, and fail if it never fits.
      await expect.poll(() => clipped(page), { timeout: 30_000 }).toEqual({ overflow: 0, nameVisible: true });
      await page.screenshot({ path: `test-results/screenshots/admin-offers-table-${viewport.name}.png`, fullPage: true });
      // Everything the long row says is on screen: its status badge and its date too.
      const row = page.locator(".Polaris-IndexTable__TableRow").filter({ has: page.getByRole("link", { name: LONG_NAME }) });
      for (const part of [row.getByText("Active", { exact: true }), row.getByText(/Dec|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov/)]) {
        await expect(part).toBeVisible();
        const box = await part.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= viewport.width + 0.5).toBe(true);
      }
      // The badge reads on one line ("Active", not "Ac/tiv/e" squeezed by the name).
      const badge = await row.getByText("Active", { exact: true }).boundingBox();
      expect(badge!.height).toBeLessThan(28);
      // And the list stays accessible in either layout.
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact == "serious" || v.impact == "critical").map((v) => v.id)).toEqual([]);
    });
  }
});

test.beforeAll(() => expect(LONG_NAME.length).toBeLessThanOrEqual(120));

test("the preview in euros prices the sample cart in euros, and the product page shows no empty-cart €0.00", async ({ page }) => {
  await page.goto("/app/preview");
  await page.getByLabel("Currency").selectOption("EUR");
  await page.locator("#preview-cart-search").fill("Aurora Phone");
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  const cart = page.getByRole("list", { name: "Sample cart" });
  await expect(cart).toContainText("€");
  await expect(cart).not.toContainText("$");
  await expect(page.getByText(/^Cart subtotal €[\d,.]+ \(EUR\)$/)).toBeVisible();

  await page.getByLabel("Placement").selectOption("product");
  await expect(page.getByText(/The shopper is viewing Aurora Phone – 64 GB \(€[\d,.]+\)/)).toBeVisible();
  await expect(page.getByText("€0.00")).toHaveCount(0);
  await expect(cart).not.toContainText("$");
  await page.screenshot({ path: "test-results/screenshots/admin-preview-eur-product.png", fullPage: true });
});

test("Duplicate makes a paused “Copy of …” of the offer and opens it", async ({ page, request }) => {
  const id = await createOffer(request, "Burger meal deal");
  await page.goto(`/app/offers/${id}`);
  await expect(page.getByRole("heading", { name: "Burger meal deal", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Duplicate" }).click();
  await expect(page).toHaveURL((url) => offerIdOf(url.href) != id && offerIdOf(url.href) != "" && !url.search.includes("duplicated"));
  const copyId = offerIdOf(page.url());
  made.add(copyId);
  await expect(page.getByRole("heading", { name: "Copy of Burger meal deal", level: 1 })).toBeVisible();
  await expect(page.getByTestId("toast")).toContainText("Copy made: it stays paused until you resume it");
  await expect(page.getByLabel("Status")).toHaveValue("paused");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/admin-offer-duplicated.png" });

  await page.goto("/app/offers?q=Burger%20meal%20deal");
  await expect(page.locator(".Polaris-IndexTable__TableRow")).toHaveCount(2);
  const copyRow = page.locator(".Polaris-IndexTable__TableRow").filter({ has: page.getByRole("link", { name: "Copy of Burger meal deal" }) });
  await expect(copyRow).toContainText("Paused");
});

test("Duplicate on a row of the offers list makes one paused copy, even clicked twice, and opens it", async ({ page, request }) => {
  const id = await createOffer(request, "Fries for two");
  await page.goto("/app/offers?q=Fries%20for%20two");
  const rows = page.locator(".Polaris-IndexTable__TableRow");
  await expect(rows).toHaveCount(1);
  await page.screenshot({ path: "test-results/screenshots/admin-offers-row-duplicate.png" });
  // Clicked twice in a row: one copy (the row's idempotency key), and the row is not selected.
  await page.getByRole("button", { name: "Duplicate Fries for two" }).dblclick();
  await expect(page).toHaveURL((url) => offerIdOf(url.href) != "" && offerIdOf(url.href) != id && !url.search.includes("duplicated"));
  made.add(offerIdOf(page.url()));
  await expect(page.getByRole("heading", { name: "Copy of Fries for two", level: 1 })).toBeVisible();
  await expect(page.getByTestId("toast")).toContainText("Copy made: it stays paused until you resume it");
  await expect(page.getByLabel("Status")).toHaveValue("paused");

  await page.goto("/app/offers?q=Fries%20for%20two");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ has: page.getByRole("link", { name: "Copy of Fries for two" }) })).toContainText("Paused");
  // On a phone the condensed rows keep the action.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("button", { name: "Duplicate Copy of Fries for two" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin-offers-row-duplicate-390.png" });
});

test("a create submitted twice makes one offer: the second submit answers with the first", async ({ page }) => {
  await page.goto("/app/offers/new?template=frequently_bought_together");
  await page.getByLabel("Name").fill("Submitted twice");
  await page.locator("#trigger-search").fill("Aurora Phone");
  await page.getByRole("button", { name: "Add Aurora Phone – 64 GB", exact: true }).click();
  await page.locator("#offered-search").fill("screen film");
  await page.getByRole("button", { name: "Add Aurora Screen Film (2-pack)", exact: true }).click();
  const posted = page.waitForRequest((r) => r.method() == "POST" && /^\/app\/offers\/new(\.data)?$/.test(new URL(r.url()).pathname));
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  const form = new URLSearchParams((await posted).postData() ?? "");
  expect(form.get("createKey")).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  await expect(page).toHaveURL(/\/app\/offers\/(?!new)[^/?]+$/);
  const id = offerIdOf(page.url());
  made.add(id);

  // The same form submitted again (a double click's second request, a retry after a lost answer).
  const again = await page.request.post("/app/offers/new", { form: Object.fromEntries(form), maxRedirects: 0 });
  expect(again.status()).toBe(302);
  expect(offerIdOf(again.headers()["location"] ?? "")).toBe(id);
  await page.goto("/app/offers?q=Submitted%20twice");
  await expect(page.getByRole("link", { name: "Submitted twice" })).toHaveCount(1);

  // A new rendering of the form has a key of its own.
  await page.goto("/app/offers/new?template=frequently_bought_together");
  await page.getByLabel("Name").fill("");
  const second = page.waitForRequest((r) => r.method() == "POST" && /^\/app\/offers\/new(\.data)?$/.test(new URL(r.url()).pathname));
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  const otherKey = new URLSearchParams((await second).postData() ?? "").get("createKey");
  expect(otherKey).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  expect(otherKey).not.toBe(form.get("createKey"));
});

test("Shopify failing during a product search says so under the search field, and searching works again after", async ({ page, request }) => {
  await page.goto("/app/offers/new?template=frequently_bought_together");
  const search = page.locator("#trigger-search");
  try {
    expect((await request.post(`${LOCAL_SHOP}/localshop/outage`, { data: { adminApi: true } })).ok()).toBe(true);
    await search.fill("Aurora Phone");
    await expect(search).toHaveAccessibleDescription(/Shopify did not answer the search\. Try again in a moment\./);
    await expect(page.getByText("Shopify did not answer the search. Try again in a moment.")).toBeVisible();
    await search.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screenshots/admin-search-outage.png" });
  } finally {
    await request.post(`${LOCAL_SHOP}/localshop/outage`, { data: { adminApi: false } });
  }
  await search.fill("Aurora Phone Case");
  await expect(page.getByRole("button", { name: "Add Aurora Phone Case – Black", exact: true })).toBeVisible();
  await expect(page.getByText("Shopify did not answer the search.")).toHaveCount(0);
});
