// End-to-end tests in the machine's Chromium (never a downloaded browser), against the
// app exactly as `npm run demo` serves it, on its own port and an in-memory database.
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3190);
export const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
    // The storefront on a phone (Chromium with Pixel 7's viewport, touch and user agent).
    { name: "mobile", use: { ...devices["Pixel 7"], channel: undefined }, testMatch: /storefront.*\.spec\.ts/ },
  ],
  webServer: {
    command: "npm run demo",
    url: `${baseURL}/app`,
    // `npm run demo` builds the extensions and (when its sources changed) the admin first.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // With DATABASE_URL set (CI's second pass) the demo runs on that server instead.
    env: { PORT: String(PORT), CARTLIFT_DATA_DIR: "memory", CARTLIFT_DEMO_OFFERS: "0" },
  },
});
