// Product and collection search over the Admin API, for the editor's product choice in
// the local shop (inside Shopify, App Bridge's resource picker does this).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdmin, type AdminApi } from "../shopify.server";
import { loadShopContext, searchCollections, searchProducts } from "../offers/catalog.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  try {
    return await search(admin, session.shop, new URL(request.url));
  } catch (error) {
    // Shopify did not answer: say so where the merchant is searching, never a 500 page.
    console.error(`product search for ${session.shop}: Shopify did not answer:`, (error as Error)?.message ?? error);
    return Response.json({ error: "Shopify did not answer the search. Try again in a moment.", products: [], collections: [], nextCursor: null }, { status: 502 });
  }
};

async function search(admin: AdminApi, shop: string, url: URL): Promise<Response> {
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  if (url.searchParams.get("type") == "collections") return Response.json({ collections: await searchCollections(admin, q), products: [], nextCursor: null });
  // Prices are only displayed: the editor says which currency the shop uses.
  const given = url.searchParams.get("currency");
  const currency = given && /^[A-Z]{3}$/.test(given) ? given : (await loadShopContext(admin, shop)).currency;
  const found = await searchProducts(admin, q, currency, { first: 8, after: url.searchParams.get("after") });
  return Response.json({ ...found, collections: [], currency });
}
