// The live preview page: try sample carts against every live offer of the shop.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { loadShopContext } from "../offers/catalog.server";
import { PreviewPanel } from "../components/offers/PreviewPanel";
import { pageTitle } from "../components/admin/title";

export const meta = () => pageTitle("Preview");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const context = await loadShopContext(admin, session.shop);
  return { currency: context.currency, currencies: context.currencies };
};

export default function PreviewPage() {
  const { currency, currencies } = useLoaderData<typeof loader>();
  return (
    <Page title="Preview" subtitle="Build a sample cart and see what shoppers get, and why each other offer does not apply.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PreviewPanel currency={currency} currencies={currencies} wide />
            <Text as="p" tone="subdued" variant="bodySm">
              The preview runs the same offer engine as your storefront, checkout and discount, on the offers as they are saved now.
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
