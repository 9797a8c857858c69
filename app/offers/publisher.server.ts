// The publisher: compiles every live offer of a shop, its settings and a snapshot of the
// products they name into one ruleset, and writes it where the surfaces read it:
// - STOREFRONT_RULESET on the app installation (theme app extension Liquid),
// - CHECKOUT_RULESET on the shop ($app metafield; checkout UI extensions),
// - DISCOUNT_CONFIGURATION on Cartlift's automatic app discount (the discount function).
//
// Invariants:
// - The three metafields are written in ONE `metafieldsSet` call (atomic in Shopify), each
//   with the `compareDigest` read before compiling. A concurrent publish makes ours
//   STALE_OBJECT: we re-read the offers and the metafields and compile again, so the last
//   write always comes from the latest offers and the three values never mix publishes.
// - `revision` = max(last recorded revision, published revision) + 1: it increases with
//   every successful write, because a writer must have read the current value first.
// - Nothing oversized is written: a ruleset over 128 KB or a discount configuration over
//   10,000 bytes is refused with a message saying what to trim; surfaces keep the last
//   good ruleset.
// - Every publish is recorded (PublishRecord) with its revision, outcome and error.
// - THROTTLED calls are retried with backoff by `adminGraphql`.
import prisma from "../db.server";
import { adminGraphql, AdminApiError } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";
import { readSettings, type ShopSettingsDoc } from "../settings/settings";
import { CHECKOUT_RULESET, DISCOUNT_CONFIGURATION, STOREFRONT_RULESET } from "./metafields";
import { expandTriggers, loadVariants, snapshotOf } from "./catalog.server";
import { liveOffers } from "./repository.server";
import { checkConfigurationSize, checkRulesetSize, compileRuleset, discountConfiguration, EXPANDED_TRIGGER_FIELDS } from "./ruleset";

type ExpandedField = (typeof EXPANDED_TRIGGER_FIELDS)[number];
import { namedVariants, type OfferRecord } from "./model";

export const DISCOUNT_FUNCTION_HANDLE = "cartlift-discount";
export const DISCOUNT_TITLE = "Cartlift offers";
export const DISCOUNT_CLASSES = ["PRODUCT", "ORDER", "SHIPPING"] as const;
/** Cartlift's discount stacks with the shop's order and shipping discounts; two product
 *  discounts on one line would double-discount it, so those do not combine. */
export const DISCOUNT_COMBINES_WITH = { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true } as const;

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
  value?: string;
  compareDigest: string;
}

interface PublishState {
  shop: { id: string; currencyCode: string; metafield: MetafieldState | null };
  currentAppInstallation: { id: string; metafield: MetafieldState | null };
  automaticDiscountNode?: {
    id: string;
    metafield: MetafieldState | null;
    automaticDiscount: { title?: string; status?: string; discountClasses?: string[] } | null;
  } | null;
}

const STATE = `#graphql
  query CartliftPublishState($discountId: ID!, $withDiscount: Boolean!) {
    shop {
      id currencyCode
      metafield(namespace: "${CHECKOUT_RULESET.namespace}", key: "${CHECKOUT_RULESET.key}") { compareDigest }
    }
    currentAppInstallation {
      id
      metafield(namespace: "${STOREFRONT_RULESET.namespace}", key: "${STOREFRONT_RULESET.key}") { value compareDigest }
    }
    automaticDiscountNode(id: $discountId) @include(if: $withDiscount) {
      id
      metafield(namespace: "${DISCOUNT_CONFIGURATION.namespace}", key: "${DISCOUNT_CONFIGURATION.key}") { compareDigest }
      automaticDiscount { ... on DiscountAutomaticApp { title status discountClasses } }
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

type UserError = { field?: string[] | null; message: string; code?: string | null };

class PublishError extends Error {}

/** The revision a published value carries (the ruleset's second key, so no full parse). */
export function publishedRevision(value: string | undefined): number {
  const m = value ? /"revision"\s*:\s*(\d+)/.exec(value.slice(0, 200)) : null;
  return m ? Number(m[1]) : 0;
}

async function lastRecordedRevision(shop: string): Promise<number> {
  const last = await prisma.publishRecord.findFirst({ where: { shop }, orderBy: { revision: "desc" }, select: { revision: true } });
  return last?.revision ?? 0;
}

/** Records a publish. A failed publish never wrote its revision, so if a concurrent
 *  publish took the number, the failed record moves to the next free one. */
async function recordPublish(shop: string, outcome: PublishOutcome): Promise<PublishOutcome> {
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
  return outcome;
}

function userErrorText(errors: UserError[]): string {
  return errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");
}

async function ensureDiscount(admin: AdminApi, shop: string, state: PublishState, configJson: string, now: number): Promise<boolean> {
  const node = state.automaticDiscountNode;
  if (node) {
    const d = node.automaticDiscount;
    const drifted =
      !d ||
      d.status == "EXPIRED" ||
      d.title != DISCOUNT_TITLE ||
      DISCOUNT_CLASSES.some((c) => !d.discountClasses?.includes(c));
    if (drifted) {
      const data = await adminGraphql<{ discountAutomaticAppUpdate: { userErrors: UserError[] } }>(admin, UPDATE_DISCOUNT, {
        variables: {
          id: node.id,
          discount: { title: DISCOUNT_TITLE, discountClasses: DISCOUNT_CLASSES, combinesWith: DISCOUNT_COMBINES_WITH, endsAt: null },
        },
      });
      const errors = data.discountAutomaticAppUpdate.userErrors;
      if (errors.length) throw new PublishError(`Could not update the “${DISCOUNT_TITLE}” discount: ${userErrorText(errors)}`);
    }
    return false;
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
          metafields: [{ namespace: DISCOUNT_CONFIGURATION.namespace, key: DISCOUNT_CONFIGURATION.key, type: DISCOUNT_CONFIGURATION.type, value: configJson }],
        },
      },
    },
  );
  const created = data.discountAutomaticAppCreate;
  if (!created.automaticAppDiscount || created.userErrors.length)
    throw new PublishError(`Could not create the “${DISCOUNT_TITLE}” discount: ${userErrorText(created.userErrors) || "no discount returned"}`);
  await prisma.shop.upsert({
    where: { shop },
    create: { shop, discountId: created.automaticAppDiscount.discountId },
    update: { discountId: created.automaticAppDiscount.discountId },
  });
  return true;
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

/** Compiles and writes the shop's ruleset; never throws for a publishing problem (the
 *  outcome says what went wrong, and is recorded). */
export async function publishShop(admin: AdminApi, shop: string, options: PublishOptions = {}): Promise<PublishOutcome> {
  const clock = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 5;
  let revision = 0;
  let offerCount = 0;
  let bytes = 0;
  const fail = (error: string, warnings: string[] = []) =>
    recordPublish(shop, { status: "failed", revision: revision || 1, error, warnings, bytes, offerCount, at: new Date(clock()).toISOString() });

  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const now = clock();
      const [offers, shopRow, lastRevision] = await Promise.all([
        liveOffers(shop, new Date(now)),
        prisma.shop.findUnique({ where: { shop } }),
        lastRecordedRevision(shop),
      ]);
      const settings = readSettings(shopRow?.settings);
      const state = await adminGraphql<PublishState>(admin, STATE, {
        variables: { discountId: shopRow?.discountId ?? "gid://shopify/DiscountAutomaticNode/0", withDiscount: !!shopRow?.discountId },
      });
      revision = Math.max(lastRevision, publishedRevision(state.currentAppInstallation.metafield?.value)) + 1;

      const refs = references(offers, settings);
      const currency = state.shop.currencyCode;
      const [variants, expansions] = await Promise.all([
        loadVariants(admin, refs.variants, currency),
        Object.values(refs.triggers).some((values) => values.length) ? expandTriggers(admin, refs.triggers) : Promise.resolve(undefined),
      ]);
      const compiled = compileRuleset({ revision, currency, settings, offers, catalog: snapshotOf(variants.values()), expansions, now });
      offerCount = compiled.offerIds.length;
      const names = Object.fromEntries(offers.map((o) => [o.id, o.name]));
      const size = checkRulesetSize(compiled.ruleset, names);
      bytes = size.bytes;
      if (!size.ok) return await fail(size.message, compiled.warnings);
      const config = checkConfigurationSize(discountConfiguration(compiled.ruleset));
      if (!config.ok) return await fail(config.message, compiled.warnings);

      if (await ensureDiscount(admin, shop, state, config.json, now)) continue; // created: read its metafield's digest
      const digest = (m: MetafieldState | null | undefined) => (m ? m.compareDigest : null);
      const result = await adminGraphql<{ metafieldsSet: { userErrors: UserError[] } }>(admin, SET_METAFIELDS, {
        variables: {
          metafields: [
            { ownerId: state.currentAppInstallation.id, ...STOREFRONT_RULESET, value: size.json, compareDigest: digest(state.currentAppInstallation.metafield) },
            { ownerId: state.shop.id, ...CHECKOUT_RULESET, value: size.json, compareDigest: digest(state.shop.metafield) },
            { ownerId: state.automaticDiscountNode!.id, ...DISCOUNT_CONFIGURATION, value: config.json, compareDigest: digest(state.automaticDiscountNode!.metafield) },
          ],
        },
      });
      const errors = result.metafieldsSet.userErrors;
      if (errors.some((e) => e.code == "STALE_OBJECT")) continue; // someone published meanwhile: recompile from the latest
      if (errors.length) return await fail(`Shopify refused the ruleset: ${userErrorText(errors)}`, compiled.warnings);
      return await recordPublish(shop, {
        status: "published",
        revision,
        warnings: compiled.warnings,
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
    return fail(`Publishing failed: ${(error as Error).message ?? String(error)}`);
  }
}

export interface PublishStatus {
  latest: { revision: number; status: string; error: string | null; at: string; offerCount: number; bytes: number } | null;
  lastPublished: { revision: number; at: string } | null;
}

/** What the admin shows: the latest publish and, if that failed, the last good one. */
export async function publishStatus(shop: string): Promise<PublishStatus> {
  const [latest, lastPublished] = await Promise.all([
    prisma.publishRecord.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { revision: "desc" }] }),
    prisma.publishRecord.findFirst({ where: { shop, status: "published" }, orderBy: { revision: "desc" } }),
  ]);
  return {
    latest: latest
      ? { revision: latest.revision, status: latest.status, error: latest.error, at: latest.createdAt.toISOString(), offerCount: latest.offerCount, bytes: latest.bytes }
      : null,
    lastPublished: lastPublished ? { revision: lastPublished.revision, at: lastPublished.createdAt.toISOString() } : null,
  };
}
