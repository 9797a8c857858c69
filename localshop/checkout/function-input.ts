// Runs the discount function's own input queries, the way Shopify builds a function's input:
// the query files in extensions/cartlift-discount/src are executed against a subset of the
// Discount Function API schema (./discount-function.schema.graphql) over whatever data the
// caller resolves. The local checkout uses it to build real inputs; the function tests use it
// to prove their fixtures have exactly the shape the queries ask for.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, execute, GraphQLScalarType, Kind, parse, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const FUNCTION_SRC = join(here, "../../extensions/cartlift-discount/src");

export type DiscountTarget = "cart.lines.discounts.generate.run" | "cart.delivery-options.discounts.generate.run";

export const QUERY_FILES: Record<DiscountTarget, string> = {
  "cart.lines.discounts.generate.run": join(FUNCTION_SRC, "cart_lines_discounts_generate_run.graphql"),
  "cart.delivery-options.discounts.generate.run": join(FUNCTION_SRC, "cart_delivery_options_discounts_generate_run.graphql"),
};

let schema: GraphQLSchema | undefined;
const documents = new Map<DiscountTarget, DocumentNode>();

/** Shopify's DateTimeWithoutTimezone: "YYYY-MM-DDTHH:MM:SS" (optionally fractional seconds),
 *  a real calendar date and time, no zone. */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?$/;
export function isDateTimeWithoutTimezone(value: unknown): value is string {
  const m = typeof value == "string" ? DATE_TIME.exec(value) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return t.getUTCFullYear() == y && t.getUTCMonth() == mo - 1 && t.getUTCDate() == d && h < 24 && mi < 60 && se < 60;
}

export function discountFunctionSchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchema(readFileSync(join(here, "discount-function.schema.graphql"), "utf8"));
    const scalar = schema.getType("DateTimeWithoutTimezone") as GraphQLScalarType;
    const check = (value: unknown) => {
      if (!isDateTimeWithoutTimezone(value)) throw new TypeError(`DateTimeWithoutTimezone must be a date and time like "2026-11-24T12:00:00", not ${JSON.stringify(value)}`);
      return value;
    };
    scalar.parseValue = check;
    scalar.parseLiteral = (ast) => check(ast.kind == Kind.STRING ? ast.value : undefined);
  }
  return schema;
}

/** `[extensions.input.variables]` of the function's toml: the discount metafield that holds
 *  the input queries' variables, or null when the toml names none. */
export function inputVariablesMetafield(): { namespace: string; key: string } | null {
  const toml = readFileSync(join(FUNCTION_SRC, "../shopify.extension.toml"), "utf8");
  const section = /^\s*\[extensions\.input\.variables\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const value = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, "m").exec(section)?.[1];
  const namespace = value("namespace");
  const key = value("key");
  return namespace && key ? { namespace, key } : null;
}

/** The target's input query, parsed and validated against the schema (throws if invalid). */
export function inputQuery(target: DiscountTarget): DocumentNode {
  let doc = documents.get(target);
  if (!doc) {
    doc = parse(readFileSync(QUERY_FILES[target], "utf8"));
    const errors = validate(discountFunctionSchema(), doc);
    if (errors.length) throw new Error(`${target} input query: ${errors.map((e) => e.message).join("; ")}`);
    documents.set(target, doc);
  }
  return doc;
}

/** Union members: `__typename` when the data says; otherwise a product variant is what has
 *  a product (`p` in a fixture written in the query's own, aliased shape), anything else a
 *  custom product. */
function merchandiseType(value: unknown): string {
  const v = value as { __typename?: string; product?: unknown; p?: unknown };
  return v.__typename ?? (v.product || v.p ? "ProductVariant" : "CustomProduct");
}

/** A field's value: the data's property named like the field, else like its alias (so data
 *  written in the query's own output shape resolves too); functions receive the arguments. */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (!source || typeof source != "object") return undefined;
  const data = source as Record<string, unknown>;
  const value = info.fieldName in data ? data[info.fieldName] : data[String(info.path.key)];
  return typeof value == "function" ? value(args, context, info) : value;
};

/**
 * The function input for `target`, resolved from `root`: plain values, or functions taking
 * the field's arguments (`attribute: ({ key }) => …`), keyed by field name (or by alias).
 * `variables`: the input query's variables (Shopify reads them from the metafield the toml's
 * `[extensions.input.variables]` names; a missing one is null). Throws when the data does not
 * fit the schema (a missing non-null field, a wrong type) or a required variable is missing
 * or invalid: Shopify fails such a run.
 */
export function runInputQuery<T = unknown>(target: DiscountTarget, root: object, variables?: Record<string, unknown> | null): T {
  const result = execute({ schema: discountFunctionSchema(), document: inputQuery(target), rootValue: root, typeResolver: merchandiseType, fieldResolver, variableValues: variables ?? {} });
  if ("then" in result) throw new Error("input resolvers must be synchronous");
  if (result.errors?.length) throw new Error(`${target} input: ${result.errors.map((e) => `${e.path?.join(".")}: ${e.message}`).join("; ")}`);
  // Plain JSON, as the function receives it.
  return JSON.parse(JSON.stringify(result.data)) as T;
}
