// Checkout speaks the merchant's words in the buyer's language (issue 11 item 11): the local
// checkout takes the buyer's language from the checkout URL (`?locale=`) or from the
// storefront they shopped in; the extension shows the merchant's published texts for that
// language (the ruleset's `display`, the same the storefront uses), and its own translations
// for the rest, with money and dates in that language.
import { expect, test } from "@playwright/test";
import { displaySettings, readSettings } from "../../app/settings/settings";
import { DEMO, demoRuleset } from "../unit/checkout/demo-ruleset";
import { LINE_LIST, SHOP, SHOTS, publish } from "./support/checkout-shop";

/** The merchant customised some texts in the admin (English, French, Japanese); the rest are
 *  Cartlift's defaults for each language, as the publisher writes them. */
const display = displaySettings(
  readSettings({
    texts: {
      en: { add: "Add to my order" },
      fr: { add: "Ajouter à ma commande", freeShippingProgress: "Encore {amount} et la livraison est offerte" },
      ja: { add: "注文に追加する", freeShippingProgress: "あと{amount}で送料が無料になります" },
    },
  }),
);
/** Free shipping from $720: the phone alone ($699) is $21 short. */
const RULESET = { ...demoRuleset({ shop: { freeShipping: { amount: 72000 } } }), display };
const money = (locale: string, amount: number) => new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(amount);

test.beforeEach(async ({ request }) => publish(request, RULESET));

test("a French checkout shows the merchant's French texts, the extension's French strings and French money", async ({ page }) => {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1?locale=fr`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByRole("button", { name: "Ajouter à ma commande: Aurora Phone Case" })).toBeVisible();
  await expect(offers.getByText(`Encore ${money("fr", 21)} et la livraison est offerte`)).toBeVisible();
  await expect(offers.getByRole("heading", { name: "Vous aimerez aussi" })).toBeVisible();
  await expect(offers.getByRole("progressbar", { name: "Progression vers la livraison gratuite" })).toBeVisible();
  await expect(offers.getByRole("button", { name: "Non merci : 20% off a case for your phone" })).toBeVisible();
  await expect(offers.getByText(money("fr", 23.2))).toBeVisible();
  await expect(offers.getByText("You might also like")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/checkout-fr.png`, fullPage: true });
});

test("a Japanese checkout shows the merchant's Japanese texts", async ({ page }) => {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1?locale=ja`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByRole("button", { name: "注文に追加する: Aurora Phone Case" })).toBeVisible();
  await expect(offers.getByText(`あと${money("ja", 21)}で送料が無料になります`)).toBeVisible();
  await expect(offers.getByRole("heading", { name: "こちらもおすすめ" })).toBeVisible();
  await expect(offers.getByRole("button", { name: "アップグレード: Aurora Phone" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/checkout-ja.png`, fullPage: true });
});

test("an English checkout shows the merchant's customised button text", async ({ page }) => {
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByRole("button", { name: "Add to my order: Aurora Phone Case" })).toBeVisible();
  await expect(offers.getByRole("heading", { name: "You may also like" })).toBeVisible();
  await expect(offers.getByText("You're $21.00 away from free shipping")).toBeVisible();
});

test("a buyer who shopped the French storefront checks out in French", async ({ page }) => {
  await page.request.post(`${SHOP}/cart/add.js`, { data: { items: [{ id: Number(DEMO.phone.gb64), quantity: 1 }] } });
  await page.goto(`${SHOP}/fr/cart`);
  await page.locator("#checkout").click();
  await expect(page).toHaveURL(`${SHOP}/checkout`);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.frameLocator(LINE_LIST).getByRole("button", { name: "Ajouter à ma commande: Aurora Phone Case" })).toBeVisible();
});
