// Every Admin GraphQL operation the app sends, with the variables it really sends, checked
// against Shopify's own Admin API 2026-10 schema (the introspection `@shopify/dev-mcp`
// ships): the document must validate, the variables must coerce, and nothing deprecated
// may be used (fields, arguments, enum values, input fields; in the document or the
// variables). The app's services run unchanged against the local shop; a recorder on the
// Admin API client keeps what they send. Every `#graphql` operation in app/ must be among
// the recorded ones, so a new operation cannot slip past this test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  NoDeprecatedCustomRule,
  parse,
  typeFromAST,
  validate,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveOffer, republish } from "../../../app/offers/offers.server";
import { templateInput } from "../../../app/offers/templates";
import {
  expandTriggers,
  firstVariantOf,
  loadCurrencyRates,
  loadLabels,
  loadShopContext,
  loadVariants,
  searchCollections,
  searchProducts,
} from "../../../app/offers/catalog.server";
import { getShopOverview } from "../../../app/shop/overview.server";
import { loadSetupGuide } from "../../../app/shop/setup-guide.server";
import { connectWebPixel } from "../../../app/analytics/web-pixel.server";
import { runBackfill } from "../../../app/recommendations/backfill.server";
import { publishLists } from "../../../app/recommendations/publish.server";
import { SHOP_ZONE } from "../../../app/recommendations/bulk-orders";
import { adminGraphql } from "../../../app/admin-api.server";
import { followUpCode } from "../../../app/offers/follow-up.server";
import { collectionsOf, publishedExclusions } from "../../../app/offers/exclusions.server";
import { addOrder, setMetafields } from "../../../localshop/state";
import { demoRuleset } from "../../unit/checkout/demo-ruleset";
import { shopifyAdminSchema } from "../../../localshop/admin-api/shopify-introspection";
import type { AdminApi } from "../../../app/shopify.server";
import { uniqueShop } from "../../support/webhooks";
import { startTestShop, type TestShop } from "../offers/support";

const ROOT = join(__dirname, "..", "..", "..");

interface SentOperation {
  query: string;
  variables: Record<string, unknown>;
}

/** Problems Shopify's schema finds in one operation as sent (empty: Shopify accepts it). */
function checkOperation(schema: GraphQLSchema, sent: SentOperation): string[] {
  let document;
  try {
    document = parse(sent.query);
  } catch (error) {
    return [`syntax: ${(error as Error).message}`];
  }
  const problems = validate(schema, document).map((e) => e.message);
  if (problems.length) return problems;
  problems.push(...validate(schema, document, [NoDeprecatedCustomRule]).map((e) => `deprecated: ${e.message}`));
  for (const op of document.definitions.filter((d): d is OperationDefinitionNode => d.kind == "OperationDefinition")) {
    const coerced = getVariableValues(schema, op.variableDefinitions ?? [], sent.variables, { maxErrors: 20 });
    if (coerced.errors) problems.push(...coerced.errors.map((e) => `variables: ${e.message}`));
    for (const definition of op.variableDefinitions ?? []) {
      const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
      const name = definition.variable.name.value;
      if (type && name in sent.variables) problems.push(...deprecatedInValue(type, sent.variables[name], `$${name}`));
    }
  }
  return problems;
}

/** Deprecated input fields and enum values a variable's value uses. */
function deprecatedInValue(type: GraphQLInputType, value: unknown, path: string): string[] {
  if (value === null || value === undefined) return [];
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item, i) => deprecatedInValue(inner.ofType as GraphQLInputType, item, `${path}[${i}]`));
  }
  const named = getNamedType(inner);
  if (isEnumType(named)) {
    const enumValue = named.getValue(String(value));
    return enumValue?.deprecationReason ? [`deprecated: ${path} uses ${named.name}.${enumValue.name} (${enumValue.deprecationReason})`] : [];
  }
  if (isInputObjectType(named) && typeof value == "object") {
    const fields = named.getFields();
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const field = fields[key];
      if (!field) return [];
      const own = field.deprecationReason ? [`deprecated: ${path}.${key} (${field.deprecationReason})`] : [];
      return [...own, ...deprecatedInValue(field.type, v, `${path}.${key}`)];
    });
  }
  return [];
}

/** Names of the operations written as `#graphql` strings anywhere under app/. */
function operationsInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry)) {
        for (const m of readFileSync(path, "utf8").matchAll(/#graphql\s+(query|mutation|subscription)\s+(\w+)/g)) found.set(m[2], relative(ROOT, path));
      }
    }
  };
  walk(join(ROOT, "app"));
  return found;
}

function operationName(query: string): string {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? "(anonymous)";
}

let testShop: TestShop;
const sent: SentOperation[] = [];

/** The app's Admin API client for a new shop, recording every operation it sends. */
async function recordingScope(label: string) {
  const scope = await testShop.scopeFor(uniqueShop(label));
  const graphql = scope.admin.graphql.bind(scope.admin);
  const admin = {
    ...scope.admin,
    graphql: ((query: string, options?: { variables?: Record<string, unknown> }) => {
      sent.push({ query, variables: options?.variables ?? {} });
      return graphql(query, options as never);
    }) as AdminApi["graphql"],
  } as AdminApi;
  return { admin, shop: scope.shop };
}

beforeAll(async () => {
  testShop = await startTestShop();
  const state = testShop.local.state;
  const scope = await recordingScope("admin-ops");
  const { admin } = scope;

  // The admin's pages: home, the editor's labels and searches, the currency context.
  await getShopOverview(admin, scope.shop);
  await loadSetupGuide(admin, scope.shop, { shopDomain: scope.shop, currency: "USD" });
  const context = await loadShopContext(admin);
  await loadCurrencyRates(admin);
  await loadLabels(admin, { products: ["1001"], variants: ["2001"], collections: ["3001"] }, context.currency);
  const page = await searchProducts(admin, "case", context.currency, { first: 2 });
  if (page.nextCursor) await searchProducts(admin, "case", context.currency, { first: 2, after: page.nextCursor });
  await searchCollections(admin, "Acc");
  await firstVariantOf(admin, "1001");
  await loadVariants(admin, ["2001", "2005"], context.currency, { collections: true });
  await expandTriggers(admin, { collections: ["3001"], tags: ["phone"], vendors: ["Aurora"], productTypes: ["Mobile Phone"] });

  // The web pixel: activated (no pixel yet: created), then pointed at a new app URL (updated).
  await connectWebPixel(admin, "https://cartlift.example");
  await connectWebPixel(admin, "https://cartlift-moved.example");

  // Recommendations: the order backfill (a bulk operation), and lists written and removed.
  await runBackfill(scope.shop, admin, { pollMs: 25 });
  await adminGraphql(admin, SHOP_ZONE); // read when a backfill imports orders (none here)
  const list = [{ productId: "gid://shopify/Product/1005", score: 0.5, orders: 3, recentOrders: 2 }];
  await publishLists(admin, { "gid://shopify/Product/1001": list }, { "gid://shopify/Product/1002": list }, new Date());

  // Publishing: the first publish creates the discount; a drifted discount is updated; a
  // second Cartlift discount (left by a crash) is deleted; a missing one is looked for
  // through every page of app discounts and created again.
  const input = templateInput("frequently_bought_together");
  input.trigger.variants = ["2001"];
  input.variants = ["2005", "2010"];
  const saved = await saveOffer(scope, input, {});
  if (!saved.ok) throw new Error(`the offer did not save: ${JSON.stringify(saved)}`);
  // Frequently bought together: the mined products' variants and ratings, exclusions expanded.
  const fbt = { ...templateInput("frequently_bought_together"), name: "Mined", source: "fbt" as const, exclude: { products: ["1005"], collections: ["3001"], tags: ["case"] } };
  const minedSaved = await saveOffer(scope, fbt, {});
  if (!minedSaved.ok) throw new Error(`the fbt offer did not save: ${JSON.stringify(minedSaved)}`);
  // After product edits (products/update, collections/update): the published exclusions, and
  // which excluded collections hold the edited products.
  if (!(await publishedExclusions(admin))?.length) throw new Error("no published fbt offer read back");
  if (!(await collectionsOf(admin, ["1001", "1003"], ["3001"])).size) throw new Error("no collection membership read");
  const discount = state.data.automaticDiscounts[0];
  if (discount) {
    discount.title = "Renamed by the merchant";
    const copyId = "gid://shopify/DiscountAutomaticNode/990001";
    state.data.automaticDiscounts.push({ ...structuredClone(discount), id: copyId, title: "Cartlift offers" });
    for (const m of state.data.metafields.filter((m) => m.ownerId == discount.id))
      state.data.metafields.push({ ...structuredClone(m), id: `gid://shopify/Metafield/${990000 + state.data.metafields.length}`, ownerId: copyId });
  }
  await republish(scope);
  // Cartlift's discount gone, and more app discounts of other apps than one page holds.
  state.data.automaticDiscounts = discount
    ? Array.from({ length: 30 }, (_, i) => ({ ...structuredClone(discount), id: `gid://shopify/DiscountAutomaticNode/${991000 + i}`, title: `Another app's discount ${i}` }))
    : [];
  await republish(scope);
  // The thank-you page's follow-up code: the order and the ruleset read, the code looked for
  // and created; then found on a second load.
  setMetafields(state, [
    { ownerId: state.data.shop.id, namespace: "$app:cartlift", key: "ruleset", type: "json", value: JSON.stringify(demoRuleset({ followUpEndsAt: "2099-01-01T00:00:00Z" })) },
  ]);
  const order = addOrder(state, { email: "shopper@example.com", lineItems: [{ variantId: "gid://shopify/ProductVariant/2001", quantity: 1 }] });
  for (let load = 0; load < 2; load++) {
    const answer = await followUpCode(admin, { shop: scope.shop, orderId: order.id, secret: "s", now: Date.now() });
    if (!("code" in answer.body) || !answer.body.code) throw new Error(`no follow-up code: ${JSON.stringify(answer)}`);
  }
}, 120_000);

afterAll(() => testShop?.stop());

describe("the app's Admin API operations against Shopify's 2026-10 schema", () => {
  it("sends operations during the scenario (the recorder sees the app's calls)", () => {
    expect(sent.length).toBeGreaterThan(10);
  });

  it("exercises every #graphql operation written in app/", () => {
    const recorded = new Set(sent.map((s) => operationName(s.query)));
    const missing = [...operationsInSource()].filter(([name]) => !recorded.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });

  it("every operation, as sent with its variables, validates and uses nothing deprecated", () => {
    const schema = shopifyAdminSchema("2026-10");
    const problems = new Map<string, string[]>();
    for (const operation of sent) {
      const found = checkOperation(schema, operation);
      if (found.length) problems.set(operationName(operation.query), [...new Set([...(problems.get(operationName(operation.query)) ?? []), ...found])]);
    }
    expect(Object.fromEntries(problems)).toEqual({});
  });
});

describe("the operation check itself", () => {
  const schema = () => shopifyAdminSchema("2026-10");

  it("refuses a field Shopify does not have, and a field it deprecated", () => {
    expect(checkOperation(schema(), { query: "query A { shop { id nonsense } }", variables: {} })[0]).toMatch(/nonsense/);
    const deprecated = checkOperation(schema(), { query: 'query B { product(id: "gid://shopify/Product/1") { featuredImage { url } } }', variables: {} });
    expect(deprecated).toEqual([expect.stringMatching(/^deprecated: .*featuredImage/)]);
  });

  it("refuses variables Shopify would not coerce, and a deprecated enum value in them", () => {
    const wrong = checkOperation(schema(), { query: "query C($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids: [null] } });
    expect(wrong).toEqual([expect.stringMatching(/^variables: /)]);
    const enumType = [...Object.values(schema().getTypeMap())].find((t) => isEnumType(t) && t.getValues().some((v) => v.deprecationReason));
    expect(enumType).toBeDefined();
    if (!enumType || !isEnumType(enumType)) return;
    const value = enumType.getValues().find((v) => v.deprecationReason)!;
    expect(deprecatedInValue(enumType, value.name, "$v")).toEqual([expect.stringMatching(/^deprecated: \$v uses /)]);
  });
});
