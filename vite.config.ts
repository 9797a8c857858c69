import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    // The server entry (server.ts) runs Vite in middleware mode; HMR gets its own port.
    hmr: { port: Number(process.env.HMR_PORT ?? 64999) },
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Everything the admin's client graph reaches, declared up front: with a cold cache
  // Vite would otherwise discover some of these after the first page load, re-optimise
  // and reload the open page (losing what the merchant was typing).
  optimizeDeps: {
    include: [
      "@shopify/app-bridge-react",
      "@shopify/polaris",
      "@remix-run/node",
      "@shopify/shopify-app-remix/server",
      "@shopify/shopify-app-remix/react",
      "@shopify/shopify-app-remix/adapters/node",
      "@shopify/shopify-api",
      "@shopify/shopify-api/runtime",
      "@shopify/shopify-app-session-storage-prisma",
      "@prisma/adapter-pg",
      "@prisma/client",
      "@shopify/polaris-viz",
    ],
  },
}) as never;
