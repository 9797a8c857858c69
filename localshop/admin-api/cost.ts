/**
 * Shopify's calculated query cost (shopify.dev, "GraphQL Admin API rate limits"):
 *
 * - scalar and enum fields cost 0; an object field costs 1 plus its selection;
 * - a connection costs 2 plus, per requested item (`first` or `last`), 1 for the node
 *   object and the cost of its selection (`edges`, `node`, `nodes`, `pageInfo` and
 *   `cursor` themselves are free; `edges { node }` and `nodes` share one item cost);
 * - an interface or union costs the most expensive of its possible selections;
 * - a list of objects costs like one object, except `nodes(ids:)`: one per id;
 * - a mutation field costs 10, whatever its payload selection.
 *
 * The *requested* cost is computed from the document before execution; the *actual* cost
 * from the response data (connections cost what they returned; a null object costs 1).
 * A single query may not request more than 1000.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;
export const OBJECT_COST = 1;
export const SINGLE_QUERY_MAX_COST = 1000;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function include(node: { directives?: readonly unknown[] }, ctx: CostContext): boolean {
  const n = node as FieldNode;
  const skip = getDirectiveValues(GraphQLSkipDirective, n, ctx.variables);
  if (skip?.if === true) return false;
  const inc = getDirectiveValues(GraphQLIncludeDirective, n, ctx.variables);
  if (inc?.if === false) return false;
  return true;
}

function fragmentApplies(ctx: CostContext, typeName: string | undefined, objType: GraphQLObjectType): boolean {
  if (!typeName) return true;
  if (typeName === objType.name) return true;
  const cond = ctx.schema.getType(typeName);
  return !!cond && isAbstractType(cond) && ctx.schema.isSubType(cond, objType);
}

/** Fields selected on a concrete type, grouped by response key (like graphql-js does). */
function collectFields(
  ctx: CostContext,
  objType: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  out = new Map<string, FieldNode[]>(),
  visited = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selectionSet of selectionSets) {
    for (const sel of selectionSet.selections) {
      if (!include(sel, ctx)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = out.get(key) ?? [];
        list.push(sel);
        out.set(key, list);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (fragmentApplies(ctx, sel.typeCondition?.name.value, objType)) {
          collectFields(ctx, objType, [sel.selectionSet], out, visited);
        }
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const frag = ctx.fragments[name];
        if (frag && fragmentApplies(ctx, frag.typeCondition.name.value, objType)) {
          collectFields(ctx, objType, [frag.selectionSet], out, visited);
        }
      }
    }
  }
  return out;
}

function subSelections(nodes: FieldNode[]): SelectionSetNode[] {
  return nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
}

function concreteTypes(ctx: CostContext, type: GraphQLNamedType): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return [...ctx.schema.getPossibleTypes(type)];
  return [];
}

export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

function args(ctx: CostContext, def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, ctx.variables);
  } catch {
    return {};
  }
}

/** The node type and the selection sets applied to each item of a connection. */
function connectionItems(
  ctx: CostContext,
  connType: GraphQLObjectType,
  selectionSets: SelectionSetNode[],
): { nodeType: GraphQLNamedType; viaEdges: SelectionSetNode[]; viaNodes: SelectionSetNode[] } {
  const fields = collectFields(ctx, connType, selectionSets);
  const edgeType = getNamedType(connType.getFields().edges!.type) as GraphQLObjectType;
  const nodeType = getNamedType(edgeType.getFields().node!.type);
  const viaEdges: SelectionSetNode[] = [];
  const viaNodes: SelectionSetNode[] = [];
  for (const [, nodes] of fields) {
    const name = nodes[0]!.name.value;
    if (name === "edges") {
      const edgeFields = collectFields(ctx, edgeType, subSelections(nodes));
      for (const [, edgeNodes] of edgeFields) {
        if (edgeNodes[0]!.name.value === "node") viaEdges.push(...subSelections(edgeNodes));
      }
    } else if (name === "nodes") {
      viaNodes.push(...subSelections(nodes));
    }
  }
  return { nodeType, viaEdges, viaNodes };
}

// ------------------------------------------------------------------ requested cost

function requestedSelection(ctx: CostContext, type: GraphQLNamedType, selectionSets: SelectionSetNode[]): number {
  let max = 0;
  for (const objType of concreteTypes(ctx, type)) {
    let sum = 0;
    const defs = objType.getFields();
    for (const [, nodes] of collectFields(ctx, objType, selectionSets)) {
      const def = defs[nodes[0]!.name.value];
      if (def) sum += requestedField(ctx, def, nodes);
    }
    max = Math.max(max, sum);
  }
  return max;
}

function requestedField(ctx: CostContext, def: GraphQLField<unknown, unknown>, nodes: FieldNode[]): number {
  const named = getNamedType(def.type);
  if (isLeafType(named)) return 0;
  const subs = subSelections(nodes);
  if (isConnectionType(named)) {
    const a = args(ctx, def, nodes[0]!);
    const size = Number(a.first ?? a.last ?? 0) || 0;
    const items = connectionItems(ctx, named, subs);
    const wantsItems = items.viaEdges.length > 0 || items.viaNodes.length > 0;
    const perItem = wantsItems
      ? OBJECT_COST +
        Math.max(
          items.viaEdges.length ? requestedSelection(ctx, items.nodeType, items.viaEdges) : 0,
          items.viaNodes.length ? requestedSelection(ctx, items.nodeType, items.viaNodes) : 0,
        )
      : 0;
    return CONNECTION_BASE_COST + Math.max(0, size) * perItem;
  }
  if (isListType(getNullableType(def.type)) && def.args.some((a) => a.name === "ids")) {
    // `nodes(ids:)`: one object per id asked for.
    const ids = args(ctx, def, nodes[0]!).ids;
    const count = Array.isArray(ids) ? ids.length : 1;
    return count * (OBJECT_COST + requestedSelection(ctx, named, subs));
  }
  return OBJECT_COST + requestedSelection(ctx, named, subs);
}

// ------------------------------------------------------------------ actual cost

function actualSelection(ctx: CostContext, type: GraphQLNamedType, selectionSets: SelectionSetNode[], data: unknown): number {
  if (data === null || data === undefined || typeof data !== "object") return 0;
  const typename = (data as { __typename?: unknown }).__typename;
  const candidates = concreteTypes(ctx, type).filter((t) => typeof typename !== "string" || t.name === typename);
  let max = 0;
  for (const objType of candidates) {
    let sum = 0;
    const defs = objType.getFields();
    for (const [key, nodes] of collectFields(ctx, objType, selectionSets)) {
      const def = defs[nodes[0]!.name.value];
      if (def) sum += actualField(ctx, def, nodes, (data as Record<string, unknown>)[key]);
    }
    max = Math.max(max, sum);
  }
  return max;
}

function actualField(ctx: CostContext, def: GraphQLField<unknown, unknown>, nodes: FieldNode[], value: unknown): number {
  const named = getNamedType(def.type);
  // undefined: the field is not in the data (another member of an abstract type's selection).
  if (isLeafType(named) || value === undefined) return 0;
  const subs = subSelections(nodes);
  if (isConnectionType(named)) {
    if (value === null || value === undefined) return CONNECTION_BASE_COST;
    const items = connectionItems(ctx, named, subs);
    // Response keys of edges/node/nodes may be aliased: find them through the selections.
    const conn = value as Record<string, unknown>;
    const edgeValues: unknown[] = [];
    const nodeValues: unknown[] = [];
    for (const [key, fieldNodes] of collectFields(ctx, named, subs)) {
      const name = fieldNodes[0]!.name.value;
      if (name === "edges" && Array.isArray(conn[key])) {
        const edgeType = getNamedType(named.getFields().edges!.type) as GraphQLObjectType;
        const nodeKeys = [...collectFields(ctx, edgeType, subSelections(fieldNodes))]
          .filter(([, n]) => n[0]!.name.value === "node")
          .map(([k]) => k);
        for (const edge of conn[key] as Record<string, unknown>[]) {
          edgeValues.push(nodeKeys.length ? edge?.[nodeKeys[0]!] : null);
        }
      } else if (name === "nodes" && Array.isArray(conn[key])) {
        nodeValues.push(...(conn[key] as unknown[]));
      }
    }
    const count = Math.max(edgeValues.length, nodeValues.length);
    let total = CONNECTION_BASE_COST;
    for (let i = 0; i < count; i++) {
      total +=
        OBJECT_COST +
        Math.max(
          items.viaEdges.length ? actualSelection(ctx, items.nodeType, items.viaEdges, edgeValues[i]) : 0,
          items.viaNodes.length ? actualSelection(ctx, items.nodeType, items.viaNodes, nodeValues[i]) : 0,
        );
    }
    return total;
  }
  if (Array.isArray(value)) {
    if (def.args.some((a) => a.name === "ids")) {
      return value.reduce<number>((sum, v) => sum + OBJECT_COST + actualSelection(ctx, named, subs, v), 0);
    }
    return OBJECT_COST + Math.max(0, ...value.map((v) => actualSelection(ctx, named, subs, v)));
  }
  if (value === null || value === undefined) return OBJECT_COST;
  return OBJECT_COST + actualSelection(ctx, named, subs, value);
}

// ------------------------------------------------------------------ entry points

function prepare(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): CostContext {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  }
  void operation;
  return { schema, fragments, variables };
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLObjectType | null {
  if (operation.operation === "mutation") return schema.getMutationType() ?? null;
  if (operation.operation === "subscription") return schema.getSubscriptionType() ?? null;
  return schema.getQueryType() ?? null;
}

/** Cost of the operation before execution (variables already coerced). */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const ctx = prepare(schema, document, operation, variables);
  const root = rootType(schema, operation);
  if (!root) return 0;
  if (operation.operation === "mutation") {
    return collectFields(ctx, root, [operation.selectionSet]).size * MUTATION_COST;
  }
  return requestedSelection(ctx, root, [operation.selectionSet]);
}

/** Cost of the operation given the data it returned. */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  const ctx = prepare(schema, document, operation, variables);
  const root = rootType(schema, operation);
  if (!root) return 0;
  if (operation.operation === "mutation") {
    return collectFields(ctx, root, [operation.selectionSet]).size * MUTATION_COST;
  }
  return actualSelection(ctx, root, [operation.selectionSet], data);
}
