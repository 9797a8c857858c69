// The pure half of app/offers/exclusions.server.ts: whether a product's new tags change what a
// published frequently-bought-together offer excludes.
import type { OfferRecord } from "./model";

/** An fbt offer as published: its id and the products it never offers (engine ids). */
export interface PublishedExclusion {
  id: string;
  exclude?: string[];
}

/** Shopify's REST tags: one comma-separated string ("a, b"); compared without case, as Shopify's search does. */
export function parseTags(value: unknown): string[] {
  if (typeof value != "string") return [];
  return value
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * What the product's new tags change, offer by offer: "exclude" when an offer must now
 * leave it out and the published ruleset still offers it, "include" when it no longer
 * carries any of an offer's excluded tags, is not excluded by name or by collection, and the
 * published ruleset still leaves it out; null when the published ruleset is right.
 * `published` null: nothing is published, so nothing to correct.
 */
export function exclusionChange(offers: OfferRecord[], published: PublishedExclusion[] | null, productId: string, tags: string[]): "exclude" | "include" | null {
  if (!published) return null;
  const own = new Set(tags.map((t) => t.toLowerCase()));
  let change: "exclude" | "include" | null = null;
  for (const offer of offers) {
    const ex = offer.definition.exclude;
    if (offer.kind != "cross_sell" || offer.definition.source != "fbt" || !ex?.tags?.length) continue;
    const live = published.find((p) => p.id == offer.id);
    if (!live) continue; // not in the published ruleset (saved since, or not published yet)
    const isExcluded = (live.exclude ?? []).includes(productId);
    const byTag = ex.tags.some((t) => own.has(t.trim().toLowerCase()));
    if (byTag && !isExcluded) return "exclude";
    if (!byTag && isExcluded && !(ex.products ?? []).includes(productId) && !ex.collections?.length) change = "include";
  }
  return change;
}

