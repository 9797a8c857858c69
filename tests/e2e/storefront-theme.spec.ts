// The local shop's own theme (what every new user sees first): product cards with their
// prices and a quick add, a cart page whose totals read cleanly, and titles printed as
// text. Cartlift's pop-up opens after a quick add from a collection just as after the
// product page's button.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { buildDemoRuleset, demoIds, publishStorefrontRuleset } from "../../localshop/storefront/demo-ruleset";

const SHOP = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3190) + 1}`;
const ids = demoIds();

test.use({ baseURL: SHOP });

test.beforeEach(async () => {
  await publishStorefrontRuleset(SHOP, buildDemoRuleset());
});

const shot = (page: Page, info: TestInfo, name: string, fullPage = false) =>
  page.screenshot({ path: `test-results/screenshots/theme-${name}-${info.project.name}.png`, fullPage });

async function cartJs(page: Page) {
  return (await page.request.get("/cart.js")).json();
}

/** The screen box of an element's text (not of its box, which may be wider). */
const textBox = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });

test("every product card shows its price, 'From' the lowest where variants differ", async ({ page }, info) => {
  await page.goto("/collections/food");
  const card = (name: string) => page.locator(".card", { has: page.getByRole("link", { name, exact: true }) });
  await expect(card("Crispy Fries").locator(".price")).toHaveText("From $3.50");
  await expect(card("Classic Burger").locator(".price")).toContainText("$9.50");
  await shot(page, info, "collection-food", true);
  await page.goto("/collections/phones");
  await expect(card("Aurora Phone").locator(".price")).toHaveText("From $699.00");
  for (const price of await page.locator(".card .price").allTextContents()) expect(price).toMatch(/\$\d/);
});

test("a quick add from a collection card adds the chosen variant and opens Cartlift's pop-up", async ({ page }, info) => {
  await page.goto("/collections/phones");
  const phone = page.locator(".card", { has: page.getByRole("link", { name: "Aurora Phone", exact: true }) });
  await expect(phone.getByLabel("Storage")).toHaveValue(ids.phone64);
  await phone.getByRole("button", { name: "Add Aurora Phone to cart" }).click();
  const popup = page.getByRole("dialog", { name: "Added to your cart" });
  await expect(popup).toBeVisible();
  await expect(popup.getByRole("region", { name: "Double the storage" })).toBeVisible();
  await shot(page, info, "quick-add-popup");
  const cart = await cartJs(page);
  expect(cart.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[Number(ids.phone64), 1]]);

  await page.goto("/collections/grilling");
  await page.getByRole("button", { name: "Add Ember 3-Burner Gas Grill to cart" }).click();
  await expect(page.getByRole("dialog", { name: "Added to your cart" }).getByRole("region", { name: "Keep your grill clean" })).toBeVisible();
  expect((await cartJs(page)).items.map((i: any) => i.variant_id)).toContain(Number(ids.grillVariant));
});

test("the cart page: savings on their own row apart from the subtotal, line totals aligned under 'Total'", async ({ page }, info) => {
  for (const id of [ids.burger, ids.fries, ids.drink]) {
    const res = await page.request.post("/cart/add.js", { data: { id: Number(id), quantity: 1, properties: { _cartlift_offer: "burger-meal" } } });
    expect(res.ok()).toBe(true);
  }
  await page.goto("/cart");
  const savings = page.locator("#main-cart-footer .totals__discount");
  await expect(savings).toHaveText(/Savings\s*−\$2\.30/);
  const label = await savings.evaluate((el) => {
    const range = document.createRange();
    range.setStart(el.firstChild!, 0);
    range.setEnd(el.firstChild!, "Savings".length);
    return range.getBoundingClientRect();
  });
  const amount = await textBox(page, "#main-cart-footer .totals__discount span");
  const subtotal = await textBox(page, "#main-cart-footer .totals__total");
  expect(amount.left - label.right, "space between 'Savings' and the amount").toBeGreaterThan(8);
  expect(subtotal.top, "the subtotal starts below the savings row").toBeGreaterThanOrEqual(amount.bottom - 1);

  const heading = await textBox(page, "#main-cart-items th.right");
  const rows = await page.locator("#main-cart-items .cart-item__final-price").count();
  expect(rows).toBe(3);
  for (let i = 0; i < rows; i++) {
    const total = await page.locator("#main-cart-items .cart-item__final-price").nth(i).evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().right;
    });
    expect(Math.abs(total - heading.right), `line ${i + 1}'s total ends where 'Total' ends`).toBeLessThan(2);
  }
  await shot(page, info, "cart-totals", true);
});
