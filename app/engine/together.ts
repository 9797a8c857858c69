// Reading a product's frequently-bought-together list as published in its `$app` product
// metafield `frequently_bought_together` (app/recommendations/publish.server.ts), for the
// engine's `Context.together`. Every surface reads the metafield through this one function,
// so a change of the published format is one change here.
//
// Format v1 (json): {"v":1,"windowDays":60,"recentDays":30,"builtAt":"…",
//   "picks":[{"product":"gid://shopify/Product/1003","score":0.52,"orders":61,"recent":40}]}
// (a back-off pick, whose pair failed the significance test, carries "sig":false).
// Invariants: never throws; anything it cannot read gives an empty list (no offer is better
// than a wrong one); ids come out as the engine's numeric strings.
import type { TogetherPick } from "./types";

const count = (x: unknown) => (typeof x == "number" && x >= 0 && x < Infinity ? x : -1);

/** The picks of a metafield value (the parsed JSON or its text), best first. */
export function readTogether(value: unknown): TogetherPick[] {
  try {
    const doc = typeof value == "string" ? JSON.parse(value) : value;
    if (!doc || doc.v != 1 || !Array.isArray(doc.picks)) return [];
    const out: TogetherPick[] = [];
    for (const p of doc.picks) {
      const id = typeof p?.product == "string" ? /(?:^|\/)(\d+)$/.exec(p.product)?.[1] : undefined;
      const score = count(p?.score);
      const orders = count(p?.orders);
      const recent = count(p?.recent);
      if (id && score >= 0 && orders >= 0 && recent >= 0) out.push({ productId: id, score: Math.min(1, score), orders, recent, ...(p.sig === false ? { significant: false } : {}) });
    }
    return out;
  } catch {
    return [];
  }
}
