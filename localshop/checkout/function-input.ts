// Runs the discount function's own input queries, the way Shopify builds a function's input:
// the query files in extensions/cartlift-discount/src are executed against a subset of the
// Discount Function API schema (./discount-function.schema.graphql) over whatever data the
// caller resolves. The local checkout uses it to build real inputs; the function tests use it
// to prove their fixtures have exactly the shape the queries ask for.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";

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

/**
 * The function input for `target`, resolved from `root`: plain values, or functions taking
 * the field's arguments (`attribute: ({ key }) => …`). Union members carry `__typename`.
 * Throws when the data does not fit the schema (a missing non-null field, a wrong type).
 */
export function runInputQuery<T = unknown>(target: DiscountTarget, root: object): T {
  const result = execute({ schema: discountFunctionSchema(), document: inputQuery(target), rootValue: root });
  if ("then" in result) throw new Error("input resolvers must be synchronous");
  if (result.errors?.length) throw new Error(`${target} input: ${result.errors.map((e) => `${e.path?.join(".")}: ${e.message}`).join("; ")}`);
  // Plain JSON, as the function receives it.
  return JSON.parse(JSON.stringify(result.data)) as T;
}
