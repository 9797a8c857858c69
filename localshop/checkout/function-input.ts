// Runs the discount function's own input queries, the way Shopify builds a function's input:
// the query files in extensions/cartlift-discount/src are executed against a subset of the
// Discount Function API schema (./discount-function.schema.graphql) over whatever data the
// caller resolves. The local checkout uses it to build real inputs; the function tests use it
// to prove their fixtures have exactly the shape the queries ask for.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const FUNCTION_SRC = join(here, "../../extensions/cartlift-discount/src");

export type DiscountTarget = "cart.lines.discounts.generate.run" | "cart.delivery-options.discounts.generate.run";

export const QUERY_FILES: Record<DiscountTarget, string> = {
  "cart.lines.discounts.generate.run": join(FUNCTION_SRC, "cart_lines_discounts_generate_run.graphql"),
  "cart.delivery-options.discounts.generate.run": join(FUNCTION_SRC, "cart_delivery_options_discounts_generate_run.graphql"),
};

let schema: GraphQLSchema | undefined;
const documents = new Map<DiscountTarget, DocumentNode>();

export function discountFunctionSchema(): GraphQLSchema {
  return (schema ??= buildSchema(readFileSync(join(here, "discount-function.schema.graphql"), "utf8")));
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
 * Throws when the data does not fit the schema (a missing non-null field, a wrong type).
 */
export function runInputQuery<T = unknown>(target: DiscountTarget, root: object): T {
  const result = execute({ schema: discountFunctionSchema(), document: inputQuery(target), rootValue: root, typeResolver: merchandiseType, fieldResolver });
  if ("then" in result) throw new Error("input resolvers must be synchronous");
  if (result.errors?.length) throw new Error(`${target} input: ${result.errors.map((e) => `${e.path?.join(".")}: ${e.message}`).join("; ")}`);
  // Plain JSON, as the function receives it.
  return JSON.parse(JSON.stringify(result.data)) as T;
}
