/**
 * Top-level GraphQL errors in Shopify's shape. Shopify's Admin API runs graphql-ruby, whose
 * validation messages and `extensions.code` values differ from graphql-js; clients match on
 * them, so the double rewrites graphql-js's errors into graphql-ruby's words:
 *
 *   { message: "Field 'foo' doesn't exist on type 'Shop'", locations: [{ line, column }],
 *     path: ["query", "shop", "foo"], extensions: { code: "undefinedField", typeName: "Shop", fieldName: "foo" } }
 *
 * `path` of a validation error is the document path (operation, fields, argument), as
 * graphql-ruby reports it; execution errors keep graphql-js's response path.
 */
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from "graphql";

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export const THROTTLED_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

/** Maps each AST node to its graphql-ruby style document path. */
function documentPaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  const pushed: boolean[] = [];
  visit(document, {
    enter(node) {
      let segment: string | null = null;
      switch (node.kind) {
        case Kind.OPERATION_DEFINITION:
          segment = node.name ? `${node.operation} ${node.name.value}` : node.operation;
          break;
        case Kind.FRAGMENT_DEFINITION:
          segment = `fragment ${node.name.value}`;
          break;
        case Kind.FIELD:
          segment = node.name.value;
          break;
        case Kind.INLINE_FRAGMENT:
          segment = node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...";
          break;
        case Kind.FRAGMENT_SPREAD:
          segment = `... ${node.name.value}`;
          break;
        case Kind.ARGUMENT:
          segment = node.name.value;
          break;
        case Kind.VARIABLE_DEFINITION:
          segment = `$${node.variable.name.value}`;
          break;
      }
      if (segment !== null) stack.push(segment);
      pushed.push(segment !== null);
      paths.set(node, [...stack]);
    },
    leave() {
      if (pushed.pop()) stack.pop();
    },
  });
  return paths;
}

function locationsOf(error: GraphQLError) {
  return error.locations?.map((l) => ({ line: l.line, column: l.column }));
}

/** Finds the field and argument enclosing a (value) node from its document path. */
function enclosing(path: string[] | undefined): { field?: string; argument?: string } {
  if (!path || path.length < 2) return {};
  return { field: path[path.length - 2], argument: path[path.length - 1] };
}

/** Rewrites graphql-js validation errors into graphql-ruby's shape. */
export function formatValidationErrors(errors: readonly GraphQLError[], document: DocumentNode): ShopifyGraphqlError[] {
  const paths = documentPaths(document);
  return errors.map((error) => {
    const node = error.nodes?.[0];
    const path = node ? paths.get(node) : undefined;
    const base = { locations: locationsOf(error), ...(path ? { path } : {}) };
    const msg = error.message;
    let m: RegExpExecArray | null;

    if ((m = /^Cannot query field "([^"]+)" on type "([^"]+)"/.exec(msg))) {
      return {
        message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
        ...base,
        extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
      };
    }
    if ((m = /^Unknown argument "([^"]+)" on field "(?:[^".]+\.)?([^"]+)"/.exec(msg))) {
      return {
        message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`,
        ...base,
        extensions: { code: "argumentNotAccepted", name: m[2], typeName: "Field", argumentName: m[1] },
      };
    }
    if ((m = /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required/.exec(msg))) {
      return {
        message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
        ...base,
        extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
      };
    }
    if ((m = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(msg))) {
      const typeName = m[2]!.replace(/[[\]!]/g, "");
      return {
        message: `Field must have selections (field '${m[1]}' returns ${typeName} but has no selections. Did you mean '${m[1]} { ... }'?)`,
        ...base,
        extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName },
      };
    }
    if ((m = /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields/.exec(msg))) {
      const typeName = m[2]!.replace(/[[\]!]/g, "");
      return {
        message: `Selections can't be made on scalars (field '${m[1]}' returns ${typeName} but has selections)`,
        ...base,
        extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName },
      };
    }
    if ((m = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?/.exec(msg))) {
      return {
        message: `Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`,
        ...base,
        extensions: { code: "variableNotUsed", variableName: m[1] },
      };
    }
    if ((m = /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?/.exec(msg))) {
      return {
        message: `Variable $${m[1]} is used by ${m[2] ?? "anonymous query"} but not declared`,
        ...base,
        extensions: { code: "variableNotDefined", variableName: m[1] },
      };
    }
    if (
      (m = /^(?:Int|Float|String|Boolean|ID) cannot represent .*$/.exec(msg)) ||
      (m = /^Enum "[^"]+" cannot represent .*$/.exec(msg)) ||
      (m = /^Value .* does not exist in "[^"]+" enum\.?.*$/.exec(msg)) ||
      (m = /^Expected value of type "([^"]+)", found (.+?)[;.]/.exec(msg))
    ) {
      const where = enclosing(path);
      const valueText = node && "loc" in node && node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : "";
      return {
        message: `Argument '${where.argument ?? "?"}' on Field '${where.field ?? "?"}' has an invalid value (${valueText}). Expected type '${expectedType(msg)}'.`,
        ...base,
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: where.argument ?? null },
      };
    }
    if ((m = /^Unknown type "([^"]+)"/.exec(msg))) {
      return { message: `No such type ${m[1]}, so it can't be a fragment condition`, ...base, extensions: { code: "undefinedType", typeName: m[1] } };
    }
    if ((m = /^Unknown fragment "([^"]+)"/.exec(msg))) {
      return { message: `Fragment ${m[1]} was used, but not defined`, ...base, extensions: { code: "useAndDefineFragment", fragmentName: m[1] } };
    }
    if ((m = /^Fragment "([^"]+)" is never used/.exec(msg))) {
      return { message: `Fragment ${m[1]} was defined, but not used`, ...base, extensions: { code: "useAndDefineFragment", fragmentName: m[1] } };
    }
    return { message: msg, ...base, extensions: { code: "validationError" } };
  });
}

function expectedType(msg: string): string {
  const m = /^(Int|Float|String|Boolean|ID) cannot/.exec(msg) ?? /"([A-Za-z0-9_]+)" enum/.exec(msg) ?? /type "([^"]+)"/.exec(msg);
  return m ? m[1]! : "unknown";
}

/** graphql-ruby's parse error shape. */
export function formatSyntaxError(error: GraphQLError): ShopifyGraphqlError {
  const loc = error.locations?.[0];
  const detail = error.message.replace(/^Syntax Error:\s*/, "");
  return {
    message: loc ? `Parse error: ${detail} at [${loc.line}, ${loc.column}]` : `Parse error: ${detail}`,
    locations: locationsOf(error),
  };
}

/** Variable coercion errors ("Variable $id of type ID! was provided invalid value"). */
export function formatVariableErrors(
  errors: readonly GraphQLError[],
  document: DocumentNode,
  variables: Record<string, unknown>,
): ShopifyGraphqlError[] {
  const declared = new Map<string, string>();
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      for (const v of def.variableDefinitions ?? []) {
        const loc = v.type.loc;
        declared.set(v.variable.name.value, loc ? loc.source.body.slice(loc.start, loc.end) : "");
      }
    }
  }
  return errors.map((error) => {
    const m = /^Variable "\$([^"]+)"/.exec(error.message);
    const name = m?.[1];
    if (!name) return { message: error.message, locations: locationsOf(error) };
    const detail = /got invalid value .*?; (.*)$/s.exec(error.message)?.[1];
    const explanation = error.message.includes("was not provided") ? "Expected value to not be null" : detail ?? error.message;
    return {
      message: `Variable $${name} of type ${declared.get(name) ?? "?"} was provided invalid value`,
      locations: locationsOf(error),
      extensions: {
        value: variables[name] ?? null,
        problems: [{ path: [], explanation }],
      },
    };
  });
}

/** Execution errors: GraphQL errors keep their message; anything else is an internal error. */
export function formatExecutionError(error: GraphQLError, requestId: string): ShopifyGraphqlError {
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) {
    return {
      message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`,
      locations: locationsOf(error),
      path: error.path ? [...error.path] : undefined,
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId, detail: original.message },
    };
  }
  return {
    message: error.message,
    locations: locationsOf(error),
    path: error.path ? [...error.path] : undefined,
    ...(error.extensions && Object.keys(error.extensions).length ? { extensions: { ...error.extensions } } : {}),
  };
}
