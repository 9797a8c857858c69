// Whether the shop's offers are live: the latest publish, its revision and time, and any
// error with what to do about it (and a way to publish again).
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { PublishStatus } from "../../offers/publisher.server";
import { formatDate } from "../../offers/explain";

export function PublishStatusCard({ publish, timezone }: { publish: PublishStatus; timezone?: string }) {
  const fetcher = useFetcher<{ publish?: { status: string } }>({ key: "republish" });
  const publishing = fetcher.state != "idle";
  const republish = () => fetcher.submit({ intent: "publish" }, { method: "post", action: "/app/offers?index" });
  const { latest, lastPublished } = publish;

  if (latest?.status == "failed")
    return (
      <Banner
        tone="critical"
        title="Your latest changes are not live"
        action={{ content: "Publish again", onAction: republish, loading: publishing }}
      >
        <BlockStack gap="100">
          <p data-testid="publish-error">{latest.error}</p>
          <p>
            {lastPublished
              ? `Shoppers still see revision ${lastPublished.revision} (published ${formatDate(lastPublished.at, timezone)}).`
              : "Nothing has been published yet: shoppers see no offers."}
          </p>
        </BlockStack>
      </Banner>
    );

  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            Storefront
          </Text>
          {latest ? <Badge tone="success">Live</Badge> : <Badge>Not published</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued" variant="bodySm" id="publish-status">
          {latest
            ? `Revision ${latest.revision} · ${latest.offerCount} live offer${latest.offerCount == 1 ? "" : "s"} · published ${formatDate(latest.at, timezone)}`
            : "Your offers go live when you save one."}
        </Text>
      </BlockStack>
    </Card>
  );
}
