// The publisher: compiles every live offer of a shop, its settings and a snapshot of the
// products they name into one ruleset, and writes it where the surfaces read it:
// - STOREFRONT_RULESET on the app installation (theme app extension Liquid),
// - CHECKOUT_RULESET on the shop ($app metafield; checkout UI extensions),
// - DISCOUNT_CONFIGURATION on Cartlift's automatic app discount (the discount function),
//   with DISCOUNT_VARIABLES beside it (its input query's variables: the plan's schedule
//   slots as the shop's local date-times, so checkout cuts a schedule off exactly).
//
// Invariants (each holds across a crash between any two calls, and a failed call):
// - What shoppers get changes only through ONE `metafieldsSet` writing the four values
//   (atomic in Shopify), each with the `compareDigest` read before compiling. A concurrent
//   publish makes ours STALE_OBJECT: we re-read and compile again, so the last write always
//   comes from the latest offers and the three values never mix publishes.
// - Cartlift's discount is found by what it is: the automatic app discount carrying the
//   app-owned DISCOUNT_CONFIGURATION metafield (only this app can write `$app:` metafields),
//   never by an id we stored. It is created with an EMPTY configuration (fail closed: no
//   discount) so a crash right after creating it leaves nothing charging; a second such
//   discount (a crash between create and anything else, long ago) is deleted.
// - `revision` = max(last recorded revision, revisions Shopify holds) + 1.
// - The storefront ruleset carries `source`: a digest of the saved offers and settings it
//   was compiled from. The admin's status compares what Shopify holds with the saved
//   offers (publishStatus), so it never depends on our own record of a publish.
// - Nothing oversized is written: a ruleset over 128 KB or a discount configuration over
//   10,000 bytes is refused with a message saying what to trim; surfaces keep the last
//   good ruleset.
// - Every publish is recorded (PublishRecord) when the database allows; the record is
//   history for the admin, not the truth about what is live.
// - `publishShop` never throws; THROTTLED calls are retried with backoff by `adminGraphql`.
import { createHash } from "node:crypto";
import prisma from "../db.server";
import { adminGraphql, AdminApiError } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { readSettings, type ShopSettingsDoc } from "../settings/settings";
import { CHECKOUT_RULESET, DISCOUNT_CONFIGURATION, DISCOUNT_VARIABLES, STOREFRONT_RULESET } from "./metafields";
import { planVariables } from "../engine/plan";
import { expandTriggers, loadVariants } from "./catalog.server";
import { loadTogether, togetherCatalog, togetherInput } from "./together.server";
import { liveOffers, toRecord } from "./repository.server";
import { checkConfigurationSize, checkRulesetSize, compileRuleset, discountConfiguration, EXPANDED_TRIGGER_FIELDS, isLive } from "./ruleset";

type ExpandedField = (typeof EXPANDED_TRIGGER_FIELDS)[number];
import { excludesByGroup, isTogether, namedVariants, type OfferRecord } from "./model";

export const DISCOUNT_FUNCTION_HANDLE = "cartlift-discount";
export const DISCOUNT_TITLE = "Cartlift offers";
export const DISCOUNT_CLASSES = ["PRODUCT", "ORDER", "SHIPPING"] as const;
/** Cartlift's discount stacks with the shop's order and shipping discounts; two product
 *  discounts on one line would double-discount it, so those do not combine. */
export const DISCOUNT_COMBINES_WITH = { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true } as const;
/** The configuration a new discount is created with: revision 0, nothing to apply. Any
 *  reader (the function included) finds no offer in it and discounts nothing. */
export const EMPTY_DISCOUNT_CONFIGURATION = '{"revision":0}';
/** The variables a new discount is created with: every schedule slot unused (Shopify fails a
 *  run whose required input variable is missing, so they exist from the start). */
export const EMPTY_DISCOUNT_VARIABLES = JSON.stringify(planVariables({}, "UTC"));
/** Which discounts are looked at: automatic app discounts (ours is one of them). */
export const APP_DISCOUNTS_QUERY = "method:automatic AND type:app";

export interface PublishOutcome {
  status: "published" | "failed";
  revision: number;
  error?: string;
  warnings: string[];
  /** Bytes of the published ruleset (or of the refused one). */
  bytes: number;
  configBytes?: number;
  offerCount: number;
  at: string;
}

export interface PublishOptions {
  /** Compare-and-set attempts before giving up (concurrent publishes). */
  maxAttempts?: number;
  now?: () => number;
}

interface MetafieldState {
  value?: string | null;
  compareDigest: string;
}

interface DiscountNodeState {
  id: string;
  metafield: MetafieldState | null;
  variables?: MetafieldState | null;
  discount: { discountId?: string; title?: string; status?: string; discountClasses?: string[]; createdAt?: string } | null;
}

interface DiscountPage {
  nodes: DiscountNodeState[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface ShopifyState {
  shop: { id: string; currencyCode: string; ianaTimezone: string; metafield: MetafieldState | null };
  currentAppInstallation: { id: string; metafield: MetafieldState | null };
  discountNodes: DiscountPage;
}

const DISCOUNT_FIELDS = `
      nodes {
        id
        metafield(namespace: "${DISCOUNT_CONFIGURATION.namespace}", key: "${DISCOUNT_CONFIGURATION.key}") { value compareDigest }
        variables: metafield(namespace: "${DISCOUNT_VARIABLES.namespace}", key: "${DISCOUNT_VARIABLES.key}") { compareDigest }
        discount { ... on DiscountAutomaticApp { discountId title status discountClasses createdAt } }
      }
      pageInfo { hasNextPage endCursor }`;

const STATE = `#graphql
  query CartliftPublishState($discountQuery: String!) {
    shop {
      id currencyCode ianaTimezone
      metafield(namespace: "${CHECKOUT_RULESET.namespace}", key: "${CHECKOUT_RULESET.key}") { value compareDigest }
    }
    currentAppInstallation {
      id
      metafield(namespace: "${STOREFRONT_RULESET.namespace}", key: "${STOREFRONT_RULESET.key}") { value compareDigest }
    }
    discountNodes(first: 25, query: $discountQuery, sortKey: CREATED_AT) {${DISCOUNT_FIELDS}
    }
  }`;

const MORE_DISCOUNTS = `#graphql
  query CartliftAppDiscounts($discountQuery: String!, $after: String!) {
    discountNodes(first: 25, after: $after, query: $discountQuery, sortKey: CREATED_AT) {${DISCOUNT_FIELDS}
    }
  }`;

const SET_METAFIELDS = `#graphql
  mutation CartliftPublish($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key namespace }
      userErrors { field message code elementIndex }
    }
  }`;

const CREATE_DISCOUNT = `#graphql
  mutation CartliftCreateDiscount($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId }
      userErrors { field message code }
    }
  }`;

const UPDATE_DISCOUNT = `#graphql
  mutation CartliftUpdateDiscount($id: ID!, $discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId }
      userErrors { field message code }
    }
  }`;

const DELETE_DISCOUNT = `#graphql
  mutation CartliftDeleteDiscount($id: ID!) {
    discountAutomaticDelete(id: $id) {
      deletedAutomaticDiscountId
      userErrors { field message code }
    }
  }`;

type UserError = { field?: string[] | null; message: string; code?: string | null };

class PublishError extends Error {}

/** The revision a published value carries (near its start, so no full parse). */
export function publishedRevision(value: string | null | undefined): number {
  const m = value ? /"revision"\s*:\s*(\d+)/.exec(value.slice(0, 200)) : null;
  return m ? Number(m[1]) : 0;
}

/** The `source` digest a published storefront ruleset carries (its last key). */
export function publishedSource(value: string | null | undefined): string | null {
  const m = value ? /"source"\s*:\s*"([0-9a-f]{16,64})"\s*\}\s*$/.exec(value.slice(-120)) : null;
  return m ? m[1] : null;
}

/** A digest of what a publish compiles from: every offer of the shop (id and version, so
 *  a save, pause, resume or delete changes it) and the settings. */
export function sourceDigest(offers: Array<{ id: string; version: number }>, settings: unknown): string {
  const ids = offers.map((o) => `${o.id}:${o.version}`).sort();
  return createHash("sha256").update(JSON.stringify([ids, settings ?? {}])).digest("hex").slice(0, 32);
}

/** Everything a publish compiles from. The digest is of exactly the rows read, so it
 *  names what was compiled even if a save lands between the reads. (No transaction:
 *  the embedded database's socket has handed one connection's rows to another when a
 *  read-only transaction ran beside other queries.) */
async function readSource(shop: string, now: number) {
  const rows = await prisma.offer.findMany({ where: { shop }, orderBy: [{ priority: "desc" }, { id: "asc" }] });
  const shopRow = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  const offers = rows.map(toRecord);
  return {
    offers: offers.filter((o) => isLive(o, now)),
    settings: readSettings(shopRow?.settings),
    source: sourceDigest(offers, shopRow?.settings),
  };
}

async function lastRecordedRevision(shop: string): Promise<number> {
  const last = await prisma.publishRecord.findFirst({ where: { shop }, orderBy: { revision: "desc" }, select: { revision: true } });
  return last?.revision ?? 0;
}

/** Records a publish. A failed publish never wrote its revision, so if a concurrent
 *  publish took the number, the failed record moves to the next free one. The record is
 *  history only: if the database refuses it, the outcome is returned all the same. */
async function recordPublish(shop: string, outcome: PublishOutcome): Promise<PublishOutcome> {
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await prisma.publishRecord.create({
          data: {
            shop,
            revision: outcome.revision,
            status: outcome.status,
            error: outcome.error ? outcome.error.slice(0, 2000) : null,
            bytes: outcome.bytes,
            offerCount: outcome.offerCount,
          },
        });
        return outcome;
      } catch (error) {
        if ((error as { code?: string }).code != "P2002") throw error;
        if (outcome.status == "failed") {
          outcome.revision = (await lastRecordedRevision(shop)) + 1;
        } else {
          // Only a failed record can hold a revision a successful write used: move it.
          const free = (await lastRecordedRevision(shop)) + 1;
          await prisma.publishRecord.updateMany({ where: { shop, revision: outcome.revision, status: "failed" }, data: { revision: free } });
        }
      }
    }
  } catch (error) {
    outcome.warnings.push(`This publish could not be added to the history (${errorText(error)}).`);
  }
  return outcome;
}

/** An error's first non-empty line (at most 300 characters): what to tell a merchant. */
export function errorText(error: unknown): string {
  const message = (error as Error | undefined)?.message ?? String(error);
  // Database errors can carry whole statements; the first line says what happened.
  return message.split("\n").find((line) => line.trim())?.trim().slice(0, 300) ?? "unknown error";
}

function userErrorText(errors: UserError[]): string {
  return errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");
}

/** Reads what Shopify holds: the two rulesets and every automatic app discount. */
async function readShopify(admin: AdminApi): Promise<ShopifyState> {
  const state = await adminGraphql<ShopifyState>(admin, STATE, { variables: { discountQuery: APP_DISCOUNTS_QUERY } });
  const nodes = [...state.discountNodes.nodes];
  let page = state.discountNodes.pageInfo;
  for (let pages = 1; page.hasNextPage && page.endCursor && pages < 40; pages++) {
    const more = await adminGraphql<{ discountNodes: DiscountPage }>(admin, MORE_DISCOUNTS, {
      variables: { discountQuery: APP_DISCOUNTS_QUERY, after: page.endCursor },
    });
    nodes.push(...more.discountNodes.nodes);
    page = more.discountNodes.pageInfo;
  }
  return { ...state, discountNodes: { nodes, pageInfo: page } };
}

/** Cartlift's discounts among the app discounts: those carrying its configuration
 *  metafield, oldest first (the one to keep). */
export function cartliftDiscounts(nodes: DiscountNodeState[]): Array<DiscountNodeState & { ownerId: string }> {
  return nodes
    .filter((n) => n.metafield && n.discount?.discountId)
    .map((n) => ({ ...n, ownerId: n.discount!.discountId! }))
    .sort((a, b) => (a.discount?.createdAt ?? "").localeCompare(b.discount?.createdAt ?? "") || idNumber(a.ownerId) - idNumber(b.ownerId));
}

const idNumber = (gid: string) => Number(/(\d+)$/.exec(gid)?.[1] ?? 0);

/** Makes sure exactly one Cartlift discount exists, in shape. Returns it, or null when it
 *  was just created (read the state again for its metafield's digest). */
async function ensureDiscount(admin: AdminApi, state: ShopifyState, now: number, warnings: string[]): Promise<(DiscountNodeState & { ownerId: string }) | null> {
  const [kept, ...duplicates] = cartliftDiscounts(state.discountNodes.nodes);
  for (const duplicate of duplicates) {
    // A leftover of a publish cut short: whatever it holds must stop applying.
    const data = await adminGraphql<{ discountAutomaticDelete: { userErrors: UserError[] } }>(admin, DELETE_DISCOUNT, { variables: { id: duplicate.ownerId } });
    const errors = data.discountAutomaticDelete.userErrors;
    if (errors.length) warnings.push(`A second “${DISCOUNT_TITLE}” discount could not be deleted: ${userErrorText(errors)}`);
  }
  if (kept) {
    const d = kept.discount;
    const drifted =
      !d ||
      d.status == "EXPIRED" ||
      d.title != DISCOUNT_TITLE ||
      DISCOUNT_CLASSES.some((c) => !d.discountClasses?.includes(c));
    if (drifted) {
      const data = await adminGraphql<{ discountAutomaticAppUpdate: { userErrors: UserError[] } }>(admin, UPDATE_DISCOUNT, {
        variables: {
          id: kept.ownerId,
          discount: { title: DISCOUNT_TITLE, discountClasses: DISCOUNT_CLASSES, combinesWith: DISCOUNT_COMBINES_WITH, endsAt: null },
        },
      });
      const errors = data.discountAutomaticAppUpdate.userErrors;
      if (errors.length) throw new PublishError(`Could not update the “${DISCOUNT_TITLE}” discount: ${userErrorText(errors)}`);
    }
    return kept;
  }
  const data = await adminGraphql<{ discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } | null; userErrors: UserError[] } }>(
    admin,
    CREATE_DISCOUNT,
    {
      variables: {
        discount: {
          title: DISCOUNT_TITLE,
          functionHandle: DISCOUNT_FUNCTION_HANDLE,
          startsAt: new Date(now).toISOString(),
          discountClasses: DISCOUNT_CLASSES,
          combinesWith: DISCOUNT_COMBINES_WITH,
          // Empty (fail closed): only the four-value write below gives it something to apply.
          metafields: [
            { namespace: DISCOUNT_CONFIGURATION.namespace, key: DISCOUNT_CONFIGURATION.key, type: DISCOUNT_CONFIGURATION.type, value: EMPTY_DISCOUNT_CONFIGURATION },
            { namespace: DISCOUNT_VARIABLES.namespace, key: DISCOUNT_VARIABLES.key, type: DISCOUNT_VARIABLES.type, value: EMPTY_DISCOUNT_VARIABLES },
          ],
        },
      },
    },
  );
  const created = data.discountAutomaticAppCreate;
  if (!created.automaticAppDiscount || created.userErrors.length)
    throw new PublishError(`Could not create the “${DISCOUNT_TITLE}” discount: ${userErrorText(created.userErrors) || "no discount returned"}`);
  return null;
}

/** Offers' variants and gifts, and the trigger values the publisher expands. */
function references(offers: OfferRecord[], settings: ShopSettingsDoc) {
  const variants = new Set<string>();
  const named = Object.fromEntries(EXPANDED_TRIGGER_FIELDS.map((field) => [field, new Set<string>()])) as Record<ExpandedField, Set<string>>;
  for (const offer of offers) {
    namedVariants(offer.definition).forEach((v) => variants.add(v));
    for (const field of EXPANDED_TRIGGER_FIELDS) offer.definition.trigger?.[field]?.forEach((value) => named[field].add(value));
  }
  for (const tier of settings.rewardTiers) if (tier.gift) variants.add(tier.gift);
  const triggers = Object.fromEntries(EXPANDED_TRIGGER_FIELDS.map((field) => [field, [...named[field]]])) as Record<ExpandedField, string[]>;
  return { variants: [...variants], triggers };
}

/** After the frequently-bought-together lists were rebuilt: publishes again when a live offer
 *  mines them, so the ruleset holds the newly mined products (and the discount plan knows
 *  exactly what they may discount). When the lists did not change, only if such an offer
 *  excludes collections or tags: those are expanded to products at publish, and their members
 *  change without Cartlift hearing of it, so a product tagged since is left out from the next
 *  rebuild (25 new orders or a day) on. Never throws; null when nothing is published. */
export async function publishIfTogether(admin: AdminApi, shop: string, { listsChanged = true } = {}): Promise<PublishOutcome | null> {
  const mining = (await liveOffers(shop).catch(() => [])).filter(isTogether);
  return mining.length && (listsChanged || mining.some(excludesByGroup)) ? publishShop(admin, shop) : null;
}

/** Compiles and writes the shop's ruleset. Never throws: the outcome says what went wrong
 *  (and is recorded when the database allows). */
export async function publishShop(admin: AdminApi, shop: string, options: PublishOptions = {}): Promise<PublishOutcome> {
  try {
    return await publishShopUncached(admin, shop, options);
  } finally {
    // Whatever happened, what Shopify holds may have changed: the status reads it afresh.
    forgetShopifyState(shop);
  }
}

async function publishShopUncached(admin: AdminApi, shop: string, options: PublishOptions): Promise<PublishOutcome> {
  const clock = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 5;
  let revision = 0;
  let offerCount = 0;
  let bytes = 0;
  const warnings: string[] = [];
  const fail = (error: string) =>
    recordPublish(shop, { status: "failed", revision: revision || 1, error, warnings, bytes, offerCount, at: new Date(clock()).toISOString() });

  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const now = clock();
      const { offers, settings, source } = await readSource(shop, now);
      const lastRevision = await lastRecordedRevision(shop);
      const state = await readShopify(admin);
      const discount = await ensureDiscount(admin, state, now, warnings);
      if (!discount) continue; // just created: read it back with its metafield's digest

      revision =
        Math.max(
          lastRevision,
          publishedRevision(state.currentAppInstallation.metafield?.value),
          publishedRevision(state.shop.metafield?.value),
          publishedRevision(discount.metafield?.value),
        ) + 1;
      const refs = references(offers, settings);
      const currency = state.shop.currencyCode;
      const [variants, expansions] = await Promise.all([
        loadVariants(admin, refs.variants, currency),
        Object.values(refs.triggers).some((values) => values.length) ? expandTriggers(admin, refs.triggers) : Promise.resolve(undefined),
      ]);
      const live = offers.filter((o) => isLive(o, now));
      const together = await loadTogether(admin, shop, live, currency, variants.values());
      const compiled = compileRuleset({ revision, currency, settings, offers, catalog: togetherCatalog(variants.values(), together), expansions, now, together: togetherInput(together), appUrl: process.env.SHOPIFY_APP_URL || undefined });
      warnings.push(...compiled.warnings);
      offerCount = compiled.offerIds.length;
      const names = Object.fromEntries(offers.map((o) => [o.id, o.name]));
      // `source` goes last: publishedSource reads it from the value's end.
      const size = checkRulesetSize({ ...compiled.ruleset, source } as typeof compiled.ruleset, names);
      bytes = size.bytes;
      if (!size.ok) return await fail(size.message);
      // Compiled at this moment in the shop's zone: schedules passed are settled, the next ones
      // get the function's exact slots (their local date-times are the input's variables).
      const timeZone = state.shop.ianaTimezone;
      const planned = discountConfiguration(compiled.ruleset, { publishedAt: now, timeZone });
      const config = checkConfigurationSize(planned);
      if (!config.ok) return await fail(config.message);
      const variables = JSON.stringify(planVariables(planned.ok ? planned.plan : {}, timeZone));

      const digest = (m: MetafieldState | null | undefined) => (m ? m.compareDigest : null);
      const result = await adminGraphql<{ metafieldsSet: { userErrors: UserError[] } }>(admin, SET_METAFIELDS, {
        variables: {
          metafields: [
            { ownerId: state.currentAppInstallation.id, ...STOREFRONT_RULESET, value: size.json, compareDigest: digest(state.currentAppInstallation.metafield) },
            { ownerId: state.shop.id, ...CHECKOUT_RULESET, value: size.json, compareDigest: digest(state.shop.metafield) },
            { ownerId: discount.ownerId, ...DISCOUNT_CONFIGURATION, value: config.json, compareDigest: digest(discount.metafield) },
            { ownerId: discount.ownerId, ...DISCOUNT_VARIABLES, value: variables, compareDigest: digest(discount.variables) },
          ],
        },
      });
      const errors = result.metafieldsSet.userErrors;
      if (errors.some((e) => e.code == "STALE_OBJECT")) continue; // someone published meanwhile: recompile from the latest
      if (errors.length) return await fail(`Shopify refused the ruleset: ${userErrorText(errors)}`);
      await rememberDiscount(shop, discount.ownerId);
      return await recordPublish(shop, {
        status: "published",
        revision,
        warnings,
        bytes,
        configBytes: config.bytes,
        offerCount,
        at: new Date(clock()).toISOString(),
      });
    }
    return await fail("Other changes kept publishing at the same moment; publish again.");
  } catch (error) {
    if (error instanceof PublishError) return fail(error.message);
    if (error instanceof AdminApiError) return fail(`Shopify did not accept the publish: ${error.message}`);
    return fail(`Publishing failed: ${errorText(error)}`);
  }
}

/** Keeps the discount's id for reference (support, links). Never used to find it. */
async function rememberDiscount(shop: string, discountId: string): Promise<void> {
  try {
    await prisma.shop.upsert({ where: { shop }, create: { shop, discountId }, update: { discountId } });
  } catch {
    // Only a convenience; the next publish writes it again.
  }
}

// ---------------------------------------------------------------------------------------
// What the admin shows
// ---------------------------------------------------------------------------------------

export interface PublishStatus {
  /**
   * - live: Shopify's three values carry one revision, compiled from the offers as saved;
   * - stale: Shopify holds something else than the saved offers (a publish failed or was
   *   cut short, or the three values disagree): "not live yet — publish again";
   * - none: nothing published and nothing to publish;
   * - unknown: Shopify could not be asked.
   */
  state: "live" | "stale" | "none" | "unknown";
  /** The revision shoppers see (the storefront's), with its record when there is one. */
  live: { revision: number; at: string | null; offerCount: number | null } | null;
  /** Why it is not live, in the merchant's words (the latest failed publish's error, or what differs). */
  reason: string | null;
  /** The latest publish attempt (history). */
  latest: { revision: number; status: string; error: string | null; at: string; offerCount: number; bytes: number } | null;
}

interface StatusDeps {
  now?: () => number;
  /**
   * Reuse what Shopify held when it was read less than this long ago (ms) by this
   * instance. The offers list asks on every load; reading Shopify each time (several
   * Admin API calls) made its LCP 1,400 ms. A publish through this instance forgets the
   * shop's entry, so the merchant sees their own publish at once; a publish made
   * elsewhere (another instance) shows within the TTL. Default 0: read afresh.
   */
  cacheMs?: number;
}

// What Shopify holds, per shop, for publishStatus's cacheMs (the promise, so concurrent
// page loads share one read; a failed read is forgotten at once).
const shopifyStates = new Map<string, { at: number; state: Promise<ShopifyState> }>();

function readShopifyCached(admin: AdminApi, shop: string, cacheMs: number, now: number): Promise<ShopifyState> {
  const hit = shopifyStates.get(shop);
  if (cacheMs > 0 && hit && now - hit.at < cacheMs) return hit.state;
  const state = readShopify(admin);
  if (cacheMs > 0) {
    const entry = { at: now, state };
    shopifyStates.set(shop, entry);
    state.catch(() => {
      if (shopifyStates.get(shop) === entry) shopifyStates.delete(shop);
    });
  }
  return state;
}

/** Forgets what Shopify held for the shop (after a publish, or when told it changed). */
export function forgetShopifyState(shop: string): void {
  shopifyStates.delete(shop);
}

/** Compares what Shopify holds (the revisions and source in the three metafields) with
 *  the offers and settings as saved. Never throws. */
export async function publishStatus(admin: AdminApi, shop: string, deps: StatusDeps = {}): Promise<PublishStatus> {
  const now = (deps.now ?? Date.now)();
  let latest: PublishStatus["latest"] = null;
  try {
    const [source, record, shopify] = await Promise.all([
      readSource(shop, now),
      prisma.publishRecord.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { revision: "desc" }] }),
      readShopifyCached(admin, shop, deps.cacheMs ?? 0, now).then(
        (state) => ({ ok: true as const, state }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ]);
    latest = record
      ? { revision: record.revision, status: record.status, error: record.error, at: record.createdAt.toISOString(), offerCount: record.offerCount, bytes: record.bytes }
      : null;
    if (!shopify.ok) {
      return { state: "unknown", live: null, latest, reason: `Could not ask Shopify what is live: ${errorText(shopify.error)}` };
    }
    const state = shopify.state;
    const storefront = state.currentAppInstallation.metafield?.value;
    const revisions = {
      storefront: publishedRevision(storefront),
      checkout: publishedRevision(state.shop.metafield?.value),
      discount: publishedRevision(cartliftDiscounts(state.discountNodes.nodes)[0]?.metafield?.value),
    };
    const liveRecord = revisions.storefront
      ? await prisma.publishRecord.findFirst({ where: { shop, revision: revisions.storefront, status: "published" } })
      : null;
    const live = revisions.storefront
      ? { revision: revisions.storefront, at: liveRecord?.createdAt.toISOString() ?? null, offerCount: liveRecord?.offerCount ?? null }
      : null;
    const failed = latest?.status == "failed" && (!live || latest.revision > live.revision) ? latest.error : null;
    if (!live && source.offers.length == 0 && publishedSource(storefront) == null) {
      return { state: "none", live: null, latest, reason: null };
    }
    if (revisions.storefront != revisions.checkout || revisions.storefront != revisions.discount) {
      return {
        state: "stale",
        live,
        latest,
        reason: failed ?? `The storefront, checkout and discount hold different publishes (revisions ${revisions.storefront}, ${revisions.checkout} and ${revisions.discount}).`,
      };
    }
    if (publishedSource(storefront) != source.source) {
      return { state: "stale", live, latest, reason: failed ?? (live ? "Your latest changes were saved but not published." : "Your offers were saved but never published.") };
    }
    return { state: "live", live, latest, reason: null };
  } catch (error) {
    return { state: "unknown", live: null, latest, reason: `Could not check what is live: ${errorText(error)}` };
  }
}
