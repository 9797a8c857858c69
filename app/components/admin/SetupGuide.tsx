// The setup guide card on the admin home: each step with its state (read from the shop by
// app/shop/setup-guide.server.ts) and the link that does it.
import { Badge, BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { SetupGuide as Guide, StepState } from "../../shop/setup-guide.server";

const BADGES: Record<StepState, { label: string; tone: "success" | "attention" | "info" | undefined }> = {
  done: { label: "Done", tone: "success" },
  todo: { label: "Not done", tone: "attention" },
  unknown: { label: "Unknown", tone: undefined },
  check: { label: "To check", tone: "info" },
};

export function SetupGuide({ guide }: { guide: Guide }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">Setup guide</Text>
          <Text as="span" tone="subdued" id="setup-progress">{guide.done} of {guide.steps.length} done</Text>
        </InlineStack>
        <BlockStack as="ol" gap="300">
          {guide.steps.map((step) => (
            <li key={step.id} data-step={step.id} data-state={step.state} style={{ listStyle: "none" }}>
              <Box borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                    <Text as="h3" variant="headingSm">{step.title}</Text>
                    <Badge tone={BADGES[step.state].tone}>{BADGES[step.state].label}</Badge>
                  </InlineStack>
                  <Text as="p" tone="subdued">{step.body}</Text>
                  {step.state === "done" && step.id !== "first-offer" ? null : (
                    <div>
                      <Button
                        variant={step.state === "todo" ? "primary" : undefined}
                        url={step.action.url}
                        target={step.action.external ? "_top" : undefined}
                      >
                        {step.action.label}
                      </Button>
                    </div>
                  )}
                </BlockStack>
              </Box>
            </li>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
