// The live preview: a page to try sample carts against every live offer, and the action
// the offer editor posts its unsaved offer to.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { loadShopContext } from "../offers/catalog.server";
import { previewOffers } from "../offers/preview.server";
import { PreviewPanel } from "../components/offers/PreviewPanel";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticateAdmin(request);
  const context = await loadShopContext(admin);
  return { currency: context.currency, currencies: context.currencies };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const body = (await request.json().catch(() => ({}))) as { sample?: unknown; draft?: unknown; offerId?: string | null };
  const locale = request.headers.get("accept-language")?.split(",")[0] || "en-US";
  return previewOffers({ admin, shop: session.shop }, { sample: body.sample, draft: body.draft ?? undefined, offerId: typeof body.offerId == "string" ? body.offerId : null }, safeLocale(locale));
};

function safeLocale(tag: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag])[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

export default function PreviewPage() {
  const { currency, currencies } = useLoaderData<typeof loader>();
  return (
    <Page title="Preview" subtitle="Build a sample cart and see what shoppers get, and why each other offer does not apply.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PreviewPanel currency={currency} currencies={currencies} />
            <Text as="p" tone="subdued" variant="bodySm">
              The preview runs the same offer engine as your storefront, checkout and discount, on the offers as they are saved now.
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
