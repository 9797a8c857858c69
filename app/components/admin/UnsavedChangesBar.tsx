// The contextual save bar for unsaved changes: App Bridge's inside Shopify, a Polaris
// bar of the same shape in the local shop.
import { SaveBar } from "@shopify/app-bridge-react";
import { Button, InlineStack, Text } from "@shopify/polaris";
import { useLocalShop } from "./mode";

interface Props {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}

// App Bridge's save bar takes plain buttons with a `variant` attribute.
const primary = { variant: "primary" } as object;

export function UnsavedChangesBar({ id, open, saving, onSave, onDiscard }: Props) {
  const local = useLocalShop();
  if (!local)
    return (
      <SaveBar id={id} open={open}>
        <button {...primary} onClick={onSave} disabled={saving} {...(saving ? { loading: "" } : {})}>
          Save
        </button>
        <button onClick={onDiscard} disabled={saving}>
          Discard
        </button>
      </SaveBar>
    );
  if (!open) return null;
  return (
    <div
      role="region"
      aria-label="Unsaved changes"
      // Like Shopify's contextual save bar, it takes the top bar's place while changes are unsaved.
      style={{
        position: "fixed",
        top: 0,
        left: 0,
        right: 0,
        minHeight: 44,
        zIndex: 520,
        background: "var(--p-color-bg-inverse, #1a1a1a)",
        color: "#fff",
        padding: "6px 20px",
        display: "flex",
        justifyContent: "space-between",
        alignItems: "center",
        boxShadow: "0 2px 8px rgba(0,0,0,.15)",
      }}
    >
      <Text as="span" variant="headingSm" tone="inherit">
        Unsaved changes
      </Text>
      <InlineStack gap="200">
        <Button onClick={onDiscard} disabled={saving}>
          Discard
        </Button>
        <Button variant="primary" tone="success" onClick={onSave} loading={saving}>
          Save
        </Button>
      </InlineStack>
    </div>
  );
}
