// The local checkout in Chromium: the checkout UI extension offers the add-on, accepting it
// adds the line, the discount function prices it, and the totals are the engine's; paying
// places the order with the offer attribute and the thank-you page shows the follow-up.
// Offers and the discount are published through the Admin API double, as the publisher does.
import { expect, test, type Page } from "@playwright/test";
import { evaluate, type Cart, type Ruleset } from "../../app/engine";
import { DEMO, demoRuleset, demoVariant } from "../unit/checkout/demo-ruleset";
import { admin, LINE_LIST, publish, SHOP, SHOTS } from "./support/checkout-shop";

/** A follow-up offer ending in a week, on the hour (its end is shown to the shopper). */
const FOLLOW_UP_ENDS = new Date(Math.ceil((Date.now() + 7 * 864e5) / 36e5) * 36e5).toISOString();
/** Free shipping from $720: the phone alone is short of it, the phone and the discounted case reach it. */
const RULESET: Ruleset = demoRuleset({ shop: { freeShipping: { amount: 72000 } }, followUpEndsAt: FOLLOW_UP_ENDS });

// Only this test's discount may run: every other automatic app discount is removed first.
test.beforeEach(async ({ request }) => publish(request, RULESET));

const usd = (minor: number) => new Intl.NumberFormat("en", { style: "currency", currency: "USD" }).format(minor / 100);

/** What the engine says the cart earns: line discounts and whether shipping is free. */
function expected(lines: { variantId: string; offer?: string }[]) {
  const cart: Cart = {
    currency: "USD",
    lines: lines.map((l, i) => {
      const v = demoVariant(l.variantId);
      return { id: `l${i}`, productId: v.productId, variantId: l.variantId, quantity: 1, unitPrice: v.price, ...(l.offer ? { offerId: l.offer } : {}) };
    }),
  };
  const e = evaluate(RULESET, cart, { placement: "checkout", now: Date.now() });
  expect(e.diagnostics).toEqual([]);
  const off = e.discounts.reduce((s, d) => s + (d.kind == "lineDiscount" ? d.amount : 0), 0);
  const subtotal = cart.lines.reduce((s, l) => s + l.unitPrice, 0) - off;
  const free = e.freeShipping!.reached;
  return { subtotal, free, remaining: e.freeShipping!.remaining, total: subtotal + (free ? 0 : 699) };
}

async function openCheckoutWithPhone(page: Page) {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  await expect(page).toHaveURL(`${SHOP}/checkout`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByText("20% off a case for your phone")).toBeVisible();
  return offers;
}

test("the checkout offers the add-on; accepting adds it with its discount and the engine's totals", async ({ page }) => {
  const offers = await openCheckoutWithPhone(page);
  const before = expected([{ variantId: DEMO.phone.gb64 }]);
  await expect(offers.getByText(`Add ${usd(before.remaining)} more for free shipping`)).toBeVisible();
  await expect(offers.getByRole("progressbar", { name: "Progress towards free shipping" })).toBeVisible();
  await expect(offers.getByText("$23.20")).toBeVisible();
  await expect(page.locator("#summary-total")).toHaveText(usd(before.total));
  await page.screenshot({ path: `${SHOTS}/checkout-offer.png`, fullPage: true });

  await offers.getByRole("button", { name: "Add: Aurora Phone Case" }).click();

  const caseLine = page.locator(`[data-variant-id="gid://shopify/ProductVariant/${DEMO.phoneCase.black}"]`);
  await expect(caseLine).toContainText("20% off a case for your phone (−$5.80)");
  await expect(caseLine.locator(".line-total")).toHaveText("$23.20");
  const after = expected([{ variantId: DEMO.phone.gb64 }, { variantId: DEMO.phoneCase.black, offer: "phone-case" }]);
  expect(after.free).toBe(true);
  await expect(page.locator("#summary-subtotal")).toHaveText(usd(after.subtotal));
  await expect(page.locator("#summary-shipping")).toContainText("Free");
  await expect(page.locator("#summary-total")).toHaveText(usd(after.total));
  await expect(offers.getByText("You’ve unlocked free shipping")).toBeVisible();
  // The case is in the cart now: it is not offered again.
  await expect(offers.getByRole("button", { name: "Add: Aurora Phone Case" })).toHaveCount(0);
  await expect(page.locator("#function-problems")).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/checkout-accepted.png`, fullPage: true });
});

test("paying places the order with the offer attribute; the thank-you page shows the follow-up and its end", async ({ page, request }) => {
  const offers = await openCheckoutWithPhone(page);
  await offers.getByRole("button", { name: "Add: Aurora Phone Case" }).click();
  await expect(page.locator(`[data-variant-id="gid://shopify/ProductVariant/${DEMO.phoneCase.black}"]`)).toBeVisible();
  await page.getByRole("button", { name: "Pay now" }).click();

  await expect(page).toHaveURL(/\/checkout\/thank-you\/\d+$/);
  await expect(page.getByRole("heading", { name: "Thank you, Jane!" })).toBeVisible();
  const followUp = page.frameLocator('iframe[data-target="purchase.thank-you.block.render"]');
  await expect(followUp.getByRole("heading", { name: "Complete your phone setup" })).toBeVisible();
  // The regular price: a discount for the next order would not be honoured at its checkout.
  await expect(followUp.getByText("$15.00")).toBeVisible();
  await expect(followUp.getByText("$11.25")).toHaveCount(0);
  const ends = new Intl.DateTimeFormat("en", {
    timeZone: "America/New_York",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(FOLLOW_UP_ENDS));
  await expect(followUp.getByText(`Offer ends ${ends}`)).toBeVisible();
  await expect(followUp.getByRole("link", { name: "Shop Aurora Screen Film (2-pack)" })).toHaveAttribute(
    "href",
    `${SHOP}/products/aurora-screen-film?variant=${DEMO.screenFilm.variant}&cartlift_offer=film-follow-up`,
  );
  await page.screenshot({ path: `${SHOTS}/thank-you.png`, fullPage: true });

  const { orders } = await admin(
    request,
    `{ orders(last: 1) { nodes { name lineItems(first: 5) { nodes { variant { id } customAttributes { key value } totalDiscountSet { shopMoney { amount } } } } } } }`,
  );
  const order = orders.nodes[0];
  const caseItem = order.lineItems.nodes.find((l: { variant: { id: string } }) => l.variant.id.endsWith(`/${DEMO.phoneCase.black}`));
  expect(caseItem.customAttributes).toEqual([{ key: "_cartlift_offer", value: "phone-case" }]);
  expect(Number(caseItem.totalDiscountSet.shopMoney.amount)).toBe(5.8);
});

test("the storefront cart's total is the checkout's subtotal, offer and bundle discounts included", async ({ page }) => {
  const add = await page.request.post(`${SHOP}/cart/add.js`, {
    data: {
      items: [
        { id: Number(DEMO.phone.gb64), quantity: 1 },
        { id: Number(DEMO.phoneCase.black), quantity: 1, properties: { _cartlift_offer: "phone-case" } },
        { id: Number(DEMO.burger.variant), quantity: 1 },
        { id: Number(DEMO.fries.regular), quantity: 1 },
        { id: Number(DEMO.drink.cola), quantity: 1 },
      ],
    },
  });
  expect(add.ok()).toBe(true);
  const cart = await (await page.request.get(`${SHOP}/cart.js`)).json();
  // The storefront shows the case's and the burger meal's discounts in its cart.
  expect(cart.total_discount).toBeGreaterThan(0);
  await page.goto(`${SHOP}/cart`);
  await page.getByRole("button", { name: "Check out" }).first().click();
  await expect(page).toHaveURL(`${SHOP}/checkout`);
  await expect(page.locator("#summary-subtotal")).toHaveText(usd(cart.total_price));
  const engine = expected([
    { variantId: DEMO.phone.gb64 },
    { variantId: DEMO.phoneCase.black, offer: "phone-case" },
    { variantId: DEMO.burger.variant },
    { variantId: DEMO.fries.regular },
    { variantId: DEMO.drink.cola },
  ]);
  expect(engine.subtotal).toBe(cart.total_price);
  await page.screenshot({ path: `${SHOTS}/checkout-from-storefront.png`, fullPage: true });
});

test("a EUR checkout shows the free-shipping nudge in euros", async ({ page }) => {
  await page.goto(`${SHOP}/cart/${DEMO.phoneCase.black}:1?currency=EUR`);
  // $720 → €663 (0.92, rounded up to a whole euro); the case costs €26.68.
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByText("Add €636.32 more for free shipping")).toBeVisible();
  await expect(page.locator("#summary-total")).toHaveText("€33.11");
});

test("where checkout does not allow adding lines, accepting explains why and changes nothing", async ({ page }) => {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  await page.goto(`${SHOP}/checkout?locked=1&block=1`);
  const block = page.frameLocator('iframe[data-target="purchase.checkout.block.render"]');
  await block.getByRole("button", { name: "Add: Aurora Phone Case" }).click();
  await expect(block.getByRole("alert")).toBeVisible();
  await expect(block.locator("s-banner")).toHaveText("Items can’t be added to this order.");
  await expect(page.locator("#summary-lines li")).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/checkout-locked.png`, fullPage: true });
});
