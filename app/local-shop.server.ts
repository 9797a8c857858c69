// Local-shop mode: the app runs against the project's Admin API double instead of
// Shopify (no machine that builds Cartlift can reach Shopify). The server entry turns it
// on by setting LOCAL_SHOP_URL; production refuses it.
export const LOCAL_SHOP_DOMAIN = "cartlift-demo.myshopify.com";
export const LOCAL_SHOP_ACCESS_TOKEN = "shpat_local_shop_offline_token";

export function localShopUrl(): string | undefined {
  const url = process.env.LOCAL_SHOP_URL;
  if (!url) return undefined;
  if (process.env.NODE_ENV === "production") {
    throw new Error("LOCAL_SHOP_URL is set in production: the local shop is for development and tests only");
  }
  return url.replace(/\/$/, "");
}

/** Sends Admin API calls for the local shop's domain to the double; everything else is untouched. */
export function localShopFetch(baseFetch: typeof fetch, shopUrl: string): typeof fetch {
  const prefix = `https://${LOCAL_SHOP_DOMAIN}/`;
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(prefix)) {
      return baseFetch(`${shopUrl}/${url.slice(prefix.length)}`, init);
    }
    return baseFetch(input, init);
  };
}
