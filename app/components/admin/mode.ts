// Whether the admin runs inside Shopify (App Bridge present) or against the local shop
// (no App Bridge: Polaris stand-ins for the picker, toasts and the save bar). The app
// layout's loader says so (`localShop`); every admin page is under it.
import { useRouteLoaderData } from "@remix-run/react";
import type { ShopifyGlobal } from "@shopify/app-bridge-react";

export function useLocalShop(): boolean {
  const data = useRouteLoaderData("routes/app") as { localShop?: boolean } | undefined;
  return !!data?.localShop;
}

/** App Bridge's `shopify` global, when the page runs inside the Shopify admin. */
export function appBridge(): ShopifyGlobal | undefined {
  return typeof window == "undefined" ? undefined : (window as unknown as { shopify?: ShopifyGlobal }).shopify;
}
