// The demo shop's starting offers, made the way a merchant makes them (a template, the
// demo catalog's products, saveOffer → publish, and the $75 free-shipping goal in
// settings), so a first visit to the demo storefront and checkout shows Cartlift at work
// and the admin previews exactly that. Only for a demo shop with no offers yet.
import { LOCAL_SHOP_DOMAIN } from "../app/local-shop.server";
import type { OfferInput } from "../app/offers/model";
import { demoIds } from "../localshop/storefront/demo-ruleset";

export async function seedDemoOffers(): Promise<number> {
  // Imported here: these read DATABASE_URL and LOCAL_SHOP_URL, which the server sets.
  const { default: prisma } = await import("../app/db.server");
  const { authenticateAdmin } = await import("../app/shopify.server");
  const { saveOffer } = await import("../app/offers/offers.server");
  const { templateInput } = await import("../app/offers/templates");
  const { getSettings, getSettingsVersion, saveSettings } = await import("../app/settings/settings.server");
  const { settingsToInput } = await import("../app/settings/settings");

  const shop = LOCAL_SHOP_DOMAIN;
  if ((await prisma.offer.count({ where: { shop } })) > 0) return 0;
  const { admin } = await authenticateAdmin(new Request("http://localhost/app"));
  const scope = { admin, shop };
  const id = demoIds();

  const settings = settingsToInput(await getSettings(shop), "USD", ["USD", "EUR", "JPY", "KRW"]);
  const saved = await saveSettings(scope, { ...settings, freeShippingEnabled: true, freeShippingAmount: "75.00" }, await getSettingsVersion(shop));
  if (!saved.ok) throw new Error(`demo settings refused: ${JSON.stringify(saved)}`);

  const from = (template: Parameters<typeof templateInput>[0], edit: (input: OfferInput) => void): OfferInput => {
    const input = templateInput(template);
    edit(input);
    return input;
  };
  const offers: OfferInput[] = [
    from("upgrade_to_premium", (o) => {
      o.name = "Phone storage upgrade";
      o.title = "Double the storage";
      o.placements = [...o.placements, "add_to_cart_popup"];
      o.trigger = { ...o.trigger, variants: [id.phone64] };
      o.variants = [id.phone128];
    }),
    from("frequently_bought_together", (o) => {
      o.name = "Phone accessories";
      o.title = "Protect and power your phone";
      o.placements = [...o.placements, "add_to_cart_popup"];
      o.trigger = { ...o.trigger, products: [id.phone] };
      o.variants = [id.caseBlack, id.film, id.charger];
    }),
    from("frequently_bought_together", (o) => {
      o.name = "Grill brush";
      o.title = "Keep your grill clean";
      o.trigger = { ...o.trigger, products: [id.grill] };
      o.variants = [id.brush];
    }),
    from("bundle_discount", (o) => {
      o.name = "Burger meal";
      o.title = "Make it a meal: 15% off";
      o.components = [id.burger, id.fries, id.drink].map((variantId) => ({ variantId, quantity: "1" }));
    }),
  ];
  for (const input of offers) {
    const result = await saveOffer(scope, input, {});
    if (!result.ok) throw new Error(`demo offer “${input.name}” refused: ${JSON.stringify(result.errors)}`);
  }
  return offers.length;
}
