// A real follow-up on the thank-you page (issue 11 item 14): after an order, the thank-you
// block asks Cartlift's app (with the checkout session token) for a next-order code, which the
// app creates through the Admin API (discountCodeBasicCreate: single use, the follow-up's
// product only, a true end); the page shows it with a copy button and links out of the
// extension's frame. The next checkout honours the code once; a second use is refused.
import { expect, test, type Page } from "@playwright/test";
import { displaySettings, readSettings } from "../../app/settings/settings";
import { DEMO, demoRuleset } from "../unit/checkout/demo-ruleset";
import { admin, LINE_LIST, SHOP, SHOTS, THANK_YOU, publish } from "./support/checkout-shop";

const APP = `http://localhost:${Number(process.env.E2E_PORT ?? 3190)}`;
/** The follow-up (screen film, 25% off) ends in a week, on the hour. */
const ENDS = new Date(Math.ceil((Date.now() + 7 * 864e5) / 36e5) * 36e5).toISOString();
const RULESET = { ...demoRuleset({ followUpEndsAt: ENDS }), display: { ...displaySettings(readSettings({})), appUrl: APP } };

test.beforeEach(async ({ request, context }) => {
  await publish(request, RULESET);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: SHOP });
});

async function placePhoneOrder(page: Page) {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  await expect(page.frameLocator(LINE_LIST).getByText("20% off a case for your phone")).toBeVisible();
  await page.getByRole("button", { name: "Pay now" }).click();
  await expect(page).toHaveURL(/\/checkout\/thank-you\/\d+$/);
}

test("the thank-you page shows a single-use code for the follow-up; the next checkout takes it once", async ({ page, request }) => {
  await placePhoneOrder(page);
  const followUp = page.frameLocator(THANK_YOU);
  await expect(followUp.getByRole("heading", { name: "Complete your phone setup" })).toBeVisible();
  const code = followUp.locator("s-text[type=strong]", { hasText: /^THANKS-[A-Z2-9]{10}$/ });
  await expect(code).toBeVisible();
  const value = (await code.textContent())!.trim();
  // With the code the offer's price is the price paid: $11.25 instead of $15.00.
  await expect(followUp.getByText("$11.25")).toBeVisible();
  await expect(followUp.getByText("One use on this product, until")).toBeVisible();
  await followUp.getByRole("button", { name: "Copy code" }).click();
  await expect(followUp.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
  await page.screenshot({ path: `${SHOTS}/thank-you-code.png`, fullPage: true });

  // A second load of the page: the same code, not a second one.
  await page.reload();
  await expect(page.frameLocator(THANK_YOU).getByText(value, { exact: true })).toBeVisible();

  // What Shopify holds: one use allowed, on the screen film only, ending with the offer.
  const { codeDiscountNodeByCode: node } = await admin(
    request,
    `query($code: String!) { codeDiscountNodeByCode(code: $code) { codeDiscount { ... on DiscountCodeBasic {
      usageLimit appliesOncePerCustomer endsAt asyncUsageCount
      customerGets { value { ... on DiscountPercentage { percentage } } items { ... on DiscountProducts { products(first: 5) { nodes { id } } } } }
    } } } }`,
    { code: value },
  );
  expect(node.codeDiscount).toEqual({
    usageLimit: 1,
    appliesOncePerCustomer: true,
    endsAt: ENDS.replace(".000Z", "Z"),
    asyncUsageCount: 0,
    customerGets: { value: { percentage: 0.25 }, items: { products: { nodes: [{ id: `gid://shopify/Product/${DEMO.screenFilm.productId}` }] } } },
  });

  // The next order: the code (pasted from the clipboard) takes 25% off the film.
  await page.goto(`${SHOP}/cart/${DEMO.screenFilm.variant}:1`);
  await page.getByRole("textbox", { name: "Discount code" }).fill(await page.evaluate(() => navigator.clipboard.readText()));
  await page.getByRole("button", { name: "Apply" }).click();
  const film = page.locator(`[data-variant-id="gid://shopify/ProductVariant/${DEMO.screenFilm.variant}"]`);
  await expect(film).toContainText(`${value} (−$3.75)`);
  await expect(film.locator(".line-total")).toHaveText("$11.25");
  await expect(page.locator("#discount-codes")).toContainText(value);
  await page.screenshot({ path: `${SHOTS}/checkout-code-applied.png`, fullPage: true });
  await page.getByRole("button", { name: "Pay now" }).click();
  await expect(page).toHaveURL(/\/checkout\/thank-you\/\d+$/);
  const { orders } = await admin(request, `{ orders(last: 1) { nodes { discountCodes lineItems(first: 2) { nodes { totalDiscountSet { shopMoney { amount } } } } } } }`);
  expect(orders.nodes[0].discountCodes).toEqual([value]);
  expect(Number(orders.nodes[0].lineItems.nodes[0].totalDiscountSet.shopMoney.amount)).toBe(3.75);

  // A second use is refused.
  await page.goto(`${SHOP}/cart/${DEMO.screenFilm.variant}:1`);
  await page.getByRole("textbox", { name: "Discount code" }).fill(value);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.locator("#discount-error")).toHaveText(`${value} discount code has reached its usage limit`);
  await expect(film.locator(".line-total")).toHaveText("$15.00");
});

test("'Shop now' leaves the extension's frame for the product page", async ({ page }) => {
  await placePhoneOrder(page);
  await page.frameLocator(THANK_YOU).getByRole("link", { name: "Shop Aurora Screen Film (2-pack)" }).click();
  await expect(page).toHaveURL(`${SHOP}/products/aurora-screen-film?variant=${DEMO.screenFilm.variant}&cartlift_offer=film-follow-up`);
  await expect(page.getByRole("heading", { name: "Aurora Screen Film (2-pack)" })).toBeVisible();
});

test("the app refuses a follow-up request without a valid checkout session token", async ({ request }) => {
  const orderId = "gid://shopify/OrderIdentity/80001";
  const none = await request.post(`${APP}/api/checkout/follow-up`, { data: { orderId }, maxRedirects: 0 });
  expect(none.status()).toBe(401);
  const forged = await request.post(`${APP}/api/checkout/follow-up`, {
    data: { orderId },
    headers: { Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJkZXN0IjoiY2FydGxpZnQtZGVtby5teXNob3BpZnkuY29tIn0.c2lnbmF0dXJl" },
    maxRedirects: 0,
  });
  expect(forged.ok()).toBe(false);
  expect(await forged.text()).not.toContain("THANKS-");
});
