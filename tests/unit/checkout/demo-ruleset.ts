// Offers on the demo catalog (localshop/seed/catalog.ts, real ids) for the checkout, thank-you
// and discount-function tests, unit and end to end. Built the way the publisher builds a
// ruleset: a snapshot of every referenced product at its shop-currency price; and the
// discount function's configuration is the ruleset's discount plan.
import type { Offer, ProductSnapshot, Ruleset, ShopSettings } from "../../../app/engine";
import { discountPlan, planVariables, type DiscountPlan, type PlanOptions } from "../../../app/engine/plan";
import { buildSeedData } from "../../../localshop/seed/catalog";

const seed = buildSeedData({ withCatalog: true });
const tail = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** Demo catalog ids (numeric, as the engine uses them). */
export const DEMO = {
  phone: { productId: "1001", gb64: "2001", gb128: "2002" },
  phoneCase: { productId: "1003", black: "2005", clear: "2006" },
  screenFilm: { productId: "1005", variant: "2010" },
  grillBrush: { productId: "1014", variant: "2020" },
  burger: { productId: "1018", variant: "2024" },
  fries: { productId: "1020", regular: "2026", large: "2027" },
  drink: { productId: "1021", cola: "2028" },
  tripod: { productId: "1029", variant: "2039" },
  coffee: { productId: "1038", wholeBean: "2050", ground: "2051" },
} as const;

/** A catalog variant: its product and shop-currency price in cents. */
export function demoVariant(variantId: string) {
  const variant = seed.variants.find((v) => tail(v.id) == variantId);
  if (!variant) throw new Error(`no demo variant ${variantId}`);
  const product = seed.products.find((p) => p.id == variant.productId)!;
  return {
    variantId,
    productId: tail(product.id),
    product,
    variant,
    /** Shop (USD) cents. */
    price: Math.round(Number(variant.price) * 100),
  };
}

function snapshot(productIds: string[]): Record<string, ProductSnapshot> {
  const out: Record<string, ProductSnapshot> = {};
  for (const productId of productIds) {
    const product = seed.products.find((p) => tail(p.id) == productId)!;
    const variants: ProductSnapshot["variants"] = {};
    for (const v of seed.variants.filter((x) => x.productId == product.id))
      variants[tail(v.id)] = {
        price: Math.round(Number(v.price) * 100),
        ...(v.title == "Default Title" ? {} : { title: v.title }),
      };
    out[productId] = { title: product.title, handle: product.handle, image: product.images[0]?.url, variants };
  }
  return out;
}

export const PHONE_CASE_OFFER = {
  id: "phone-case",
  kind: "cross_sell",
  title: "20% off a case for your phone",
  placements: ["cart", "drawer", "checkout"],
  trigger: { products: [DEMO.phone.productId] },
  variants: [DEMO.phoneCase.black],
  discount: { kind: "percent", value: 20 },
} satisfies Offer;

export const PHONE_UPGRADE_OFFER = {
  id: "phone-upgrade",
  kind: "upsell",
  title: "Double the storage, $50 off",
  priority: -1,
  placements: ["cart", "checkout"],
  trigger: { variants: [DEMO.phone.gb64] },
  variants: [DEMO.phone.gb128],
  discount: { kind: "amount", value: 5000 },
} satisfies Offer;

export const BURGER_MEAL_OFFER = {
  id: "burger-meal",
  kind: "bundle",
  title: "Burger meal: 15% off",
  components: [{ variantId: DEMO.burger.variant }, { variantId: DEMO.fries.regular }, { variantId: DEMO.drink.cola }],
  discount: { kind: "percent", value: 15 },
} satisfies Offer;

export const COFFEE_BREAKS_OFFER = {
  id: "coffee-breaks",
  kind: "quantity_break",
  title: "Stock up on coffee",
  trigger: { products: [DEMO.coffee.productId] },
  tiers: [
    { quantity: 2, discount: { kind: "percent", value: 10 } },
    { quantity: 3, discount: { kind: "percent", value: 15 } },
  ],
} satisfies Offer;

/** The thank-you page's follow-up: screen film for the next order, until `endsAt`. */
export function filmFollowUpOffer(endsAt: string) {
  return {
    id: "film-follow-up",
    kind: "cross_sell",
    title: "Complete your phone setup",
    placements: ["thank_you"],
    trigger: { products: [DEMO.phone.productId] },
    variants: [DEMO.screenFilm.variant],
    discount: { kind: "percent", value: 25 },
    endsAt,
  } satisfies Offer;
}

/** Default free-shipping goal of these tests: $75. */
export const FREE_SHIPPING_USD = 7500;

export function demoRuleset(
  options: { offers?: Offer[]; shop?: Partial<ShopSettings>; followUpEndsAt?: string } = {},
): Ruleset {
  const offers: Offer[] = options.offers ?? [
    PHONE_CASE_OFFER,
    PHONE_UPGRADE_OFFER,
    BURGER_MEAL_OFFER,
    COFFEE_BREAKS_OFFER,
    ...(options.followUpEndsAt ? [filmFollowUpOffer(options.followUpEndsAt)] : []),
  ];
  return {
    schemaVersion: 1,
    revision: 7,
    shop: { currency: "USD", freeShipping: { amount: FREE_SHIPPING_USD }, ...options.shop },
    offers,
    products: snapshot(
      Object.values(DEMO)
        .map((p) => p.productId)
        .filter((id) => id != DEMO.tripod.productId),
    ),
  };
}

/** The discount function's configuration as the publisher writes it: the ruleset's discount
 *  plan (app/engine/plan.ts). */
export function functionConfiguration(ruleset: Ruleset, options?: PlanOptions): DiscountPlan {
  const result = discountPlan(ruleset, options);
  if (!result.ok) throw new Error(`invalid ruleset: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** The two metafields the publisher writes on Cartlift's discount: the plan and its input
 *  query variables (the schedule slots' local date-times; compiled at `options`, if given). */
export function discountMetafields(ruleset: Ruleset, options?: PlanOptions) {
  const plan = functionConfiguration(ruleset, options);
  return [
    { namespace: "$app:cartlift", key: "function-configuration", type: "json", value: JSON.stringify(plan) },
    { namespace: "$app:cartlift", key: "function-variables", type: "json", value: JSON.stringify(planVariables(plan, options?.timeZone ?? "UTC")) },
  ];
}
