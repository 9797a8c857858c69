/**
 * Shopify's own Admin GraphQL introspection, as shipped by the npm package
 * `@shopify/dev-mcp` (a devDependency; read from node_modules, never downloaded). The local
 * shop builds its schema from it, and the tests validate the app's operations against it.
 */
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The Admin API version the app asks for (`ApiVersion.October26`). */
export const ADMIN_API_VERSION = "2026-10";

function dataDir(): string {
  // localshop/admin-api → project root → node_modules/@shopify/dev-mcp/dist/data
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "node_modules", "@shopify", "dev-mcp", "dist", "data");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("@shopify/dev-mcp is not installed: run `npm ci` (it is a devDependency and carries Shopify's schemas)");
}

/** The introspection result of one of Shopify's APIs, e.g. `admin_2026-10`. */
export function readShopifyIntrospection(name: string): IntrospectionQuery {
  const raw = JSON.parse(gunzipSync(readFileSync(join(dataDir(), `${name}.json.gz`))).toString("utf8"));
  return (raw.data ?? raw) as IntrospectionQuery;
}

const schemas = new Map<string, GraphQLSchema>();

/** Shopify's Admin GraphQL schema of `version` (built once per process). */
export function shopifyAdminSchema(version = ADMIN_API_VERSION): GraphQLSchema {
  let schema = schemas.get(version);
  if (!schema) {
    schema = buildClientSchema(readShopifyIntrospection(`admin_${version}`), { assumeValid: true });
    schemas.set(version, schema);
  }
  return schema;
}
