// Recommendations: reading the shop's last 60 days of orders (progress, state, time left),
// when the frequently-bought-together lists were last rebuilt, and what they say, with
// the reason for every pick.
import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, ProgressBar, Text, Thumbnail } from "@shopify/polaris";
import { authenticateAdmin } from "../shopify.server";
import { loadRecommendationsPage, recommendationsAction } from "../recommendations/page.server";
import { formatDate } from "../offers/explain";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  return loadRecommendationsPage({ admin, shop: session.shop });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const form = await request.formData();
  return recommendationsAction({ admin, shop: session.shop }, String(form.get("intent") ?? ""));
};

const STATUS: Record<string, { label: string; tone?: "success" | "info" | "critical" | "attention" }> = {
  idle: { label: "Not read yet" },
  running: { label: "Reading orders", tone: "info" },
  importing: { label: "Storing orders", tone: "info" },
  completed: { label: "Up to date", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
};

function timeLeft(ms: number | null): string {
  if (ms === null) return "estimating time left";
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `about ${s} s left` : `about ${Math.ceil(s / 60)} min left`;
}

export default function Recommendations() {
  const { progress, lists, timezone } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  const busy = progress.status == "running" || progress.status == "importing";
  const submitting = fetcher.state != "idle";

  // While the export runs, look again every second: each look moves it forward. After the
  // import, until its lists are rebuilt, too (else "Up to date" sits beside "No lists yet").
  const watching = busy || progress.listsPending;
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => {
      if (revalidator.state == "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [watching, revalidator]);

  const status = STATUS[progress.status] ?? STATUS.idle!;
  const storedShare = progress.ordersRead ? Math.min(100, Math.round((progress.ordersStored / progress.ordersRead) * 100)) : 0;
  const share = progress.ordersExpected ? Math.min(100, Math.round((progress.ordersRead / progress.ordersExpected) * 100)) : 0;

  return (
    <Page title="Recommendations" subtitle="Frequently bought together, mined from your own orders">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingSm">
                    Order history
                  </Text>
                  <span data-testid="backfill-status">
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </span>
                </InlineStack>
                <Text as="p" tone="subdued">
                  Cartlift reads the last 60 days of orders (what Shopify allows without extra permissions) once, then keeps up
                  with new orders as they come in. Cancelled and refunded orders are left out.
                </Text>
                {busy && (
                  <BlockStack gap="100">
                    <ProgressBar progress={progress.status == "importing" ? storedShare : share} size="small" />
                    <div data-testid="backfill-progress"><Text as="p">
                      {progress.status == "running"
                        ? `${progress.ordersRead.toLocaleString("en-US")} of ${progress.ordersExpected.toLocaleString("en-US")} orders read · ${timeLeft(progress.msLeft)}`
                        : `${progress.ordersRead.toLocaleString("en-US")} orders read · ${progress.ordersStored.toLocaleString("en-US")} stored · ${timeLeft(progress.msLeft)}`}
                    </Text></div>
                  </BlockStack>
                )}
                {progress.status == "completed" && progress.finishedAt && (
                  <div data-testid="backfill-progress"><Text as="p">
                    {progress.ordersRead.toLocaleString("en-US")} orders read on {formatDate(progress.finishedAt, timezone)} (
                    {progress.ordersImported.toLocaleString("en-US")} new).
                  </Text></div>
                )}
                {progress.status == "completed" && progress.error && (
                  <Banner tone="warning" title="The lists were not rebuilt">
                    <p data-testid="backfill-error">{progress.error}</p>
                  </Banner>
                )}
                {progress.status == "failed" && progress.error && (
                  <Banner tone="critical" title="The order history could not be read">
                    <p data-testid="backfill-error">{progress.error}</p>
                  </Banner>
                )}
                <InlineStack>
                  <Button
                    onClick={() => fetcher.submit({ intent: "backfill" }, { method: "post" })}
                    loading={submitting && fetcher.formData?.get("intent") == "backfill"}
                    disabled={busy}
                  >
                    {progress.status == "idle" ? "Read the last 60 days of orders" : "Read the last 60 days again"}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingSm">
                    Frequently bought together
                  </Text>
                  <Button
                    variant="plain"
                    onClick={() => fetcher.submit({ intent: "rebuild" }, { method: "post" })}
                    loading={submitting && fetcher.formData?.get("intent") == "rebuild"}
                    disabled={busy}
                  >
                    Rebuild now
                  </Button>
                </InlineStack>
                <div data-testid="lists-rebuilt"><Text as="p">
                  {progress.listsPending
                    ? "Rebuilding the lists from the orders just read…"
                    : progress.lastRebuiltAt
                    ? `Lists last rebuilt ${formatDate(progress.lastRebuiltAt, timezone)} from ${progress.ordersUsed.toLocaleString("en-US")} orders in ${progress.rebuildMs ?? 0} ms: ${progress.productsWithLists} products have picks.`
                    : "No lists yet: read the order history first."}
                </Text></div>
                {lists.length > 0 && (
                  <BlockStack gap="300">
                    {lists.map((list) => (
                      <Box key={list.productId} paddingBlockStart="200" borderBlockStartWidth="025" borderColor="border">
                        <BlockStack gap="200">
                          <InlineStack gap="200" blockAlign="center">
                            <Thumbnail source={list.image ?? ""} alt="" size="extraSmall" />
                            <Text as="h3" variant="headingSm">
                              {list.title}
                            </Text>
                          </InlineStack>
                          <BlockStack gap="100">
                            {list.picks.map((pick) => (
                              <InlineStack key={pick.productId} gap="200" blockAlign="center" wrap={false}>
                                <Box minWidth="24px" />
                                <Text as="span">{pick.title}</Text>
                                <span data-testid="pick-reason"><Text as="span" tone="subdued">
                                  {pick.reason}
                                </Text></span>
                              </InlineStack>
                            ))}
                          </BlockStack>
                        </BlockStack>
                      </Box>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
