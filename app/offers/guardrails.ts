// Guardrails: mistakes a valid offer can still hold, caught before it is saved. The engine's
// schema says whether an offer CAN run; these say whether the merchant meant it.
// - Errors are certainly wrong and block the save: a fixed discount at or above an item's
//   price (the add-on would be shown at $0.00), quantity tiers whose discount falls as the
//   quantity rises (a shopper who adds more gets less), a quantity break with no products
//   chosen (it would discount every product in the store) unless the merchant confirms it.
// - Warnings may be meant and never block: an upgrade's discount is open to anyone who adds
//   the upgraded variant through the offer (the replaced line is gone, so nothing proves
//   the shopper had it).
// Pure and shared: the server enforces the errors; the editor shows both as it is edited.
import { minorDigits, type OfferDiscount, type ProductSnapshot } from "../engine";
import type { FieldErrors, OfferFields, OfferInput } from "./model";

/** The money a merchant reads: "$5.00", "¥500" (the shop's currency). */
function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

interface PricedVariant {
  name: string;
  price: number;
}

function priceIndex(products: Record<string, ProductSnapshot>): Map<string, PricedVariant> {
  const index = new Map<string, PricedVariant>();
  for (const product of Object.values(products))
    for (const [id, variant] of Object.entries(product.variants)) index.set(id, { name: variant.title ? `${product.title} – ${variant.title}` : product.title, price: variant.price });
  return index;
}

/** The cheapest of `ids` that a fixed `discount` would give away whole, if any. */
function givenAway(discount: OfferDiscount | undefined, ids: string[], prices: Map<string, PricedVariant>): PricedVariant | undefined {
  if (discount?.kind != "amount") return undefined;
  let cheapest: PricedVariant | undefined;
  for (const id of ids) {
    const v = prices.get(id);
    if (v && discount.value >= v.price && (!cheapest || v.price < cheapest.price)) cheapest = v;
  }
  return cheapest;
}

const hasTrigger = (trigger: OfferFields["definition"]["trigger"]) => Object.values(trigger ?? {}).some((values) => (values?.length ?? 0) > 0);

/** What blocks saving. `products` covers the variants the offer names (the catalog's
 *  snapshot, shop minor units); `everyProduct`: the merchant confirmed a store-wide
 *  quantity break. Keys are the editor's field keys. */
export function guardrailErrors(fields: OfferFields, products: Record<string, ProductSnapshot>, currency: string, everyProduct = false): FieldErrors {
  const errors: FieldErrors = {};
  const def = fields.definition;
  const prices = priceIndex(products);
  const free = (discount: OfferDiscount, item: PricedVariant) =>
    `A ${formatMoney(discount.value, currency)} discount is at least the price of ${item.name} (${formatMoney(item.price, currency)}): it would be free. Use a smaller amount or a percentage.`;

  if (fields.kind == "cross_sell" || fields.kind == "upsell") {
    const item = givenAway(def.discount, def.variants ?? [], prices);
    if (item) errors["discount.value"] = free(def.discount!, item);
  } else if (fields.kind == "bundle") {
    const item = givenAway(def.discount, (def.components ?? []).map((c) => c.variantId), prices);
    if (item) errors["discount.value"] = free(def.discount!, item);
  } else if (fields.kind == "quantity_break") {
    const tiers = def.tiers ?? [];
    const counted = def.trigger?.variants ?? [];
    tiers.forEach((tier, i) => {
      const item = givenAway(tier.discount, counted, prices);
      if (item) errors[`tiers[${i}].value`] ??= free(tier.discount, item);
    });
    // Compare each tier with the best smaller tier of the same kind (percent with percent,
    // amount with amount): more quantity must never earn less.
    const order = tiers.map((t, i) => ({ ...t, i })).sort((a, b) => a.quantity - b.quantity);
    const best: Partial<Record<OfferDiscount["kind"], { quantity: number; value: number }>> = {};
    for (const t of order) {
      const before = best[t.discount.kind];
      if (before && t.quantity > before.quantity && t.discount.value < before.value) {
        const show = (v: number) => (t.discount.kind == "percent" ? `${v}%` : formatMoney(v, currency));
        errors[`tiers[${t.i}].value`] ??= `Buying ${t.quantity} would save less (${show(t.discount.value)}) than buying ${before.quantity} (${show(before.value)}): raise it, or drop the tier.`;
      }
      if (!before || t.discount.value > before.value) best[t.discount.kind] = { quantity: t.quantity, value: t.discount.value };
    }
    if (!hasTrigger(def.trigger) && !everyProduct)
      errors.trigger = "No products are chosen, so this would discount every product in your store. Choose the products that count, or confirm that it applies to every product.";
  }
  return errors;
}

/** What the merchant should know but may mean (never blocks). Works on the form as typed. */
export function guardrailWarnings(input: Pick<OfferInput, "kind" | "discount">): FieldErrors {
  const warnings: FieldErrors = {};
  if (input.kind == "upsell" && input.discount.kind != "none")
    warnings.discount =
      "Anyone who adds the upgraded variant through this offer gets this discount, even without the original item: the line it replaces is gone, so nothing can prove the shopper had it. Leave the discount off to sell the upgrade at its regular price difference.";
  return warnings;
}
