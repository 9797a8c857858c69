// The app's front door outside the admin. Shopify opens /app with a shop; in local-shop
// mode there is nothing to log in to, so it goes straight to the admin.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { isLocalShop } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (isLocalShop || url.searchParams.get("shop")) {
    throw redirect(`/app${url.search}`);
  }
  throw redirect("/auth/login");
};
