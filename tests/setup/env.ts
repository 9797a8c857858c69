// Each test worker: the run's database and the app's Shopify settings (any values work
// offline; webhook signatures in the tests are made with this secret).
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SHOPIFY_API_KEY ??= "cartlift-test-key";
process.env.SHOPIFY_API_SECRET ??= "cartlift-test-secret";
process.env.SHOPIFY_APP_URL ??= "https://cartlift.test";
