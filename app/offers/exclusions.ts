// The pure half of app/offers/exclusions.server.ts: whether a product's new tags change what a
// published frequently-bought-together offer excludes.
import { excludesByGroup, type OfferRecord } from "./model";

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

/** What Cartlift knows of an edited product: its tags (the webhook's) and, when an offer
 *  excludes collections, which of those collections hold it (null: not asked). */
export interface EditedProduct {
  id: string;
  tags: string[];
  collections: ReadonlySet<string> | null;
}

/**
 * What a product's edit changes, offer by offer: "exclude" when an offer must now leave it out
 * (named, tagged or in an excluded collection) and the published ruleset still offers it,
 * "include" when nothing excludes it any more and the published ruleset still leaves it out;
 * null when the published ruleset is right. An offer excluding collections decides "include"
 * only when the product's collections are known. `published` null: nothing is published, so
 * nothing to correct.
 */
export function exclusionChange(offers: OfferRecord[], published: PublishedExclusion[] | null, product: EditedProduct): "exclude" | "include" | null {
  if (!published) return null;
  const own = new Set(product.tags.map((t) => t.toLowerCase()));
  let change: "exclude" | "include" | null = null;
  for (const offer of offers) {
    if (!excludesByGroup(offer)) continue;
    const ex = offer.definition.exclude!;
    const live = published.find((p) => p.id == offer.id);
    if (!live) continue; // not in the published ruleset (saved since, or not published yet)
    const isExcluded = (live.exclude ?? []).includes(product.id);
    const byName = (ex.products ?? []).includes(product.id);
    const byTag = (ex.tags ?? []).some((t) => own.has(t.trim().toLowerCase()));
    const byCollection = (ex.collections ?? []).some((c) => product.collections?.has(c));
    const collectionsKnown = !ex.collections?.length || product.collections != null;
    if ((byName || byTag || byCollection) && !isExcluded) return "exclude";
    if (!byName && !byTag && !byCollection && collectionsKnown && isExcluded) change = "include";
  }
  return change;
}
