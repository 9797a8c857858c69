// Loading and saving a shop's settings (Shop.settings), scoped by the session's shop;
// every save is validated with the engine's rules and republishes the ruleset. A save
// names the settings version it started from (Shop.settingsVersion), like an offer save:
// of two tabs saving over the same version, the later is refused and keeps its edits.
import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { loadLabels, loadShopContext, loadVariants, snapshotOf, type Labels, type ShopContext } from "../offers/catalog.server";
import type { FieldErrors } from "../offers/model";
import { SHOPIFY_UNAVAILABLE, type AdminScope } from "../offers/offers.server";
import { publishShop, publishStatus, type PublishOutcome, type PublishStatus } from "../offers/publisher.server";
import { coerceSettingsInput, readSettings, settingsToInput, validateSettings, type SettingsInput, type ShopSettingsDoc } from "./settings";

export async function getSettings(shop: string): Promise<ShopSettingsDoc> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  return readSettings(row?.settings);
}

/** The version a settings save must name (0: never saved). */
export async function getSettingsVersion(shop: string): Promise<number> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settingsVersion: true } });
  return row?.settingsVersion ?? 0;
}

export interface SettingsPageData {
  input: SettingsInput;
  /** The stored settings' version: the form sends it back with a save. */
  version: number;
  labels: Labels;
  shop: Pick<ShopContext, "name" | "currency" | "currencies" | "timezone">;
  publish: PublishStatus;
}

export async function loadSettingsPage(scope: AdminScope): Promise<SettingsPageData> {
  const [context, row, publish] = await Promise.all([
    loadShopContext(scope.admin, scope.shop),
    prisma.shop.findUnique({ where: { shop: scope.shop }, select: { settings: true, settingsVersion: true } }),
    publishStatus(scope.admin, scope.shop),
  ]);
  const settings = readSettings(row?.settings);
  const gifts = settings.rewardTiers.flatMap((t) => (t.gift ? [t.gift] : []));
  const labels = gifts.length ? await loadLabels(scope.admin, { variants: gifts }, context.currency) : {};
  return {
    input: settingsToInput(settings, context.currency, context.currencies),
    version: row?.settingsVersion ?? 0,
    labels,
    shop: { name: context.name, currency: context.currency, currencies: context.currencies, timezone: context.timezone },
    publish,
  };
}

export type SettingsSaveResult =
  | { ok: true; settings: ShopSettingsDoc; version: number; publish: PublishOutcome }
  | { ok: false; errors: FieldErrors; reason: "invalid" | "conflict" | "shopify" };

/** What the merchant reads when another tab (or person) saved the settings first. */
export const SETTINGS_CONFLICT =
  "These settings were changed in another tab or by someone else since you opened them, so yours were not saved. Your changes are still here: reload to see theirs.";

class SettingsConflictError extends Error {}

/** Validates and stores the settings over `version` (the one the form started from), then
 *  publishes. A stale version, invalid input or a Shopify outage changes nothing. */
export async function saveSettings(scope: AdminScope, raw: unknown, version: number): Promise<SettingsSaveResult> {
  const input = coerceSettingsInput(raw);
  let context: Awaited<ReturnType<typeof loadShopContext>>;
  let variants: Awaited<ReturnType<typeof loadVariants>>;
  try {
    context = await loadShopContext(scope.admin);
    const gifts = input.rewardTiers.map((t) => t.gift.trim()).filter(Boolean);
    variants = gifts.length ? await loadVariants(scope.admin, gifts, context.currency) : new Map();
  } catch (error) {
    console.error(`saving settings for ${scope.shop}: Shopify did not answer:`, (error as Error)?.message ?? error);
    return { ok: false, errors: { form: SHOPIFY_UNAVAILABLE }, reason: "shopify" };
  }
  const result = validateSettings(input, { currency: context.currency, currencies: context.currencies, products: snapshotOf(variants.values()) });
  if (!result.ok) return { ...result, reason: "invalid" };
  const settings = result.settings as unknown as Prisma.InputJsonValue;
  let saved: number;
  try {
    saved = await prisma.$transaction(async (tx) => {
      const { count } = await tx.shop.updateMany({ where: { shop: scope.shop, settingsVersion: version }, data: { settings, settingsVersion: { increment: 1 } } });
      if (count == 1) return version + 1;
      const row = await tx.shop.findUnique({ where: { shop: scope.shop }, select: { settingsVersion: true } });
      if (row || version != 0) throw new SettingsConflictError();
      await tx.shop.create({ data: { shop: scope.shop, settings, settingsVersion: 1 } });
      return 1;
    });
  } catch (error) {
    // A stale version, or another first save creating the row at the same moment.
    if (error instanceof SettingsConflictError || (error instanceof Prisma.PrismaClientKnownRequestError && error.code == "P2002"))
      return { ok: false, errors: { form: SETTINGS_CONFLICT }, reason: "conflict" };
    throw error;
  }
  return { ok: true, settings: result.settings, version: saved, publish: await publishShop(scope.admin, scope.shop) };
}
