// Reading a product's frequently-bought-together list as published in its `$app` product
// metafield `frequently_bought_together` (app/recommendations/publish.server.ts), for the
// engine's `Context.together`. Every surface reads the metafield through this one function,
// so a change of the published format is one change here.
//
// Format v1 (json): {"v":1,"windowDays":60,"recentDays":30,"builtAt":"…",
//   "picks":[{"product":"gid://shopify/Product/1003","score":0.52,"orders":61,"recent":40}]}
// (a back-off pick, whose pair failed the significance test, carries "sig":false).
// Invariants: never throws; a value it cannot read gives an empty list (no offer is better
// than a wrong one); ids come out as the engine's numeric strings.
import type { TogetherPick } from "./types";

/** The picks of a metafield value (the parsed JSON or its text), best first. Entries are
 *  passed on as read: the engine skips any whose fields are not what it needs. Kept small:
 *  it ships in the storefront and checkout bundles. */
export function readTogether(value: unknown): TogetherPick[] {
  try {
    const doc = typeof value == "string" ? JSON.parse(value) : value;
    return doc.v == 1
      ? doc.picks.map((p: { product: string; score: number; orders: number; recent: number; sig?: boolean }) => ({
          productId: String(p.product).replace(/.*\//, ""),
          score: p.score,
          orders: p.orders,
          recent: p.recent,
          significant: p.sig !== false,
        }))
      : [];
  } catch {
    return [];
  }
}
