// The shopper's first-party visitor id, for the holdout's assignment (app/analytics/
// holdout.ts). Kept like dismissals: localStorage when the shopper's privacy choices allow
// it (or the shop has no Customer Privacy API), otherwise sessionStorage, otherwise memory
// for the page's life. The id is random and never leaves the browser: only the group it
// hashes to goes on the cart.
import { mayPersist, type StorageHost } from "./dismissals";

const KEY = "cartlift:visitor";

export function visitorId(host: StorageHost & { crypto?: { randomUUID?: () => string } }, random = Math.random): string {
  const stores: Array<"localStorage" | "sessionStorage"> = mayPersist(host) ? ["localStorage", "sessionStorage"] : ["sessionStorage"];
  for (const name of stores) {
    try {
      const existing = host[name]?.getItem(KEY);
      if (existing) return existing;
    } catch {
      // blocked storage: try the next
    }
  }
  const id = host.crypto?.randomUUID?.() ?? random().toString(36).slice(2) + random().toString(36).slice(2);
  for (const name of stores) {
    try {
      host[name]?.setItem(KEY, id);
      return id;
    } catch {
      // try the next
    }
  }
  return id;
}
