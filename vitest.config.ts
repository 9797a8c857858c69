// Unit and integration tests. Integration tests share one real Postgres for the run:
// the embedded one (PGlite) by default, or the server named by DATABASE_URL
// (tests/setup/database.ts). Each test uses its own shop domain, so files can run in
// parallel without seeing each other's rows.
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}", "extensions/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/setup/database.ts"],
    setupFiles: ["tests/setup/env.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
  },
});
