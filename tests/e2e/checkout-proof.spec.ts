// Social proof at checkout (issue 13 item 5): a frequently-bought-together pick says how often
// it was bought together this month ("Bought together 7 times this month"), only from the
// merchant's threshold (the offer's `proofMin`, default 5), never invented. The mined list
// reaches checkout as the recommender publishes it: the line's product's `$app`
// `frequently_bought_together` metafield, which the extension's toml declares and the local
// checkout serves.
import { expect, test, type APIRequestContext, type FrameLocator } from "@playwright/test";
import type { Offer } from "../../app/engine";
import { DEMO, demoRuleset } from "../unit/checkout/demo-ruleset";
import { admin, LINE_LIST, publish, SHOP, SHOTS } from "./support/checkout-shop";

const PHONE = `gid://shopify/Product/${DEMO.phone.productId}`;

/** The phone's mined list as app/recommendations publishes it: the film bought with it in 20
 *  orders of the 60 days, 7 of them this month; the case in 18, 3 this month. */
const PHONE_LIST = {
  v: 1,
  windowDays: 60,
  recentDays: 30,
  builtAt: new Date().toISOString(),
  picks: [
    { product: `gid://shopify/Product/${DEMO.screenFilm.productId}`, score: 0.61, orders: 20, recent: 7 },
    { product: `gid://shopify/Product/${DEMO.phoneCase.productId}`, score: 0.48, orders: 18, recent: 3 },
  ],
};

/** "Automatic: frequently bought together" at checkout, with the mined products' variants
 *  expanded as the publisher expands them. */
function fbtOffer(proofMin?: number): Offer {
  return {
    id: "phone-fbt",
    kind: "cross_sell",
    source: "fbt",
    title: "Goes well with your phone",
    placements: ["checkout"],
    trigger: { products: [DEMO.phone.productId] },
    variants: [DEMO.screenFilm.variant, DEMO.phoneCase.black],
    picks: [],
    ...(proofMin ? { proofMin } : {}),
  };
}

async function setPhoneList(request: APIRequestContext) {
  const set = await admin(request, `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field message } } }`, {
    m: [{ ownerId: PHONE, namespace: "$app", key: "frequently_bought_together", type: "json", value: JSON.stringify(PHONE_LIST) }],
  });
  expect(set.metafieldsSet.userErrors).toEqual([]);
}

// The phone's list would be read by any later spec's fbt offer: it goes with this file.
test.afterAll(async ({ request }) => {
  await admin(request, `mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { userErrors { message } } }`, {
    m: [{ ownerId: PHONE, namespace: "$app", key: "frequently_bought_together" }],
  });
});

/** The offer's row for a product: its thumbnail, title, price and any proof line. */
const row = (offers: FrameLocator, title: string) => offers.locator("s-grid").filter({ hasText: title });

test("a mined pick bought together 7 times this month says so at checkout; one under the threshold says nothing", async ({ page, request }) => {
  await setPhoneList(request);
  await publish(request, demoRuleset({ offers: [fbtOffer()] }));
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByRole("heading", { name: "You might also like" })).toBeVisible();
  const film = row(offers, "Aurora Screen Film (2-pack)");
  await expect(film.getByText("Bought together 7 times this month")).toBeVisible();
  // The case was bought with the phone 3 times this month: under the default threshold of 5.
  const phoneCase = row(offers, "Aurora Phone Case");
  await expect(phoneCase.getByRole("button", { name: "Add: Aurora Phone Case" })).toBeVisible();
  await expect(phoneCase.getByText(/this month/)).toHaveCount(0);
  await expect(offers.getByText(/times this month/)).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/checkout-proof.png`, fullPage: true });
});

test("with the threshold raised above this month's count, the pick shows without its proof", async ({ page, request }) => {
  await setPhoneList(request);
  await publish(request, demoRuleset({ offers: [fbtOffer(8)] }));
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(offers.getByRole("button", { name: "Add: Aurora Screen Film (2-pack)" })).toBeVisible();
  await expect(offers.getByRole("button", { name: "Add: Aurora Phone Case" })).toBeVisible();
  await expect(offers.getByText(/Bought together/)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/checkout-proof-threshold.png`, fullPage: true });
});

test("a French buyer reads the proof in French", async ({ page, request }) => {
  await setPhoneList(request);
  await publish(request, demoRuleset({ offers: [fbtOffer()] }));
  await page.goto(`${SHOP}/cart/${DEMO.phone.gb64}:1?locale=fr`);
  const offers = page.frameLocator(LINE_LIST);
  await expect(row(offers, "Aurora Screen Film (2-pack)").getByText("Achetés ensemble 7 fois ce mois-ci")).toBeVisible();
  await expect(offers.getByText(/Bought together/)).toHaveCount(0);
});
