// Compiles a shop's offers and settings into the published ruleset, and the ruleset into
// the discount function's compact configuration. Pure (no I/O): the publisher gathers the
// inputs, the preview reuses the compilation.
//
// Invariants:
// - The result is what `parseRuleset` accepts: offers naming products that left the
//   catalog lose those products (or are left out) with a warning, instead of failing
//   every surface.
// - Deterministic: offers by priority then id, products keyed by id; same input, same
//   bytes (so an unchanged shop republishes an identical value).
// - The discount configuration is the engine's discount plan of the ruleset
//   (app/engine/plan.ts): what can discount, as flat lookups, no display data.
import type { Offer, ProductSnapshot, Ruleset } from "../engine";
import { discountPlan, type PlanOptions, type PlanResult } from "../engine/plan";
import { displayStatus, toEngineOffer, type OfferRecord } from "./model";
import { displaySettings, engineShopSettings, type DisplaySettings, type ShopSettingsDoc } from "../settings/settings";
import { DISCOUNT_CONFIGURATION_LIMIT_BYTES, JSON_METAFIELD_LIMIT_BYTES } from "./metafields";

/** The ruleset as published: the engine's `Ruleset`, plus what only surfaces render. */
export interface PublishedRuleset extends Ruleset {
  display?: DisplaySettings;
}

/** Trigger values not every surface can see, expanded to the product ids they stand for:
 *  cart.js has no collections or tags, and checkout lines and the discount function's
 *  input carry no collections, tags, vendor or product type. Expanding once, here, lets
 *  every surface match on product ids alone. */
export interface TriggerExpansions {
  collections: Record<string, string[]>;
  tags: Record<string, string[]>;
  vendors?: Record<string, string[]>;
  productTypes?: Record<string, string[]>;
}

/** The trigger fields the publisher expands, each with its expansion map. */
export const EXPANDED_TRIGGER_FIELDS = ["collections", "tags", "vendors", "productTypes"] as const;

export interface CompileInput {
  revision: number;
  currency: string;
  settings: ShopSettingsDoc;
  offers: OfferRecord[];
  /** Product id → snapshot, holding at least every variant the offers and gifts name. */
  catalog: Record<string, ProductSnapshot>;
  expansions?: TriggerExpansions;
  now: number;
  /** Leave out display-only data (`display`): the preview does not need it. */
  withDisplay?: boolean;
  /** The app's URL, published as `display.appUrl`: where the thank-you page asks for its
   *  next-order code (checkout extensions have no other way to know it). */
  appUrl?: string;
  /** Compile this offer even if paused or ended (the preview explains why it would not show). */
  alwaysInclude?: string;
  /** Frequently bought together: the variant each mined product is offered as (product id
   *  → variant id; the catalog holds them) and each fbt offer's expanded exclusions. */
  together?: { variants: Record<string, string>; excluded: Record<string, string[]> };
}

export interface CompileResult {
  ruleset: PublishedRuleset;
  /** Offers that went into it. */
  offerIds: string[];
  warnings: string[];
}

export const byteLength = (value: string): number => new TextEncoder().encode(value).length;

/** Variant id → product id, for a catalog snapshot. */
export function variantIndex(catalog: Record<string, ProductSnapshot>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [productId, product] of Object.entries(catalog)) for (const variantId of Object.keys(product.variants)) index.set(variantId, productId);
  return index;
}

/** Whether an offer belongs in the published ruleset at `now` (active or scheduled). */
export function isLive(offer: OfferRecord, now: number): boolean {
  const status = displayStatus(offer, now);
  return status == "active" || status == "scheduled";
}

export function compileRuleset(input: CompileInput): CompileResult {
  const { catalog, now } = input;
  const index = variantIndex(catalog);
  const warnings: string[] = [];
  const offers: Offer[] = [];
  const named = new Set<string>();

  const live = input.offers.filter((o) => o.id == input.alwaysInclude || isLive(o, now));
  for (const record of live) {
    const def = { ...record.definition };
    const missing = (ids: string[]) => ids.filter((id) => !index.has(id));
    if (record.kind == "cross_sell" || record.kind == "upsell") {
      const gone = missing(def.variants ?? []);
      if (gone.length) {
        def.variants = (def.variants ?? []).filter((id) => index.has(id));
        if (!def.variants.length && def.source != "fbt") {
          warnings.push(`“${record.name}” was left out: the products it offers are no longer in your catalog.`);
          continue;
        }
        warnings.push(`“${record.name}” offers ${gone.length} product${gone.length == 1 ? "" : "s"} no longer in your catalog; they were left out.`);
      }
    }
    if (record.kind == "bundle" && missing((def.components ?? []).map((c) => c.variantId)).length) {
      warnings.push(`“${record.name}” was left out: a product in the bundle is no longer in your catalog.`);
      continue;
    }
    const trigger = def.trigger;
    if (trigger && input.expansions && EXPANDED_TRIGGER_FIELDS.some((field) => trigger[field]?.length)) {
      const products = new Set(trigger.products ?? []);
      for (const field of EXPANDED_TRIGGER_FIELDS) {
        for (const value of trigger[field] ?? []) for (const p of input.expansions[field]?.[value] ?? []) products.add(p);
      }
      if (products.size) def.trigger = { ...trigger, products: [...products].sort() };
    }
    const offer = toEngineOffer(record.id, { ...record, definition: def });
    if (offer.kind == "cross_sell" && offer.source == "fbt") {
      // Every mined product not excluded becomes a concrete offered variant: the discount
      // plan then knows exactly what the offer may discount. The picks stay first.
      const excluded = new Set(input.together?.excluded[record.id] ?? def.exclude?.products ?? []);
      const picks = offer.picks ?? [];
      const mined = Object.entries(input.together?.variants ?? {})
        .filter(([productId, variantId]) => !excluded.has(productId) && index.has(variantId) && !picks.includes(variantId))
        .map(([, variantId]) => variantId)
        .sort();
      offer.variants = [...picks, ...mined];
      if (excluded.size) offer.exclude = [...excluded].sort();
      else delete offer.exclude;
      for (const id of mined) named.add(id);
    }
    for (const id of def.variants ?? []) named.add(id);
    for (const c of def.components ?? []) named.add(c.variantId);
    offers.push(offer);
  }

  const shop = engineShopSettings(input.settings, input.currency);
  if (shop.rewardTiers)
    shop.rewardTiers = shop.rewardTiers.map((tier) => {
      if (!tier.gift || index.has(tier.gift)) return tier;
      warnings.push(`The reward “${tier.label}” gives a product no longer in your catalog; it shows without the gift.`);
      const { gift: _gift, ...rest } = tier;
      return rest;
    });
  for (const tier of shop.rewardTiers ?? []) if (tier.gift) named.add(tier.gift);

  offers.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleset: PublishedRuleset = {
    schemaVersion: 1,
    revision: input.revision,
    shop,
    offers,
    products: pickVariants(catalog, index, named, false),
  };
  if (input.withDisplay !== false) ruleset.display = { ...displaySettings(input.settings), ...(input.appUrl ? { appUrl: input.appUrl } : {}) };
  return { ruleset, offerIds: offers.map((o) => o.id), warnings };
}

/** The products holding `variants`, each with only those variants (sorted keys). */
function pickVariants(
  catalog: Record<string, ProductSnapshot>,
  index: Map<string, string>,
  variants: Set<string>,
  bare: boolean,
): Record<string, ProductSnapshot> {
  const out: Record<string, ProductSnapshot> = {};
  for (const variantId of [...variants].sort()) {
    const productId = index.get(variantId);
    if (!productId) continue;
    const source = catalog[productId];
    const product = (out[productId] ??= bare
      ? { title: "", handle: "", variants: {} }
      : { title: source.title, handle: source.handle, ...(source.image ? { image: source.image } : {}), ...(source.rating ? { rating: source.rating } : {}), variants: {} });
    const variant = source.variants[variantId];
    product.variants[variantId] = bare ? { price: variant.price } : { ...variant };
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/** The discount function's configuration: the engine's discount plan of the ruleset
 *  (app/engine/plan.ts): only what can discount, precomputed for lookups. */
export function discountConfiguration(ruleset: Ruleset, options?: PlanOptions): PlanResult {
  return discountPlan(ruleset, options);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export type SizeCheck = { ok: true; bytes: number; json: string } | { ok: false; bytes: number; message: string };

/** The published ruleset against Shopify's json metafield limit, with what to trim. */
export function checkRulesetSize(ruleset: PublishedRuleset, names: Record<string, string>, limit = JSON_METAFIELD_LIMIT_BYTES): SizeCheck {
  const json = JSON.stringify(ruleset);
  const bytes = byteLength(json);
  if (bytes <= limit) return { ok: true, bytes, json };
  const sizes = ruleset.offers
    .map((o) => ({ o, bytes: byteLength(JSON.stringify(o)) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  const productBytes = byteLength(JSON.stringify(ruleset.products));
  const largest = sizes.map(({ o, bytes }) => `“${names[o.id] ?? o.id}” (${kb(bytes)})`).join(", ");
  return {
    ok: false,
    bytes,
    message:
      `Not published: your offers compile to ${kb(bytes)}, over Shopify's ${kb(limit)} limit for a metafield. ` +
      `Trim about ${kb(bytes - limit)}: pause or delete offers you no longer need (${ruleset.offers.length} are live), ` +
      `offer fewer products (${Object.keys(ruleset.products).length} products take ${kb(productBytes)}), or shorten headlines. ` +
      `Largest offers: ${largest}.`,
  };
}

/** The discount configuration against its byte budget (DISCOUNT_CONFIGURATION_LIMIT_BYTES:
 *  what lets a 200-line cart's function input stay within Shopify's limit); it must also
 *  have compiled. */
export function checkConfigurationSize(config: PlanResult, limit = DISCOUNT_CONFIGURATION_LIMIT_BYTES): SizeCheck {
  if (!config.ok) {
    const first = config.errors[0];
    return { ok: false, bytes: 0, message: `Not published: the discount configuration is invalid (${first.path || "root"} ${first.message}).` };
  }
  const { plan } = config;
  const json = JSON.stringify(plan);
  const bytes = byteLength(json);
  if (bytes <= limit) return { ok: true, bytes, json };
  const products = new Set([...plan.o.flatMap((o) => [...(o.p ?? []), ...(o.b ?? []).map((b) => b[0])]), ...Object.keys(plan.x[0])]);
  return {
    ok: false,
    bytes,
    message:
      `Not published: the discounts compile to ${bytes.toLocaleString("en-US")} bytes, over the discount function's ` +
      `${limit.toLocaleString("en-US")}-byte limit. ${plan.o.length} discounted offers name ` +
      `${products.size} products: remove the discount from offers that do not need one, ` +
      `pause discounted offers, or name fewer products in them.`,
  };
}
