// Stands in for the Shopify admin's chrome in local-shop mode: a top bar naming the
// demo shop and the app's navigation, so the demo reads like the embedded app.
import type { ReactNode } from "react";
import { NavLink } from "@remix-run/react";
import { Badge, InlineStack, Text } from "@shopify/polaris";

interface Props {
  shop: string;
  navigation: Array<{ url: string; label: string }>;
  children: ReactNode;
}

export function LocalShopFrame({ shop, navigation, children }: Props) {
  return (
    <div style={{ minHeight: "100vh", background: "var(--p-color-bg)" }}>
      <header
        style={{
          background: "#1a1a1a",
          color: "#fff",
          padding: "10px 20px",
          display: "flex",
          flexWrap: "wrap",
          alignItems: "center",
          gap: "8px 24px",
        }}
      >
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" variant="headingSm" tone="inherit">Cartlift</Text>
          <Badge tone="attention">Local shop</Badge>
          <Text as="span" variant="bodySm" tone="inherit">{shop}</Text>
        </InlineStack>
        <nav aria-label="Cartlift" style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px" }}>
          {navigation.map((item) => (
            <NavLink
              key={item.url}
              to={item.url}
              end={item.url === "/app"}
              style={({ isActive }) => ({
                color: "#fff",
                textDecoration: isActive ? "underline" : "none",
                fontWeight: isActive ? 650 : 450,
              })}
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
      </header>
      <main>{children}</main>
    </div>
  );
}
