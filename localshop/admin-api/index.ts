/**
 * The local shop's Admin GraphQL API double. See ./schema.ts for what it serves and
 * ./http.ts for how to mount it.
 */
export { ADMIN_GRAPHQL_PATH, handleAdminGraphql, handleLocalShopImage, handleOutageSwitch, matchAdminGraphqlPath } from "./http";
export {
  calculateRequestedCost,
  executeAdminGraphql,
  getAdminSchema,
  type AdminGraphqlRequest,
  type AdminGraphqlResponse,
  type ExecuteOptions,
  type QueryCostExtension,
} from "./execute";
export { CONNECTION_BASE_COST, MUTATION_COST, OBJECT_COST, SINGLE_QUERY_MAX_COST } from "./cost";
export { THROTTLED_DOCUMENTATION, type ShopifyGraphqlError } from "./errors";
export { ADMIN_SCHEMA_SDL } from "./schema";
export { filterBySearch, parseSearchQuery, type SearchNode, type SearchSpec, type SearchWarning } from "./search";
export { MAX_PAGE_SIZE, paginate, type Connection, type ConnectionArgs } from "./connection";
export { searchSpecs, toDecimalString } from "./resolvers";
