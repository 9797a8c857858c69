// Whether the shop's offers are live, as Shopify holds them: the revision shoppers see,
// and when that is not what the merchant saved, "not live yet — publish again" with the
// reason and a button that publishes again.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { PublishStatus } from "../../offers/publisher.server";
import { formatDate } from "../../offers/explain";

function liveSummary(live: NonNullable<PublishStatus["live"]>, timezone: string): string {
  const parts = [`Revision ${live.revision}`];
  if (live.offerCount != null) parts.push(`${live.offerCount} live offer${live.offerCount == 1 ? "" : "s"}`);
  if (live.at) parts.push(`published ${formatDate(live.at, timezone, "en-US", { zone: true })}`);
  return parts.join(" · ");
}

/** `timezone`: the shop's (every admin page shows publish times in it, whatever the
 *  server's or the browser's zone). */
export function PublishStatusCard({ publish, timezone }: { publish: PublishStatus; timezone: string }) {
  const fetcher = useFetcher<{ publish?: { status: string } }>({ key: "republish" });
  const publishing = fetcher.state != "idle";
  const republish = () => fetcher.submit({ intent: "publish" }, { method: "post", action: "/app/offers?index" });
  const { state, live, reason } = publish;

  if (state == "stale" || state == "unknown")
    return (
      <Banner
        tone={state == "stale" ? "critical" : "warning"}
        title={state == "stale" ? "Not live yet — publish again" : "Could not check what is live"}
        action={{ content: "Publish again", onAction: republish, loading: publishing }}
      >
        <BlockStack gap="100">
          {reason ? <p data-testid="publish-error">{reason}</p> : null}
          <p id="publish-status">
            {state == "unknown"
              ? "Your saved offers are kept; publishing again makes sure shoppers see them."
              : live
                ? `Shoppers still see revision ${live.revision}${live.at ? ` (published ${formatDate(live.at, timezone, "en-US", { zone: true })})` : ""}.`
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
          {state == "live" ? <Badge tone="success">Live</Badge> : <Badge>Not published</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued" variant="bodySm" id="publish-status">
          {state == "live" && live ? liveSummary(live, timezone) : "Your offers go live when you save one."}
        </Text>
      </BlockStack>
    </Card>
  );
}
