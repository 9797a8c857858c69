// Integration support: an in-process local shop (the Admin API double), and Admin API
// clients for any number of unique shop domains, all served by that local shop. The app's
// own code runs unchanged: its Shopify library client calls `https://<shop>/admin/api/…`,
// which is routed to the double here.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { Session } from "@shopify/shopify-api";
import { startLocalShop, type RunningLocalShop } from "../../../localshop/server";
import { createLocalShop, type LocalShopOptions } from "../../../localshop/state";

export interface TestShop {
  local: RunningLocalShop;
  /** An Admin API client and scope for `shop` (a session is stored for it). */
  scopeFor(shop: string): Promise<{ admin: import("../../../app/shopify.server").AdminApi; shop: string }>;
  /** How many Admin API answers were THROTTLED so far. */
  throttled(): number;
  stop(): Promise<void>;
}

export async function startTestShop(options: LocalShopOptions = {}): Promise<TestShop> {
  const local = await startLocalShop({ state: createLocalShop(options) });
  // Imported after the env is ready; shopify.server reads LOCAL_SHOP_URL when loaded.
  const { sessionStorage, unauthenticated } = await import("../../../app/shopify.server");
  const baseFetch = globalThis.fetch;
  let throttled = 0;
  setAbstractFetchFunc(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : (input as Request).url;
    const m = /^https:\/\/[^/]+\.myshopify\.com\/(admin\/.*)$/.exec(url);
    if (!m) return baseFetch(input as RequestInfo, init);
    const response = await baseFetch(`${local.url}/${m[1]}`, init);
    if ((await response.clone().text()).includes('"THROTTLED"')) throttled++;
    return response;
  });
  return {
    local,
    async scopeFor(shop: string) {
      const id = `offline_${shop}`;
      if (!(await sessionStorage.loadSession(id))) {
        await sessionStorage.storeSession(new Session({ id, shop, state: "test", isOnline: false, scope: "read_products,write_discounts,read_orders,write_pixels,read_customer_events,read_themes", accessToken: "shpat_test" }));
      }
      const { admin } = await unauthenticated.admin(shop);
      return { admin, shop };
    },
    throttled: () => throttled,
    stop: () => local.stop(),
  };
}
