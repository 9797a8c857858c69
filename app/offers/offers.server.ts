// The merchant's offer actions, end to end: validate with the engine's rules against the
// live catalog, persist in one transaction, then publish. Routes call these with the
// shop of the authenticated session, never a shop from the request.
import type { AdminApi } from "../shopify.server";
import { loadLabels, loadShopContext, loadVariants, snapshotOf, type Labels, type ShopContext } from "./catalog.server";
import { randomUUID } from "node:crypto";
import { coerceInput, NAME_MAX, namedVariants, parseInput, recordToInput, validateInput, type FieldErrors, type OfferInput, type OfferRecord } from "./model";
import { bulkUpdate, createOffer, deleteOffer, getOffer, offerByCreateKey, OfferConflictError, OfferNotFoundError, updateOffer, type BulkAction, type OfferFilters } from "./repository.server";
import { publishShop, publishStatus, type PublishOutcome, type PublishStatus } from "./publisher.server";
import { findTemplate, templateInput, type TemplateId } from "./templates";
import { forgetShop } from "../analytics/events.server";

export interface AdminScope {
  admin: AdminApi;
  /** The session's shop domain. */
  shop: string;
}

export type SaveResult =
  | { ok: true; offer: OfferRecord; publish: PublishOutcome }
  | { ok: false; errors: FieldErrors; reason: "invalid" | "conflict" | "not_found" | "shopify" };

/** What the merchant reads when Shopify did not answer a read the save needs: nothing was
 *  saved, and trying again is safe. */
export const SHOPIFY_UNAVAILABLE = "Shopify did not answer, so nothing was saved. Your changes are still here: try again in a moment.";

/** Validates `raw` (the editor's JSON) and creates the offer, or saves it over `version`.
 *  A create may carry the form's idempotency key (`createKey`): submitted twice, it makes
 *  one offer, and the second submit answers with the first's offer. */
export async function saveOffer(
  scope: AdminScope,
  raw: unknown,
  target: { id?: undefined; createKey?: string } | { id: string; version: number },
): Promise<SaveResult> {
  if (target.id === undefined && target.createKey) {
    const first = await offerByCreateKey(scope.shop, target.createKey);
    // Publishing again is harmless (the same offers) and completes a first publish that failed.
    if (first) return { ok: true, offer: first, publish: await publishShop(scope.admin, scope.shop) };
  }
  const input = coerceInput(raw);
  // The shop's currency and the offered products' prices come from Shopify: if it does not
  // answer (an outage, throttled past our retries), the save stops here with a clear message.
  let context: ShopContext;
  let variants: Awaited<ReturnType<typeof loadVariants>>;
  try {
    context = await loadShopContext(scope.admin);
    const { fields: draft } = parseInput(input, context.currency);
    variants = await loadVariants(scope.admin, namedVariants(draft.definition), context.currency);
  } catch (error) {
    console.error(`saving an offer for ${scope.shop}: Shopify did not answer:`, (error as Error)?.message ?? error);
    return { ok: false, errors: { form: SHOPIFY_UNAVAILABLE }, reason: "shopify" };
  }
  const result = validateInput(input, context.currency, snapshotOf(variants.values()));
  if (!result.ok) return { ok: false, errors: result.errors, reason: "invalid" };
  let offer: OfferRecord;
  try {
    offer = target.id === undefined ? await createOffer(scope.shop, result.fields, target.createKey) : await updateOffer(scope.shop, target.id, target.version, result.fields);
  } catch (error) {
    if (error instanceof OfferConflictError) return { ok: false, errors: { form: error.message }, reason: "conflict" };
    if (error instanceof OfferNotFoundError) return { ok: false, errors: { form: error.message }, reason: "not_found" };
    throw error;
  }
  // The event ingest caches the shop's offer ids: a new offer's first impressions must count.
  forgetShop(scope.shop);
  return { ok: true, offer, publish: await publishShop(scope.admin, scope.shop) };
}

/** "Copy of …", within the name limit. */
export function copyName(name: string): string {
  const copy = `Copy of ${name}`;
  return copy.length <= NAME_MAX ? copy : `${copy.slice(0, NAME_MAX - 1)}…`;
}

/** Copies an offer of this shop as a paused offer named "Copy of …" (shoppers see nothing
 *  new until the merchant resumes it). With `createKey`, a double-submitted duplicate
 *  makes one copy. Null when the offer is not this shop's. */
export async function duplicateOffer(scope: AdminScope, id: string, createKey?: string): Promise<{ offer: OfferRecord; publish: PublishOutcome } | null> {
  const original = await getOffer(scope.shop, id);
  if (!original) return null;
  const { name, kind, priority, placements, definition, startsAt, endsAt } = original;
  const offer = await createOffer(scope.shop, { name: copyName(name), kind, status: "paused", priority, placements, definition, startsAt, endsAt }, createKey);
  forgetShop(scope.shop); // the ingest's cached offer ids: the copy's events count once it is resumed
  // The copy is paused, so what shoppers get is unchanged; publishing keeps the status true.
  return { offer, publish: await publishShop(scope.admin, scope.shop) };
}

export async function removeOffer(scope: AdminScope, id: string): Promise<{ deleted: boolean; publish?: PublishOutcome }> {
  const deleted = await deleteOffer(scope.shop, id);
  return deleted ? { deleted, publish: await publishShop(scope.admin, scope.shop) } : { deleted };
}

export async function bulkOffers(
  scope: AdminScope,
  action: BulkAction,
  target: { ids: string[] } | { all: OfferFilters },
): Promise<{ count: number; publish?: PublishOutcome }> {
  const count = await bulkUpdate(scope.shop, action, target);
  return count ? { count, publish: await publishShop(scope.admin, scope.shop) } : { count };
}

export async function republish(scope: AdminScope): Promise<PublishOutcome> {
  return publishShop(scope.admin, scope.shop);
}

// ---------------------------------------------------------------------------------------
// What the editor loads
// ---------------------------------------------------------------------------------------

export interface EditorData {
  offer: { id: string; version: number; updatedAt: string } | null;
  /** An idempotency key for this rendering of the form: a create or duplicate submitted
   *  twice with it makes one offer. */
  formKey: string;
  input: OfferInput;
  labels: Labels;
  shop: Pick<ShopContext, "name" | "currency" | "currencies" | "timezone">;
  publish: PublishStatus;
  hint?: string;
}

/** Labels for every product, variant and collection an input names. */
export async function labelsFor(admin: AdminApi, input: OfferInput, currency: string): Promise<Labels> {
  const refs = {
    products: [...input.trigger.products, ...input.exclude.products],
    variants: [...input.trigger.variants, ...input.variants, ...input.components.map((c) => c.variantId)],
    collections: [...input.trigger.collections, ...input.exclude.collections],
  };
  if (!refs.products.length && !refs.variants.length && !refs.collections.length) return {};
  return loadLabels(admin, refs, currency);
}

async function editorData(scope: AdminScope, offer: OfferRecord | null, input: OfferInput, context: ShopContext, hint?: string): Promise<EditorData> {
  const [labels, publish] = await Promise.all([labelsFor(scope.admin, input, context.currency), publishStatus(scope.admin, scope.shop)]);
  return {
    offer: offer ? { id: offer.id, version: offer.version, updatedAt: offer.updatedAt.toISOString() } : null,
    formKey: randomUUID(),
    input,
    labels,
    shop: { name: context.name, currency: context.currency, currencies: context.currencies, timezone: context.timezone },
    publish,
    hint,
  };
}

/** The editor for an existing offer of this shop, or null (unknown here). */
export async function loadOfferEditor(scope: AdminScope, id: string): Promise<EditorData | null> {
  const offer = await getOffer(scope.shop, id);
  if (!offer) return null;
  const context = await loadShopContext(scope.admin, scope.shop);
  return editorData(scope, offer, recordToInput(offer, context.currency), context);
}

/** The editor for a new offer from a template. */
export async function loadNewOfferEditor(scope: AdminScope, templateId: TemplateId): Promise<EditorData> {
  const context = await loadShopContext(scope.admin, scope.shop);
  return editorData(scope, null, templateInput(templateId), context, findTemplate(templateId)?.hint);
}
