/**
 * Relay connections the way Shopify serves them: `edges { cursor node }`, `nodes`,
 * `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`, with opaque cursors
 * (base64 JSON holding the last id and sort value, like Shopify's) and `first`/`after`,
 * `last`/`before`, `reverse`. Exactly one of `first` or `last` is required, at most 250.
 */
import { GraphQLError } from "graphql";
import { gidTail } from "../state";

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function encodeCursor(id: string, sortValue: unknown): string {
  const lastId = Number(gidTail(id) ?? id);
  return Buffer.from(JSON.stringify({ last_id: Number.isFinite(lastId) ? lastId : id, last_value: sortValue })).toString(
    "base64",
  );
}

function decodeCursor(cursor: string): { last_id: unknown; last_value: unknown } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (parsed && typeof parsed === "object" && "last_id" in parsed) return { last_id: parsed.last_id, last_value: parsed.last_value };
  } catch {
    // fall through
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

/** Throws Shopify's errors for missing or out-of-range page sizes. */
export function checkPageArgs(args: ConnectionArgs): void {
  const { first, last } = args;
  if ((first === null || first === undefined) && (last === null || last === undefined)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The value of ${name} must be between 0 and ${MAX_PAGE_SIZE}.`, {
        extensions: { code: "BAD_REQUEST" },
      });
    }
  }
}

/**
 * Pages an already filtered and sorted list. `id` gives each item's GID (for cursors),
 * `sortValue` the value the list is sorted by.
 */
export function paginate<T>(
  sorted: readonly T[],
  args: ConnectionArgs,
  id: (item: T) => string,
  sortValue: (item: T) => unknown = () => null,
): Connection<T> {
  checkPageArgs(args);
  const list = args.reverse ? [...sorted].reverse() : [...sorted];
  const indexOfCursor = (cursor: string): number => {
    const { last_id } = decodeCursor(cursor);
    const idx = list.findIndex((item) => {
      const tail = gidTail(id(item));
      return tail === String(last_id) || id(item) === last_id;
    });
    if (idx === -1) throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
    return idx;
  };
  let start = 0;
  let end = list.length; // exclusive
  if (args.after) start = indexOfCursor(args.after) + 1;
  if (args.before) end = Math.min(end, indexOfCursor(args.before));
  if (end < start) end = start;
  let sliceStart = start;
  let sliceEnd = end;
  if (args.first !== null && args.first !== undefined) sliceEnd = Math.min(sliceEnd, sliceStart + args.first);
  if (args.last !== null && args.last !== undefined) sliceStart = Math.max(sliceStart, sliceEnd - args.last);
  const page = list.slice(sliceStart, sliceEnd);
  const edges = page.map((node) => ({ cursor: encodeCursor(id(node), sortValue(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: sliceEnd < list.length,
      hasPreviousPage: sliceStart > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Stable sort by a key, ties broken by numeric id (Shopify's secondary order). */
export function sortBy<T>(items: readonly T[], key: (item: T) => string | number | null, id: (item: T) => string): T[] {
  const num = (item: T) => Number(gidTail(id(item)) ?? 0);
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      if (typeof ka === "string" && typeof kb === "string") {
        const c = ka.localeCompare(kb, "en", { sensitivity: "base" });
        if (c !== 0) return c;
      } else if (ka < kb) return -1;
      else if (ka > kb) return 1;
    }
    return num(a) - num(b);
  });
}
