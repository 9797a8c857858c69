// Where a published ruleset lives, so the publisher and every surface agree.
// - The storefront (theme app extension Liquid) reads an app-data metafield: owned by the
//   app installation, hidden from the admin, read in Liquid as
//   `app.metafields.cartlift.ruleset`.
// - Checkout UI extensions read a shop-owned, app-reserved metafield ($app namespace),
//   declared in their shopify.extension.toml and read through `shopify.appMetafields`.
// - The discount function reads its configuration (the discount plan, app/engine/plan.ts)
//   from a metafield on its own automatic app discount, and its input query's variables
//   (the plan's schedule slots) from a second one.
export const STOREFRONT_RULESET = { namespace: "cartlift", key: "ruleset", type: "json" } as const;
export const CHECKOUT_RULESET = { namespace: "$app:cartlift", key: "ruleset", type: "json" } as const;
export const DISCOUNT_CONFIGURATION = { namespace: "$app:cartlift", key: "function-configuration", type: "json" } as const;
/** The discount function's input query variables (its toml's `[extensions.input.variables]`):
 *  the plan's schedule slots as the shop's local date-times (app/engine/plan.ts
 *  `planVariables`), on the same discount, written with the plan. */
export const DISCOUNT_VARIABLES = { namespace: "$app:cartlift", key: "function-variables", type: "json" } as const;

/** Shopify's limit for a json metafield value. */
export const JSON_METAFIELD_LIMIT_BYTES = 128 * 1024;
/** What we allow the discount function's configuration (the discount plan) to take. The plan
 *  is part of the function's input, which Shopify caps at 64,000 bytes; Cartlift holds a
 *  200-line cart's input to 56,000 (headroom for longer ids and names). A 200-line cart
 *  without the plan takes about 44,500 bytes (bench:checkout: vendor and product type on
 *  every line), so the plan gets 11,000: about a hundred discounted offers. */
export const DISCOUNT_CONFIGURATION_LIMIT_BYTES = 11_000;

/** The cart line property (storefront) / attribute (checkout) naming the offer a line came from. */
export { OFFER_LINE_PROPERTY } from "../engine";

/**
 * Besides the engine's fields, the published ruleset (STOREFRONT_RULESET and
 * CHECKOUT_RULESET, not the discount configuration) carries `display`, which the engine
 * ignores: the merchant's storefront texts for every supported language (defaults filled
 * in, `{amount}`/`{time}` placeholders left for the surface) and the widget colours
 * (`null`: inherit the theme's). Surfaces layer `display.texts[locale]` over their own
 * locale strings.
 */
export const RULESET_DISPLAY_KEY = "display";
export type { DisplaySettings, Language as DisplayLanguage, TextKey as DisplayTextKey } from "../settings/settings";
