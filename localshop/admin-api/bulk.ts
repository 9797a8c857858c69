/**
 * Bulk operations of the local shop's Admin API double: `bulkOperationRunQuery`,
 * `currentBulkOperation`, `bulkOperation(id)`, `node(id)` and the JSONL result file,
 * the way Shopify documents them (API 2026-10):
 *
 * - The mutation validates the query against the schema and Shopify's bulk rules (a query,
 *   at least one connection, at most five, nested at most two deep, no connection inside a
 *   list field) and answers `userErrors` with code INVALID otherwise. Pagination arguments
 *   are ignored: a bulk query reads every object.
 * - From API 2026-01 an app may run up to five bulk operations per shop at a time; a sixth
 *   gets LIMIT_REACHED (the app keeps to one backfill per shop itself).
 * - The operation is CREATED, then RUNNING while it reads the root connection 250 objects
 *   per step (objectCount and rootObjectCount grow), then COMPLETED with `url` (served by
 *   `handleBulkResult`), `fileSize` and `completedAt`, or FAILED with an `errorCode`.
 *   A query that matches nothing completes with a null `url`, as Shopify's does. When it
 *   has finished (completed or failed), the shop sends the `bulk_operations/finish` webhook
 *   (../webhooks.ts), so an app need not poll.
 * - The JSONL has one object per line; objects of a nested connection are lines of their
 *   own with `__parentId`, the id of the node they belong to (the double adds `id` to such
 *   parents). With `groupObjects: false` (2026-10's default) children come after their
 *   page of parents, not next to them, so readers must not rely on order.
 * Not modelled: cancellation, `partialDataUrl`, URL expiry, `bulkOperationRunMutation`;
 * nested connections are read up to their first 250 objects.
 *
 * Bulk operations live in memory beside the shop state (not persisted).
 */
import {
  execute,
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import { announce, toDateTimeString, type LocalShopState } from "../state";

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

export interface BulkOperationRecord {
  id: string;
  type: "QUERY" | "MUTATION";
  status: BulkOperationStatus;
  query: string;
  createdAt: string;
  completedAt: string | null;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: null;
}

export interface BulkOptions {
  /** Pause between pages of 250 root objects (ms), so progress can be watched. Default 10. */
  pageDelayMs: number;
  /** Concurrent bulk operations per shop (5 from API 2026-01). */
  maxConcurrent: number;
  /** Fails the next operation with this code (tests of the app's failure handling). */
  failNext: BulkOperationRecord["errorCode"];
}

interface BulkStore {
  operations: BulkOperationRecord[];
  files: Map<string, string>;
  next: number;
  options: BulkOptions;
}

const stores = new WeakMap<LocalShopState, BulkStore>();
const PAGE_SIZE = 250;
export const BULK_RESULT_PREFIX = "/localshop/bulk/";

function store(state: LocalShopState): BulkStore {
  let s = stores.get(state);
  if (!s) {
    s = { operations: [], files: new Map(), next: 1, options: { pageDelayMs: 10, maxConcurrent: 5, failNext: null } };
    stores.set(state, s);
  }
  return s;
}

/** Changes how the double runs bulk operations (tests and the demo). */
export function configureBulkOperations(state: LocalShopState, options: Partial<BulkOptions>): void {
  Object.assign(store(state).options, options);
}

export function listBulkOperations(state: LocalShopState): BulkOperationRecord[] {
  return store(state).operations;
}

export function getBulkOperation(state: LocalShopState, id: string): BulkOperationRecord | null {
  return store(state).operations.find((o) => o.id === id) ?? null;
}

// ---------------------------------------------------------------------------------------
// Schema additions (Shopify's shapes, from the 2026-10 introspection)
// ---------------------------------------------------------------------------------------

export const BULK_OPERATION_SDL = /* GraphQL */ `
enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationType { MUTATION QUERY }
enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS }
type BulkOperation implements Node {
  completedAt: DateTime
  createdAt: DateTime!
  errorCode: BulkOperationErrorCode
  fileSize: UnsignedInt64
  id: ID!
  objectCount: UnsignedInt64!
  partialDataUrl: URL
  query: String!
  rootObjectCount: UnsignedInt64!
  status: BulkOperationStatus!
  type: BulkOperationType!
  url: URL
}
type BulkOperationUserError { code: BulkOperationUserErrorCode field: [String!] message: String! }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
extend type Order {
  cancelledAt: DateTime
  displayFinancialStatus: OrderDisplayFinancialStatus
}
extend type QueryRoot {
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  bulkOperation(id: ID!): BulkOperation
}
extend type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload
}
`;

interface BulkContext {
  state: LocalShopState;
  origin: string;
}

const tagged = (op: BulkOperationRecord) => ({ ...op, __typename: "BulkOperation" });

/** Resolvers merged into the Admin API double's map (see resolvers.ts). */
export const bulkResolvers = {
  QueryRoot: {
    currentBulkOperation: (_p: unknown, args: { type?: string | null }, ctx: BulkContext) => {
      const type = args.type ?? "QUERY";
      const ops = store(ctx.state).operations.filter((o) => o.type === type);
      return ops.length ? tagged(ops[ops.length - 1]!) : null;
    },
    bulkOperation: (_p: unknown, args: { id: string }, ctx: BulkContext) => {
      const op = getBulkOperation(ctx.state, args.id);
      return op ? tagged(op) : null;
    },
  },
  Mutation: {
    bulkOperationRunQuery: (
      _p: unknown,
      args: { query: string; groupObjects?: boolean | null },
      ctx: BulkContext,
      info: { schema: GraphQLSchema },
    ) => runQuery(ctx, info.schema, args.query, args.groupObjects ?? false),
  },
  Order: {
    cancelledAt: (o: { cancelledAt?: string | null }) => o.cancelledAt ?? null,
    displayFinancialStatus: (o: { displayFinancialStatus?: string | null }) => o.displayFinancialStatus ?? "PAID",
  },
};

/** `node(id)` for BulkOperation GIDs (null when unknown). */
export function bulkOperationNode(state: LocalShopState, id: string): object | null {
  const op = getBulkOperation(state, id);
  return op ? tagged(op) : null;
}

// ---------------------------------------------------------------------------------------
// Validation and planning
// ---------------------------------------------------------------------------------------

const invalid = (message: string) => ({ bulkOperation: null, userErrors: [{ field: ["query"], message, code: "INVALID" }] });

const isConnectionTypeName = (name: string) => name.endsWith("Connection");

interface Plan {
  document: DocumentNode;
  rootKey: string;
}

/**
 * Checks Shopify's bulk rules and rewrites the query: every connection reads 250 per page
 * (the root gets `after` for paging and `pageInfo`), and nodes with nested connections
 * select `id` (the children's `__parentId`).
 */
function plan(schema: GraphQLSchema, query: string): Plan | string {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    return `Invalid bulk query: ${(e as GraphQLError).message}`;
  }
  const errors = validate(schema, document);
  if (errors.length) return `Invalid bulk query: ${errors[0]!.message}`;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0]!.operation !== "query") return "Bulk queries must be a single query operation.";
  if (document.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION)) return "Bulk queries do not support fragment definitions: inline them.";
  const op = operations[0]!;
  if ((op.variableDefinitions ?? []).length) return "Bulk queries cannot use variables.";
  if (op.selectionSet.selections.length !== 1 || op.selectionSet.selections[0]!.kind !== Kind.FIELD) {
    return "Bulk queries must have exactly one top-level field.";
  }

  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let problem: string | null = null;
  const stack: { connection: boolean; list: boolean }[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : null;
          const connection = !!named && isConnectionTypeName(named.name);
          // A connection's own `edges` and `nodes` lists are how it is read, not a list field.
          const parent = typeInfo.getParentType();
          const list = !!type && isListType(getNullableType(type)) && !(parent && isConnectionTypeName(parent.name));
          if (connection) {
            connections++;
            if (stack.some((s) => s.list)) problem ??= "Queries that contain a connection field within a list field are not currently supported.";
            if (stack.filter((s) => s.connection).length >= 2) problem ??= "Bulk queries cannot contain connections with a nesting depth greater than 2.";
          }
          stack.push({ connection, list });
        },
        leave() {
          stack.pop();
        },
      },
    }),
  );
  if (problem) return problem;
  if (connections === 0) return "Bulk queries must contain at least one connection.";
  if (connections > 5) return "Bulk queries cannot contain more than 5 connections.";

  const root = op.selectionSet.selections[0] as FieldNode;
  const rootType = schema.getQueryType()!.getFields()[root.name.value]!.type;
  if (!isConnectionTypeName(getNamedType(rootType).name)) return "The top-level field of a bulk query must be a connection.";

  // Rewrite: page sizes, root paging, ids on parents of nested connections.
  const typeInfo2 = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo2, {
      Field: {
        leave(node) {
          const parent = typeInfo2.getParentType();
          const def = parent && "getFields" in parent ? parent.getFields()[node.name.value] : undefined;
          if (!def) return undefined;
          const named = getNamedType(def.type);
          if (!isConnectionTypeName(named.name)) return undefined;
          const args = (node.arguments ?? []).filter((a) => !["first", "last", "after", "before"].includes(a.name.value));
          args.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "first" }, value: { kind: Kind.INT, value: String(PAGE_SIZE) } });
          return { ...node, arguments: args, selectionSet: withIdsOnNodes(node.selectionSet!) };
        },
      },
    }),
  );
  return { document: rewritten, rootKey: root.alias?.value ?? root.name.value };
}

function hasNestedConnection(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some(
    (s) => s.kind === Kind.FIELD && !!s.selectionSet && (s.arguments ?? []).some((a) => a.name.value === "first"),
  );
}

function addId(selectionSet: SelectionSetNode): SelectionSetNode {
  if (!hasNestedConnection(selectionSet)) return selectionSet;
  if (selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id" && !s.alias)) return selectionSet;
  return { ...selectionSet, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: "id" } }, ...selectionSet.selections] };
}

/** The node selections of a connection (`edges { node }` and `nodes`) get `id` when they have nested connections. */
function withIdsOnNodes(selectionSet: SelectionSetNode): SelectionSetNode {
  return {
    ...selectionSet,
    selections: selectionSet.selections.map((s) => {
      if (s.kind !== Kind.FIELD || !s.selectionSet) return s;
      if (s.name.value === "nodes") return { ...s, selectionSet: addId(s.selectionSet) };
      if (s.name.value === "edges") {
        return {
          ...s,
          selectionSet: {
            ...s.selectionSet,
            selections: s.selectionSet.selections.map((e) =>
              e.kind === Kind.FIELD && e.name.value === "node" && e.selectionSet ? { ...e, selectionSet: addId(e.selectionSet) } : e,
            ),
          },
        };
      }
      return s;
    }),
  };
}

/** The root field with `after` and `pageInfo` for one page. */
function pageDocument(p: Plan, after: string | null): DocumentNode {
  return visit(p.document, {
    OperationDefinition(op) {
      const root = op.selectionSet.selections[0] as FieldNode;
      const args = [...(root.arguments ?? [])];
      if (after) args.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "after" }, value: { kind: Kind.STRING, value: after } });
      const pageInfo: FieldNode = {
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: "__bulkPageInfo" },
        name: { kind: Kind.NAME, value: "pageInfo" },
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: ["hasNextPage", "endCursor"].map((value) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value } }) as FieldNode),
        },
      };
      const newRoot: FieldNode = { ...root, arguments: args, selectionSet: { ...root.selectionSet!, selections: [...root.selectionSet!.selections, pageInfo] } };
      return { ...op, selectionSet: { ...op.selectionSet, selections: [newRoot] } };
    },
  });
}

// ---------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------

function runQuery(ctx: BulkContext, schema: GraphQLSchema, query: string, groupObjects: boolean) {
  const s = store(ctx.state);
  const running = s.operations.filter((o) => o.status === "CREATED" || o.status === "RUNNING");
  if (running.length >= s.options.maxConcurrent) {
    return {
      bulkOperation: null,
      userErrors: [{ field: null, message: "Bulk operations limit reached. Please try again later.", code: "LIMIT_REACHED" }],
    };
  }
  const planned = plan(schema, query);
  if (typeof planned === "string") return invalid(planned);
  const op: BulkOperationRecord = {
    id: `gid://shopify/BulkOperation/${s.next++}`,
    type: "QUERY",
    status: "CREATED",
    query,
    createdAt: toDateTimeString(ctx.state.now()),
    completedAt: null,
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    url: null,
    partialDataUrl: null,
  };
  s.operations.push(op);
  const failWith = s.options.failNext;
  s.options.failNext = null;
  setTimeout(() => void run(ctx, schema, op, planned, groupObjects, failWith), s.options.pageDelayMs);
  return { bulkOperation: tagged(op), userErrors: [] };
}

type Json = Record<string, unknown>;

function nodesOf(connection: unknown): Json[] {
  if (!connection || typeof connection !== "object") return [];
  const c = connection as { edges?: { node: Json }[]; nodes?: Json[] };
  if (Array.isArray(c.edges)) return c.edges.map((e) => e.node).filter(Boolean);
  if (Array.isArray(c.nodes)) return c.nodes;
  return [];
}

const isConnectionValue = (v: unknown) =>
  !!v && typeof v === "object" && !Array.isArray(v) && (Array.isArray((v as Json).edges) || Array.isArray((v as Json).nodes));

/** One node as JSONL lines: the node without its connections, then (or later) its children. */
function flatten(node: Json, parentId: string | null, out: { parents: string[]; children: string[] }, group: boolean): number {
  const own: Json = {};
  const nested: Json[][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (isConnectionValue(v)) nested.push(nodesOf(v));
    else own[k] = v;
  }
  if (parentId) own.__parentId = parentId;
  out.parents.push(JSON.stringify(own));
  let count = 1;
  const childOut = group ? out : { parents: out.children, children: out.children };
  for (const children of nested) {
    for (const child of children) count += flatten(child, typeof node.id === "string" ? node.id : null, childOut, group);
  }
  return count;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(
  ctx: BulkContext,
  schema: GraphQLSchema,
  op: BulkOperationRecord,
  p: Plan,
  groupObjects: boolean,
  failWith: BulkOperationRecord["errorCode"],
): Promise<void> {
  const s = store(ctx.state);
  op.status = "RUNNING";
  const lines: string[] = [];
  try {
    let after: string | null = null;
    for (;;) {
      const result = await execute({
        schema,
        document: pageDocument(p, after),
        contextValue: { state: ctx.state, origin: ctx.origin, searchReports: [] },
      });
      if (result.errors?.length) throw new Error(result.errors[0]!.message);
      const root = (result.data as Json)[p.rootKey] as Json & { __bulkPageInfo: { hasNextPage: boolean; endCursor: string | null } };
      const page = { parents: [] as string[], children: [] as string[] };
      for (const node of nodesOf(root)) {
        op.objectCount += flatten(node, null, page, groupObjects);
        op.rootObjectCount += 1;
      }
      lines.push(...page.parents, ...page.children);
      if (failWith) throw Object.assign(new Error("failed on purpose"), { code: failWith });
      if (!root.__bulkPageInfo.hasNextPage) break;
      after = root.__bulkPageInfo.endCursor;
      await sleep(s.options.pageDelayMs);
    }
    if (lines.length) {
      const body = lines.join("\n") + "\n";
      s.files.set(op.id, body);
      op.fileSize = Buffer.byteLength(body);
      op.url = `${ctx.origin}${BULK_RESULT_PREFIX}${op.id.split("/").pop()}.jsonl`;
    }
    op.status = "COMPLETED";
  } catch (e) {
    op.status = "FAILED";
    op.errorCode = ((e as { code?: BulkOperationRecord["errorCode"] }).code ?? "INTERNAL_SERVER_ERROR") as BulkOperationRecord["errorCode"];
  }
  op.completedAt = toDateTimeString(ctx.state.now());
  announce(ctx.state, {
    topic: "bulk_operations/finish",
    operation: { id: op.id, type: op.type, status: op.status, errorCode: op.errorCode, createdAt: op.createdAt, completedAt: op.completedAt },
  });
}

/** Serves a completed operation's JSONL (`GET /localshop/bulk/<n>.jsonl`); false for other paths. */
export function handleBulkResult(req: IncomingMessage, res: ServerResponse, state: LocalShopState): boolean {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  if (!pathname.startsWith(BULK_RESULT_PREFIX)) return false;
  const m = /^(\d+)\.jsonl$/.exec(pathname.slice(BULK_RESULT_PREFIX.length));
  const body = m ? store(state).files.get(`gid://shopify/BulkOperation/${m[1]}`) : undefined;
  if (body === undefined) {
    res.writeHead(404, { "content-type": "text/plain" }).end("No such bulk operation result");
    return true;
  }
  res.writeHead(200, { "content-type": "application/jsonl", "content-length": Buffer.byteLength(body) }).end(body);
  return true;
}
