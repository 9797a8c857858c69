/**
 * Web pixels in the local shop's Admin API double: `webPixel`, `webPixelCreate` and
 * `webPixelUpdate` (API 2026-10), the way an app activates its web pixel extension on a shop.
 * As on Shopify:
 * - an app has at most one web pixel per shop: a second create answers TAKEN;
 * - `settings` is JSON text (an object is taken too); text that is not JSON answers
 *   INVALID_CONFIGURATION_JSON; settings that do not match the extension's
 *   `[settings.fields]` in its shopify.extension.toml (unknown keys, missing fields, values
 *   that are not strings, `min`/`max` length validations) answer INVALID_SETTINGS;
 * - `webPixel` without an id reads the app's pixel; with no pixel it answers a
 *   "not found" error, with null data.
 * The local storefront and checkout read the record (`webPixelOf`) to load the pixel in
 * their sandbox with its settings. Kept in memory beside the shop state (the app activates
 * it at start).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GraphQLError } from "graphql";
import type { LocalShopState } from "../state";

export const PIXEL_EXTENSION_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "extensions", "cartlift-pixel");

export interface WebPixelRecord {
  id: string;
  /** As stored: JSON text. */
  settings: string;
}

const pixels = new WeakMap<LocalShopState, WebPixelRecord>();
let nextId = 1;

/** The app's web pixel on this shop, when the app activated it. */
export function webPixelOf(state: LocalShopState): { id: string; settings: Record<string, string> } | null {
  const record = pixels.get(state);
  return record ? { id: record.id, settings: JSON.parse(record.settings) } : null;
}

export interface SettingsField {
  key: string;
  type: string;
  min?: number;
  max?: number;
}

/** `[settings.fields.<key>]` of a web pixel extension toml (the subset Cartlift writes). */
export function settingsFields(toml: string): SettingsField[] {
  const fields: SettingsField[] = [];
  let current: SettingsField | undefined;
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    const header = /^\[settings\.fields\.([\w-]+)\]$/.exec(line);
    if (header) fields.push((current = { key: header[1], type: "single_line_text_field" }));
    else if (line.startsWith("[")) current = undefined;
    else if (current) {
      const type = /^type\s*=\s*"([^"]+)"/.exec(line);
      if (type) current.type = type[1];
      const validation = /\{\s*name\s*=\s*"(min|max)"\s*,\s*value\s*=\s*"(\d+)"\s*\}/.exec(line);
      if (validation) current[validation[1] as "min" | "max"] = Number(validation[2]);
    }
  }
  return fields;
}

const extensionFields = () => settingsFields(readFileSync(join(PIXEL_EXTENSION_DIR, "shopify.extension.toml"), "utf8"));

type UserError = { code: string; field: string[]; message: string };

function parseSettings(input: unknown): { settings: string } | { error: UserError } {
  let value = input;
  if (typeof input == "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return { error: { code: "INVALID_CONFIGURATION_JSON", field: ["webPixel", "settings"], message: "The provided settings is not a valid JSON." } };
    }
  }
  const invalid = (message: string) => ({ error: { code: "INVALID_SETTINGS", field: ["webPixel", "settings"], message } });
  if (typeof value != "object" || !value || Array.isArray(value)) return invalid("Settings must be a JSON object.");
  const fields = extensionFields();
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!fields.some((f) => f.key == key)) return invalid(`Unknown setting: ${key}.`);
  for (const f of fields) {
    const v = record[f.key];
    if (typeof v != "string") return invalid(`${f.key} must be a string.`);
    if (f.min !== undefined && v.length < f.min) return invalid(`${f.key} is too short (minimum is ${f.min} characters).`);
    if (f.max !== undefined && v.length > f.max) return invalid(`${f.key} is too long (maximum is ${f.max} characters).`);
  }
  return { settings: JSON.stringify(Object.fromEntries(fields.map((f) => [f.key, record[f.key]]))) };
}

export const WEB_PIXEL_SDL = /* GraphQL */ `
enum ErrorsWebPixelUserErrorCode { BLANK INVALID_CONFIGURATION_JSON INVALID_RUNTIME_CONTEXT INVALID_SETTINGS INVALID_SETTINGS_DEFINITION NOT_FOUND NO_EXTENSION TAKEN UNABLE_TO_DELETE UNEXPECTED_ERROR }
type WebPixel implements Node { id: ID! settings: JSON! }
input WebPixelInput { settings: JSON! }
type ErrorsWebPixelUserError implements DisplayableError { code: ErrorsWebPixelUserErrorCode field: [String!] message: String! }
type WebPixelCreatePayload { userErrors: [ErrorsWebPixelUserError!]! webPixel: WebPixel }
type WebPixelUpdatePayload { userErrors: [ErrorsWebPixelUserError!]! webPixel: WebPixel }
extend type QueryRoot {
  webPixel(id: ID): WebPixel
}
extend type Mutation {
  webPixelCreate(webPixel: WebPixelInput!): WebPixelCreatePayload
  webPixelUpdate(id: ID!, webPixel: WebPixelInput!): WebPixelUpdatePayload
}
`;

interface Ctx {
  state: LocalShopState;
}

const tagged = (r: WebPixelRecord) => ({ ...r, __typename: "WebPixel" });

export const webPixelResolvers = {
  QueryRoot: {
    webPixel: (_p: unknown, args: { id?: string | null }, ctx: Ctx) => {
      const record = pixels.get(ctx.state);
      if (!record || (args.id && args.id != record.id)) throw new GraphQLError("No web pixel was found for this app.", { extensions: { code: "NOT_FOUND" } });
      return tagged(record);
    },
  },
  Mutation: {
    webPixelCreate: (_p: unknown, args: { webPixel: { settings: unknown } }, ctx: Ctx) => {
      if (pixels.has(ctx.state)) return { webPixel: null, userErrors: [{ code: "TAKEN", field: ["webPixel"], message: "Web pixel is taken." }] };
      const parsed = parseSettings(args.webPixel.settings);
      if ("error" in parsed) return { webPixel: null, userErrors: [parsed.error] };
      const record = { id: `gid://shopify/WebPixel/${nextId++}`, settings: parsed.settings };
      pixels.set(ctx.state, record);
      return { webPixel: tagged(record), userErrors: [] };
    },
    webPixelUpdate: (_p: unknown, args: { id: string; webPixel: { settings: unknown } }, ctx: Ctx) => {
      const record = pixels.get(ctx.state);
      if (!record || record.id != args.id) return { webPixel: null, userErrors: [{ code: "NOT_FOUND", field: ["id"], message: "Web pixel not found." }] };
      const parsed = parseSettings(args.webPixel.settings);
      if ("error" in parsed) return { webPixel: null, userErrors: [parsed.error] };
      record.settings = parsed.settings;
      return { webPixel: tagged(record), userErrors: [] };
    },
  },
};
