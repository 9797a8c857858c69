// Shopify's Discount Function API schema (2026-07), from the introspection `@shopify/dev-mcp`
// ships, and the check Shopify makes of a function's result: it must be a valid value of the
// target's result input type. The introspection carries no directive applications, so
// `@oneOf` (exactly one field set) is enforced here for the input types Shopify declares with
// it: every input object whose fields are all optional, except the fetch results.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  coerceInputValue,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import type { DiscountTarget } from "./function-input";

export const DISCOUNT_API_VERSION = "2026-07";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "../../node_modules/@shopify/dev-mcp/dist/data");

/** Shopify's introspection of the Discount Function API, as `@shopify/dev-mcp` ships it. */
export function discountApiIntrospection(version = DISCOUNT_API_VERSION): IntrospectionQuery {
  const file = join(DATA, `functions_discount_${version}.json.gz`);
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
  return (json.data ?? json) as IntrospectionQuery;
}

let schema: GraphQLSchema | undefined;

/** The full Discount Function API schema. */
export function discountApiSchema(): GraphQLSchema {
  return (schema ??= buildClientSchema(discountApiIntrospection()));
}

export const RESULT_TYPES: Record<DiscountTarget, string> = {
  "cart.lines.discounts.generate.run": "CartLinesDiscountsGenerateRunResult",
  "cart.delivery-options.discounts.generate.run": "CartDeliveryOptionsDiscountsGenerateRunResult",
};

/** Whether Shopify declares the input type `@oneOf`. */
export function isOneOf(type: GraphQLInputObjectType): boolean {
  return !type.name.endsWith("FetchResult") && Object.values(type.getFields()).every((f) => !(f.type instanceof GraphQLNonNull));
}

function oneOfProblems(value: unknown, type: GraphQLInputType, path: string, problems: string[]): void {
  if (type instanceof GraphQLNonNull) return oneOfProblems(value, type.ofType, path, problems);
  if (value == null) return;
  if (type instanceof GraphQLList) {
    if (Array.isArray(value)) value.forEach((v, i) => oneOfProblems(v, type.ofType, `${path}[${i}]`, problems));
    return;
  }
  if (!(type instanceof GraphQLInputObjectType) || typeof value != "object") return;
  const fields = type.getFields();
  const set = Object.entries(value as Record<string, unknown>).filter(([k, v]) => k in fields && v != null);
  if (isOneOf(type) && set.length != 1) problems.push(`${path}: ${type.name} takes exactly one field (@oneOf), got ${set.length}`);
  for (const [k, v] of set) oneOfProblems(v, fields[k].type, `${path}.${k}`, problems);
}

/** Why Shopify would refuse `output` as the result of `target`; empty when it is valid. */
export function functionOutputProblems(target: DiscountTarget, output: unknown): string[] {
  const type = discountApiSchema().getType(RESULT_TYPES[target]);
  if (!(type instanceof GraphQLInputObjectType)) throw new Error(`no input type ${RESULT_TYPES[target]} in the schema`);
  const problems: string[] = [];
  coerceInputValue(output, new GraphQLNonNull(type), (path, _value, error) => problems.push(`${["result", ...path].join(".")}: ${error.message}`));
  if (!problems.length) oneOfProblems(output, type, "result", problems);
  return problems;
}
