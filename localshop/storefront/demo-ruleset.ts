// The storefront's demo offers: a ruleset in the engine's published shape, built from the
// demo catalog's real ids (the seed is deterministic), the way the publisher would
// compile it. End-to-end tests and the storefront bench put it in the local shop through
// the Admin API double (`metafieldsSet` on the app installation), as the publisher does.
//
// The scenarios are the product research's: the 64 GB phone and its 128 GB upgrade and
// accessories (a 15% anchoring share keeps the $134.10 headphones out of a $699 cart), the
// grill and its brush, the burger + fries + drink meal at 15% off, coffee quantity breaks,
// $75 free shipping (converted to EUR, JPY and KRW by the engine) and a $150 reward.
import type { Offer, ProductSnapshot, Ruleset } from "../../app/engine";
import { STOREFRONT_RULESET } from "../../app/offers/metafields";
import { buildSeedData } from "../seed/catalog";
import { amountToMinorUnits, gidTail, type LocalShopData } from "../state";

/** Numeric ids of the demo catalog's products and variants, by handle and SKU. */
export function demoIds(data: LocalShopData = buildSeedData({ withCatalog: true })) {
  const product = (handle: string) => {
    const p = data.products.find((x) => x.handle == handle);
    if (!p) throw new Error(`no demo product ${handle}`);
    return gidTail(p.id)!;
  };
  const variant = (sku: string) => {
    const v = data.variants.find((x) => x.sku == sku);
    if (!v) throw new Error(`no demo variant ${sku}`);
    return gidTail(v.id)!;
  };
  return {
    product,
    variant,
    phone: product("aurora-phone"),
    phone64: variant("AUR-PH-64"),
    phone128: variant("AUR-PH-128"),
    caseBlack: variant("AUR-CASE-BLK"),
    film: variant("AUR-FILM-2"),
    charger: variant("VW-CHG-20"),
    headphones: variant("AUR-HP-MID"),
    grill: product("ember-gas-grill"),
    grillVariant: variant("EO-GRILL-3B"),
    brush: variant("EO-BRUSH"),
    cover: variant("EO-COVER-3B"),
    burger: variant("CK-BURGER"),
    fries: variant("CK-FRIES-R"),
    drink: variant("CK-DRINK-COLA"),
    coffee: product("house-blend-coffee"),
    coffeeVariant: variant("RR-HOUSE-WB"),
  };
}

/** The product snapshot the publisher includes for every product an offer references. */
export function snapshots(data: LocalShopData, variantIds: string[]): Record<string, ProductSnapshot> {
  const out: Record<string, ProductSnapshot> = {};
  const currency = data.shop.currencyCode;
  for (const vid of variantIds) {
    const v = data.variants.find((x) => gidTail(x.id) == vid)!;
    const p = data.products.find((x) => x.id == v.productId)!;
    const snap = (out[gidTail(p.id)!] ??= { title: p.title, handle: p.handle, image: p.images[0]?.url, variants: {} });
    for (const id of p.variantIds) {
      const pv = data.variants.find((x) => x.id == id)!;
      snap.variants[gidTail(id)!] = {
        ...(pv.title == "Default Title" ? {} : { title: pv.title }),
        price: amountToMinorUnits(pv.price, currency),
        ...(pv.inventoryQuantity > 0 || pv.inventoryPolicy == "CONTINUE" ? {} : { available: false }),
      };
    }
  }
  return out;
}

export function buildDemoRuleset(data: LocalShopData = buildSeedData({ withCatalog: true }), revision = 1): Ruleset {
  const id = demoIds(data);
  const offers: Offer[] = [
    {
      id: "phone-upgrade",
      kind: "upsell",
      title: "Double the storage",
      priority: 20,
      placements: ["add_to_cart_popup", "cart", "drawer"],
      trigger: { variants: [id.phone64] },
      variants: [id.phone128],
    },
    {
      id: "phone-accessories",
      kind: "cross_sell",
      title: "Protect and power your phone",
      priority: 10,
      placements: ["add_to_cart_popup", "cart", "drawer", "product"],
      trigger: { products: [id.phone] },
      // The headphones come first but cost more than 15% of a phone cart: never shown there.
      variants: [id.headphones, id.caseBlack, id.film, id.charger],
      discount: { kind: "percent", value: 10 },
      anchorShare: 0.15,
    },
    {
      id: "grill-brush",
      kind: "cross_sell",
      title: "Keep your grill clean",
      priority: 5,
      placements: ["add_to_cart_popup", "cart", "drawer", "product"],
      trigger: { products: [id.grill] },
      variants: [id.brush, id.cover],
    },
    {
      id: "burger-meal",
      kind: "bundle",
      title: "Make it a meal",
      priority: 5,
      placements: ["product", "cart", "drawer"],
      components: [{ variantId: id.burger }, { variantId: id.fries }, { variantId: id.drink }],
      discount: { kind: "percent", value: 15 },
    },
    {
      id: "coffee-breaks",
      kind: "quantity_break",
      title: "Stock up and save",
      placements: ["product", "cart"],
      trigger: { products: [id.coffee] },
      tiers: [
        { quantity: 2, discount: { kind: "percent", value: 10 } },
        { quantity: 3, discount: { kind: "percent", value: 15 } },
      ],
    },
  ];
  const referenced = [id.phone64, id.phone128, id.headphones, id.caseBlack, id.film, id.charger, id.brush, id.cover, id.burger, id.fries, id.drink, id.coffeeVariant];
  return {
    schemaVersion: 1,
    revision,
    shop: {
      currency: data.shop.currencyCode,
      maxOffers: 3,
      anchorShare: 0.3,
      freeShipping: { amount: 7500 },
      rewardTiers: [{ id: "gift-wrap", amount: 15000, label: "Free gift wrapping" }],
    },
    offers,
    products: snapshots(data, referenced),
  };
}

/** The Admin GraphQL call the publisher makes, for tests and benches (over HTTP). */
export async function publishStorefrontRuleset(shopUrl: string, ruleset: Ruleset | null): Promise<void> {
  const gql = async (query: string, variables?: object) => {
    const res = await fetch(`${shopUrl}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "any" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (!res.ok || body.errors) throw new Error(`Admin API: ${res.status} ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const { currentAppInstallation } = await gql("{ currentAppInstallation { id } }");
  if (!ruleset) {
    await gql(
      `mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { userErrors { message } } }`,
      { m: [{ ownerId: currentAppInstallation.id, namespace: STOREFRONT_RULESET.namespace, key: STOREFRONT_RULESET.key }] },
    );
    return;
  }
  const data = await gql(
    `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field message code } } }`,
    { m: [{ ownerId: currentAppInstallation.id, ...STOREFRONT_RULESET, value: JSON.stringify(ruleset) }] },
  );
  if (data.metafieldsSet.userErrors.length) throw new Error(JSON.stringify(data.metafieldsSet.userErrors));
}
