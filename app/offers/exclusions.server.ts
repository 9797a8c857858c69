// A product's tags changed in Shopify's admin (the products/update webhook): does a
// frequently-bought-together offer that excludes one of its tags now publish the wrong
// thing? Exclusions by tag are expanded to products when the ruleset is published, so a
// product tagged "clearance" after the publish would go on being offered until the next
// rebuild of the lists (25 new orders or a day). Here it leaves within REPUBLISH_DELAY_MS.
//
// The webhook fires for every edit of every product (a price, a title, stock), so the
// decision is cheap and exact before anything is republished:
// - only shops with a live fbt offer that excludes tags read further (one database query);
// - the product's tags against each such offer's: should it be excluded now?
// - the published storefront ruleset (one Admin API read) says whether it is;
// - only a difference schedules a republish, and a burst of them (a bulk tag edit) is one.
// Left as it was: a tag REMOVED from a product that an offer also excludes by collection
// (whether it is still in that collection is not in the payload): it is offered again at
// the next rebuild, the harmless direction. Collection membership changes are not covered
// by this webhook at all; they apply at the next rebuild, or when the offer is saved.
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { STOREFRONT_RULESET } from "./metafields";
import { exclusionChange, parseTags, type PublishedExclusion } from "./exclusions";
import { publishIfTogether } from "./publisher.server";
import { liveOffers } from "./repository.server";
import { isTogether } from "./together.server";

/** How long a republish waits for more product edits (a bulk edit sends one webhook per product). */
export const REPUBLISH_DELAY_MS = 30_000;
/** The wait in use (tests shorten it). */
export const republishDelay = { ms: REPUBLISH_DELAY_MS };

const PUBLISHED = `#graphql
  query CartliftPublishedRuleset {
    currentAppInstallation { metafield(namespace: "${STOREFRONT_RULESET.namespace}", key: "${STOREFRONT_RULESET.key}") { value } }
  }`;

/** The fbt offers of the published storefront ruleset (null when none is published or it cannot be read). */
export async function publishedExclusions(admin: AdminApi): Promise<PublishedExclusion[] | null> {
  const data = await adminGraphql<{ currentAppInstallation: { metafield: { value: string } | null } }>(admin, PUBLISHED);
  const value = data.currentAppInstallation.metafield?.value;
  if (!value) return null;
  try {
    const rs = JSON.parse(value) as { offers?: Array<{ id?: unknown; kind?: unknown; source?: unknown; exclude?: unknown }> };
    return (rs.offers ?? [])
      .filter((o) => o.kind == "cross_sell" && o.source == "fbt" && typeof o.id == "string")
      .map((o) => ({ id: o.id as string, exclude: Array.isArray(o.exclude) ? o.exclude.filter((p): p is string => typeof p == "string") : [] }));
  } catch {
    return null;
  }
}

export type ProductUpdateOutcome = "unaffected" | "up to date" | "republish planned" | "ignored";

interface ProductUpdateOptions {
  adminFor: (shop: string) => Promise<AdminApi>;
  delayMs?: number;
  log?: (message: string) => void;
}

/** products/update for `shop`: plans a republish when the product's tags changed what an offer excludes. Never throws. */
export async function onProductUpdated(shop: string, payload: unknown, options: ProductUpdateOptions): Promise<ProductUpdateOutcome> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const body = (payload ?? {}) as { id?: unknown; tags?: unknown };
  const productId = typeof body.id == "number" || (typeof body.id == "string" && /^\d+$/.test(body.id)) ? String(body.id) : null;
  if (!productId) return "ignored";
  try {
    const offers = (await liveOffers(shop)).filter((o) => isTogether(o) && o.definition.exclude?.tags?.length);
    if (!offers.length) return "unaffected";
    const admin = await options.adminFor(shop);
    const change = exclusionChange(offers, await publishedExclusions(admin), productId, parseTags(body.tags));
    if (!change) return "up to date";
    void republishSoon(shop, options.adminFor, options.delayMs ?? republishDelay.ms, log);
    return "republish planned";
  } catch (error) {
    // The next rebuild republishes anyway: a failure here costs only the delay.
    log(`Cartlift: checking ${shop}'s exclusions after a product update failed: ${error instanceof Error ? error.message : String(error)}`);
    return "ignored";
  }
}

const planned = new Map<string, Promise<void>>();

/** Every republish run after product edits, newest last (the last 100): for tests and logs. */
export const republishes: Array<{ shop: string; status: "published" | "failed" | "nothing to publish" }> = [];
const noteRepublish = (entry: (typeof republishes)[number]) => {
  republishes.push(entry);
  if (republishes.length > 100) republishes.shift();
};

/** One republish of `shop` after `delayMs`, however many edits ask for it meanwhile. Edits
 *  that arrive while it runs plan the next one (it may have read the tags before them). */
export function republishSoon(shop: string, adminFor: (shop: string) => Promise<AdminApi>, delayMs: number, log: (message: string) => void): Promise<void> {
  const had = planned.get(shop);
  if (had) return had;
  const run = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delayMs);
    (timer as { unref?: () => void }).unref?.();
  })
    .then(async () => {
      planned.delete(shop);
      const outcome = await publishIfTogether(await adminFor(shop), shop, { listsChanged: false });
      noteRepublish({ shop, status: outcome?.status ?? "nothing to publish" });
      if (outcome?.status == "failed") log(`Cartlift: republishing ${shop} after a product's tags changed failed: ${outcome.error}`);
    })
    .catch((error) => {
      planned.delete(shop);
      noteRepublish({ shop, status: "failed" });
      log(`Cartlift: republishing ${shop} after a product's tags changed failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  planned.set(shop, run);
  return run;
}

/** The republish planned for `shop`, if any (tests wait on it). */
export const plannedRepublish = (shop: string): Promise<void> | undefined => planned.get(shop);
