/**
 * Online store themes in the local shop's Admin API double: `themes` and a theme's `files`
 * (API 2026-10), the way an app reads the main theme's `config/settings_data.json` (is its
 * app embed on?) and `templates/product.json` (is its app block placed?). The local shop has
 * one theme, the one its storefront renders (localshop/storefront/theme), role MAIN; its files
 * are served from disk as text, so what the admin reads is what the storefront renders.
 * As on Shopify: a connection needs `first` or `last` (at most 250), `filenames` is an exact
 * list (unknown names are simply absent), and the file body is the text union member.
 * Tests may replace a file's text for one shop state (`setThemeFile`), e.g. a disabled embed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GraphQLError } from "graphql";
import type { LocalShopState } from "../state";
import type { ResolverMap } from "./resolvers";

export const LOCAL_THEME_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "storefront", "theme");
export const LOCAL_THEME_ID = "gid://shopify/OnlineStoreTheme/1001";

const overrides = new WeakMap<LocalShopState, Map<string, string | null>>();

/** Replace (text) or remove (null) one file of the local main theme for this shop state;
 *  undefined serves the file on disk again. */
export function setThemeFile(state: LocalShopState, filename: string, content: string | null | undefined) {
  if (!overrides.has(state)) overrides.set(state, new Map());
  if (content === undefined) overrides.get(state)!.delete(filename);
  else overrides.get(state)!.set(filename, content);
}

function readThemeFile(state: LocalShopState, filename: string): string | null {
  const replaced = overrides.get(state);
  if (replaced?.has(filename)) return replaced.get(filename)!;
  if (filename.includes("..") || filename.startsWith("/")) return null;
  const path = join(LOCAL_THEME_DIR, filename);
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : null;
}

export const THEME_SDL = /* GraphQL */ `
enum ThemeRole { ARCHIVED DEMO DEVELOPMENT LOCKED MAIN MOBILE UNPUBLISHED }

type OnlineStoreThemeFileBodyText { content: String! }
type OnlineStoreThemeFileBodyBase64 { contentBase64: String! }
type OnlineStoreThemeFileBodyUrl { url: URL! }
union OnlineStoreThemeFileBody = OnlineStoreThemeFileBodyBase64 | OnlineStoreThemeFileBodyText | OnlineStoreThemeFileBodyUrl

type OnlineStoreThemeFile {
  filename: String!
  body: OnlineStoreThemeFileBody!
  checksumMd5: String
  contentType: String!
  size: UnsignedInt64!
}
type OnlineStoreThemeFileEdge { cursor: String! node: OnlineStoreThemeFile! }
type OnlineStoreThemeFileConnection { edges: [OnlineStoreThemeFileEdge!]! nodes: [OnlineStoreThemeFile!]! pageInfo: PageInfo! }

type OnlineStoreTheme implements Node {
  id: ID!
  name: String!
  role: ThemeRole!
  files(filenames: [String!], first: Int = 50, after: String): OnlineStoreThemeFileConnection
}
type OnlineStoreThemeEdge { cursor: String! node: OnlineStoreTheme! }
type OnlineStoreThemeConnection { edges: [OnlineStoreThemeEdge!]! nodes: [OnlineStoreTheme!]! pageInfo: PageInfo! }

extend type QueryRoot {
  themes(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, roles: [ThemeRole!], names: [String!]): OnlineStoreThemeConnection
  theme(id: ID!): OnlineStoreTheme
}
`;

const pageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
const connection = <T>(nodes: T[]) => ({ nodes, edges: nodes.map((node, i) => ({ cursor: String(i + 1), node })), pageInfo });
const theme = () => ({ __typename: "OnlineStoreTheme", id: LOCAL_THEME_ID, name: "Cartlift Local", role: "MAIN" });

function bounded(name: string, value: number | null | undefined, max: number) {
  if (value != null && (value < 0 || value > max)) {
    throw new GraphQLError(`The '${name}' argument must be between 0 and ${max}.`, { extensions: { code: "BAD_REQUEST" } });
  }
}

export const themeResolvers: ResolverMap = {
  QueryRoot: {
    themes: (_p, args: { first?: number | null; last?: number | null; roles?: string[] | null; names?: string[] | null }) => {
      if (args.first == null && args.last == null) {
        throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
      }
      bounded("first", args.first, 250);
      bounded("last", args.last, 250);
      const t = theme();
      const matches = (!args.roles || args.roles.includes(t.role)) && (!args.names || args.names.includes(t.name));
      const limit = args.first ?? args.last ?? 0;
      return connection(matches ? [t].slice(0, limit) : []);
    },
    theme: (_p, args: { id: string }) => (args.id === LOCAL_THEME_ID ? theme() : null),
  },
  OnlineStoreTheme: {
    files: (_p, args: { filenames?: string[] | null; first?: number | null }, ctx: { state: LocalShopState }) => {
      bounded("first", args.first, 2500);
      if (args.filenames && args.filenames.length > 50) {
        throw new GraphQLError("The 'filenames' argument accepts at most 50 names.", { extensions: { code: "BAD_REQUEST" } });
      }
      const names = args.filenames ?? ["config/settings_data.json", "templates/product.json"];
      const files = names
        .map((filename) => ({ filename, content: readThemeFile(ctx.state, filename) }))
        .filter((f): f is { filename: string; content: string } => f.content !== null)
        .slice(0, args.first ?? 50)
        .map(({ filename, content }) => ({
          filename,
          body: { __typename: "OnlineStoreThemeFileBodyText", content },
          checksumMd5: createHash("md5").update(content).digest("hex"),
          contentType: filename.endsWith(".json") ? "application/json" : "text/plain",
          size: String(Buffer.byteLength(content)),
        }));
      return connection(files);
    },
  },
};
