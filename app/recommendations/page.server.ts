// The admin's Recommendations page: the backfill's progress (stepped forward on each look
// while it runs) and a preview of the mined lists with the reason for each pick.
import type { AdminApi } from "../shopify.server";
import { shortId } from "../engine";
import { loadLabels, loadShopContext } from "../offers/catalog.server";
import { advanceBackfill, getBackfillProgress, startBackfill, type BackfillProgress } from "./backfill.server";
import { getStoredLists } from "./lists.server";
import { rebuildAndPublish, rebuildIfDue } from "./publish.server";

export interface ListPreview {
  productId: string;
  title: string;
  image: string | null;
  picks: { productId: string; title: string; image: string | null; orders: number; recentOrders: number; reason: string }[];
}

export interface RecommendationsPage {
  progress: BackfillProgress;
  timezone: string;
  lists: ListPreview[];
}

/** "Bought together in 37 orders in the last 60 days" (a true statement about one pair). */
export function pickReason(orders: number, windowDays = 60): string {
  return `Bought together in ${orders} order${orders == 1 ? "" : "s"} in the last ${windowDays} days`;
}

export async function loadRecommendationsPage({ admin, shop }: { admin: AdminApi; shop: string }, limit = 12): Promise<RecommendationsPage> {
  // A look at the page also rebuilds stale lists (enough new orders, or a day old).
  // The import of a finished export runs beside the page (its batches write the progress).
  if ((await advanceBackfill(shop, admin, { background: true })).status == "completed") await rebuildIfDue(shop, admin).catch(() => undefined);
  const progress = await getBackfillProgress(shop);
  const context = await loadShopContext(admin, shop);
  const stored = await getStoredLists(shop);
  // The anchors with the most co-purchase evidence first.
  const anchors = Object.entries(stored)
    .sort((a, b) => (b[1][0]?.orders ?? 0) - (a[1][0]?.orders ?? 0))
    .slice(0, limit);
  const products = [...new Set(anchors.flatMap(([id, picks]) => [id, ...picks.slice(0, 3).map((p) => p.productId)]))].map(shortId);
  const labels = products.length ? await loadLabels(admin, { products }, context.currency) : {};
  const label = (id: string) => labels[`product:${shortId(id)}`];
  return {
    progress,
    timezone: context.timezone,
    lists: anchors
      .filter(([id]) => label(id))
      .map(([id, picks]) => ({
        productId: id,
        title: label(id)!.title,
        image: label(id)!.image ?? null,
        picks: picks
          .filter((p) => label(p.productId))
          .slice(0, 3)
          .map((p) => ({
            productId: p.productId,
            title: label(p.productId)!.title,
            image: label(p.productId)!.image ?? null,
            orders: p.orders,
            recentOrders: p.recentOrders,
            reason: pickReason(p.orders),
          })),
      })),
  };
}

export async function recommendationsAction({ admin, shop }: { admin: AdminApi; shop: string }, intent: string) {
  if (intent == "backfill") return { ok: true as const, progress: await startBackfill(shop, admin) };
  if (intent == "rebuild") {
    try {
      return { ok: true as const, rebuilt: await rebuildAndPublish(shop, admin) };
    } catch (error) {
      return { ok: false as const, error: `The lists were not published: ${(error as Error).message}` };
    }
  }
  return { ok: false as const, error: `Unknown action: ${intent}` };
}
