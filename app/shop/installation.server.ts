// When Shopify last authorised Cartlift for a shop (Shop.installedAt). Written by the
// afterAuth hook (an install, a reinstall, a token exchange) and by the demo's local-shop
// session: the app was installed at that instant. shop/redact compares it with when Shopify
// triggered the request, so a redaction meant for an earlier installation, redelivered
// after the merchant installed Cartlift again, never erases the new installation's data
// (even when the old installation's rows are still there because its app/uninstalled
// never arrived).
import prisma from "../db.server";

export async function recordInstallation(shop: string, at: Date = new Date()): Promise<void> {
  await prisma.shop.upsert({ where: { shop }, create: { shop, installedAt: at }, update: { installedAt: at } });
}
