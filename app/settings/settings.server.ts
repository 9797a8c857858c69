// Loading and saving a shop's settings (Shop.settings), scoped by the session's shop;
// every save is validated with the engine's rules and republishes the ruleset.
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { loadLabels, loadShopContext, loadVariants, snapshotOf, type Labels, type ShopContext } from "../offers/catalog.server";
import type { FieldErrors } from "../offers/model";
import type { AdminScope } from "../offers/offers.server";
import { publishShop, publishStatus, type PublishOutcome, type PublishStatus } from "../offers/publisher.server";
import { coerceSettingsInput, readSettings, settingsToInput, validateSettings, type SettingsInput, type ShopSettingsDoc } from "./settings";

export async function getSettings(shop: string): Promise<ShopSettingsDoc> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  return readSettings(row?.settings);
}

export interface SettingsPageData {
  input: SettingsInput;
  labels: Labels;
  shop: Pick<ShopContext, "name" | "currency" | "currencies">;
  publish: PublishStatus;
}

export async function loadSettingsPage(scope: AdminScope): Promise<SettingsPageData> {
  const [context, settings, publish] = await Promise.all([loadShopContext(scope.admin, scope.shop), getSettings(scope.shop), publishStatus(scope.admin, scope.shop)]);
  const gifts = settings.rewardTiers.flatMap((t) => (t.gift ? [t.gift] : []));
  const labels = gifts.length ? await loadLabels(scope.admin, { variants: gifts }, context.currency) : {};
  return {
    input: settingsToInput(settings, context.currency, context.currencies),
    labels,
    shop: { name: context.name, currency: context.currency, currencies: context.currencies },
    publish,
  };
}

export type SettingsSaveResult = { ok: true; settings: ShopSettingsDoc; publish: PublishOutcome } | { ok: false; errors: FieldErrors };

export async function saveSettings(scope: AdminScope, raw: unknown): Promise<SettingsSaveResult> {
  const input = coerceSettingsInput(raw);
  const context = await loadShopContext(scope.admin);
  const gifts = input.rewardTiers.map((t) => t.gift.trim()).filter(Boolean);
  const variants = gifts.length ? await loadVariants(scope.admin, gifts, context.currency) : new Map();
  const result = validateSettings(input, { currency: context.currency, currencies: context.currencies, products: snapshotOf(variants.values()) });
  if (!result.ok) return result;
  const settings = result.settings as unknown as Prisma.InputJsonValue;
  await prisma.$transaction(async (tx) => {
    await tx.shop.upsert({ where: { shop: scope.shop }, create: { shop: scope.shop, settings }, update: { settings } });
  });
  return { ok: true, settings: result.settings, publish: await publishShop(scope.admin, scope.shop) };
}
