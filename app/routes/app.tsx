// The embedded admin's frame. Inside Shopify, App Bridge and its navigation menu; in
// local-shop mode (no Shopify around it) Polaris alone, with the same links on the page.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider as ShopifyAppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticateAdmin, isLocalShop } from "../shopify.server";
import { LocalShopFrame } from "../components/LocalShopFrame";
import { polarisLocaleFor, polarisTranslations, requestedAdminLocale } from "../i18n/admin-locale.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const NAVIGATION = [
  { url: "/app", label: "Home" },
  { url: "/app/offers", label: "Offers" },
  { url: "/app/preview", label: "Preview" },
  { url: "/app/recommendations", label: "Recommendations" },
  { url: "/app/settings", label: "Settings" },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const locale = polarisLocaleFor(requestedAdminLocale(request, session.onlineAccessInfo?.associated_user.locale));
  return {
    apiKey: process.env.SHOPIFY_API_KEY || "",
    localShop: isLocalShop,
    shop: session.shop,
    locale,
    i18n: await polarisTranslations(locale),
  };
};

export default function AppLayout() {
  const { apiKey, localShop, shop, i18n } = useLoaderData<typeof loader>();
  if (localShop) {
    return (
      <PolarisAppProvider i18n={i18n} linkComponent={PolarisLink}>
        <LocalShopFrame shop={shop} navigation={NAVIGATION}>
          <Outlet />
        </LocalShopFrame>
      </PolarisAppProvider>
    );
  }
  return (
    <ShopifyAppProvider isEmbeddedApp apiKey={apiKey} i18n={i18n}>
      <NavMenu>
        {NAVIGATION.map((item, index) => (
          <Link key={item.url} to={item.url} rel={index === 0 ? "home" : undefined}>
            {item.label}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </ShopifyAppProvider>
  );
}

function PolarisLink({ url, children, external, ...rest }: { url: string; children?: React.ReactNode; external?: boolean }) {
  if (external) return <a href={url} target="_blank" rel="noreferrer" {...rest}>{children}</a>;
  return <Link to={url} {...rest}>{children}</Link>;
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
