import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text, Button } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { getShopOverview } from "../shop/overview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  return getShopOverview(admin, session.shop);
};

export default function Home() {
  const overview = useLoaderData<typeof loader>();
  return (
    <Page title="Cartlift">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{overview.nextStep.title}</Text>
              <Text as="p">{overview.nextStep.body}</Text>
              <div>
                <Button variant="primary" url={overview.nextStep.action.url}>
                  {overview.nextStep.action.label}
                </Button>
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Your shop</Text>
              <InlineGrid columns={2} gap="200">
                <Text as="span" tone="subdued">Shop</Text>
                <Text as="span" fontWeight="semibold" id="shop-name">{overview.name}</Text>
                <Text as="span" tone="subdued">Domain</Text>
                <Text as="span">{overview.domain}</Text>
                <Text as="span" tone="subdued">Currency</Text>
                <Text as="span">
                  {[overview.currency, ...overview.presentmentCurrencies.filter((c) => c !== overview.currency)].join(", ")}
                </Text>
                <Text as="span" tone="subdued">Catalog</Text>
                <Text as="span" id="catalog-size">{overview.productCount} products</Text>
                <Text as="span" tone="subdued">Offers</Text>
                <Text as="span">{overview.offerCount}</Text>
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
