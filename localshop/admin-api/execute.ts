/**
 * Runs one Admin GraphQL request against the local shop, transport-free: parse, validate,
 * coerce variables, price the query, take the price from the leaky bucket (or answer
 * THROTTLED), execute, refund the difference between requested and actual cost.
 */
import { randomUUID } from "node:crypto";
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import {
  consumeThrottle,
  getThrottleStatus,
  refundThrottle,
  type LocalShopState,
  type ThrottleStatus,
} from "../state";
import { actualQueryCost, requestedQueryCost, SINGLE_QUERY_MAX_COST } from "./cost";
import {
  formatExecutionError,
  formatSyntaxError,
  formatValidationErrors,
  formatVariableErrors,
  THROTTLED_DOCUMENTATION,
  type ShopifyGraphqlError,
} from "./errors";
import { SERVED_MODULES } from "./modules";
import { attachResolvers, type AdminContext } from "./resolvers";
import { buildAdminSchema } from "./schema";

export interface AdminGraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface QueryCostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: ShopifyGraphqlError[];
  extensions?: { cost?: QueryCostExtension; search?: unknown[] };
}

export interface ExecuteOptions {
  /** Origin used to make image URLs absolute. Default http://localhost. */
  origin?: string;
  requestId?: string;
}

let schema: GraphQLSchema | null = null;

/** The executable schema: Shopify's own, with the served modules' resolvers (built once
 *  per process; resolvers read state from context). */
export function getAdminSchema(): GraphQLSchema {
  if (!schema) {
    const built = buildAdminSchema(SERVED_MODULES.map((m) => m.sdl));
    schema = attachResolvers(built.schema, SERVED_MODULES.map((m) => m.resolvers), built.served);
  }
  return schema;
}

/** Prices a request without running it (for tests and tooling). Throws on invalid documents. */
export function calculateRequestedCost(request: AdminGraphqlRequest): number {
  const s = getAdminSchema();
  const document = parse(request.query);
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) throw new Error("No operation to price");
  const coerced = getVariableValues(s, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) throw coerced.errors[0];
  return requestedQueryCost(s, document, operation, coerced.coerced);
}

function maxCostExceeded(cost: number): ShopifyGraphqlError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: SINGLE_QUERY_MAX_COST },
  };
}

/** Executes one request. Always resolves to a Shopify-shaped body (HTTP 200 in Shopify). */
export async function executeAdminGraphql(
  state: LocalShopState,
  request: AdminGraphqlRequest,
  options: ExecuteOptions = {},
): Promise<AdminGraphqlResponse> {
  const s = getAdminSchema();
  const requestId = options.requestId ?? randomUUID();

  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (e) {
    if (e instanceof GraphQLError) return { errors: [formatSyntaxError(e)] };
    throw e;
  }

  const validationErrors = validate(s, document, specifiedRules);
  if (validationErrors.length > 0) return { errors: formatValidationErrors(validationErrors, document) };

  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) {
    const message = request.operationName
      ? `No operation named "${request.operationName}"`
      : "An operation name is required";
    return { errors: [{ message, extensions: { code: "OPERATION_NAME_REQUIRED" } }] };
  }
  if (operation.operation === "subscription") {
    return { errors: [{ message: "Subscriptions are not supported", extensions: { code: "UNSUPPORTED" } }] };
  }

  const variables = request.variables ?? {};
  const coerced = getVariableValues(s, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return { errors: formatVariableErrors(coerced.errors, document, variables) };

  const requested = requestedQueryCost(s, document, operation, coerced.coerced);
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      errors: [maxCostExceeded(requested)],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: getThrottleStatus(state) } },
    };
  }

  const taken = consumeThrottle(state, requested);
  if (!taken.ok) {
    return {
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOCUMENTATION } }],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: taken.status } },
    };
  }

  const context: AdminContext = { state, origin: options.origin ?? "http://localhost", searchReports: [] };
  const result = await execute({
    schema: s,
    document,
    operationName: request.operationName ?? undefined,
    variableValues: variables,
    contextValue: context,
  });

  const data = (result.data ?? null) as Record<string, unknown> | null;
  const actual = Math.min(requested, actualQueryCost(s, document, operation, coerced.coerced, data));
  const throttleStatus = refundThrottle(state, requested - actual);

  const response: AdminGraphqlResponse = {};
  if (result.errors?.length) response.errors = result.errors.map((e) => formatExecutionError(e, requestId));
  response.data = data;
  response.extensions = {
    cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus },
    ...(context.searchReports.length ? { search: context.searchReports } : {}),
  };
  return response;
}
