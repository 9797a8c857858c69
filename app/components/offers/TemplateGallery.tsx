// The strategies to start an offer from (and the free-shipping bar, which is a setting).
import { BlockStack, Button, Card, InlineGrid, Text, Badge, InlineStack } from "@shopify/polaris";
import { TEMPLATES } from "../../offers/templates";
import { KIND_LABELS } from "../../offers/model";

export function TemplateGallery() {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
      {TEMPLATES.map((template) => {
        const url = template.settingsUrl ?? `/app/offers/new?template=${template.id}`;
        const action = template.settingsUrl ? "Open settings" : template.id == "scratch" ? "Start blank" : "Use template";
        return (
          <Card key={template.id}>
            <BlockStack gap="300" inlineAlign="start">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {template.name}
                </Text>
                <Badge tone={template.settingsUrl ? "info" : undefined}>{template.kind ? KIND_LABELS[template.kind] : "Setting"}</Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {template.description}
              </Text>
              {/* The visible words first in the name (WCAG 2.5.3), then which template. */}
              <Button url={url} accessibilityLabel={`${action}: ${template.name}`}>
                {action}
              </Button>
            </BlockStack>
          </Card>
        );
      })}
    </InlineGrid>
  );
}
