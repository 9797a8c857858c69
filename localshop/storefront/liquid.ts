// The local storefront's Liquid: liquidjs with the Shopify filters and tags the theme and
// the Cartlift theme app extension use, implemented as Shopify documents them.
//
// - `strictFilters: true`: a filter Shopify has and we did not implement fails loudly.
// - Money filters take cents (hundredths of the major unit, for every currency, as Liquid
//   does) and format with the render's `shop.money_format` (the presentment currency's).
// - `t` reads the translations of whoever renders: the theme's locales for theme files,
//   the extension's for app blocks and embeds (each rendered on its own, as on Shopify).
// - `asset_url` points at the theme's or the extension's CDN path, likewise.
// - `{% schema %}` swallows its body; `{% section %}` renders a static section;
//   `{% render block %}` renders a pre-rendered app block inside a section.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Liquid, RenderTag, Tag, TypeGuards, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";
import { formatMoney } from "../../storefront/money";

type Args = unknown[];
/** Keyword arguments (`| t: count: 2`) arrive as [name, value] pairs. */
const keywords = (args: Args): Record<string, unknown> =>
  Object.fromEntries(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length == 2 && typeof a[0] == "string"));

const ctxGet = (ctx: Context, path: string[]): any => ctx.getSync(path);

/** Shopify's `json` filter: JSON with HTML-significant characters escaped, safe in <script>. */
export function shopifyJson(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Shopify's `handleize`: lower case, runs of other characters to one dash, no edge dashes. */
export function handleize(value: unknown): string {
  return String(value ?? "")
    .toLowerCase()
    .replace(/['"()[\]]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

const escapeAttr = (s: unknown) => String(s ?? "").replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Looks a dotted key up in a locale tree; pluralizes with `count` like Shopify. */
export function translate(tree: unknown, key: string, vars: Record<string, unknown>, locale: string): string {
  let node: any = tree;
  for (const part of key.split(".")) node = node && typeof node == "object" ? node[part] : undefined;
  if (node && typeof node == "object" && "count" in vars) {
    const count = Number(vars.count);
    const rule = count == 0 && "zero" in node ? "zero" : new Intl.PluralRules(locale).select(count);
    node = node[rule] ?? node.other;
  }
  if (typeof node != "string") return `translation missing: ${locale}.${key}`;
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

/** An image as Shopify's `image_url` accepts it: image object, product, variant or URL. */
function imageSrc(input: any): string | null {
  if (!input) return null;
  if (typeof input == "string") return input;
  if (typeof input.src == "string") return input.src;
  if (input.featured_image) return imageSrc(input.featured_image);
  if (input.image) return imageSrc(input.image);
  return null;
}

function registerShopifyFilters(liquid: Liquid): void {
  const moneyWith = (key: "money_format" | "money_with_currency_format") =>
    function (this: { context: Context }, cents: unknown) {
      if (cents === null || cents === undefined || cents === "") return "";
      const n = Number(cents);
      if (!Number.isFinite(n)) return "";
      return formatMoney(n, String(ctxGet(this.context, ["shop", key]) ?? "${{amount}}"));
    };
  liquid.registerFilter("money", moneyWith("money_format"));
  liquid.registerFilter("money_with_currency", moneyWith("money_with_currency_format"));
  liquid.registerFilter("money_without_currency", function (this: { context: Context }, cents: unknown) {
    const format = String(ctxGet(this.context, ["shop", "money_format"]) ?? "{{amount}}");
    const placeholder = /\{\{\s*\w+\s*\}\}/.exec(format)?.[0] ?? "{{amount}}";
    return formatMoney(Number(cents) || 0, placeholder);
  });
  liquid.registerFilter("money_without_trailing_zeros", function (this: { context: Context }, cents: unknown) {
    const s = formatMoney(Number(cents) || 0, String(ctxGet(this.context, ["shop", "money_format"]) ?? "${{amount}}"));
    return s.replace(/[.,]00(?!\d)/, "");
  });
  liquid.registerFilter("t", function (this: { context: Context }, key: unknown, ...args: Args) {
    const tree = ctxGet(this.context, ["__translations"]);
    const locale = String(ctxGet(this.context, ["request", "locale", "iso_code"]) ?? "en");
    return translate(tree, String(key), keywords(args), locale);
  });
  // Shopify's integer arithmetic: an integer divided by an integer is floored.
  liquid.registerFilter("divided_by", (a: unknown, b: unknown) => {
    const x = Number(a);
    const y = Number(b);
    return Number.isInteger(x) && Number.isInteger(y) ? Math.floor(x / y) : x / y;
  });
  liquid.registerFilter("json", (value: unknown) => shopifyJson(value));
  liquid.registerFilter("handleize", handleize);
  liquid.registerFilter("handle", handleize);
  liquid.registerFilter("asset_url", function (this: { context: Context }, name: unknown) {
    const assets = ctxGet(this.context, ["__assets"]) as { base: string; version: (name: string) => string } | undefined;
    if (!assets) throw new Error("asset_url used outside a theme or extension render");
    const file = String(name);
    return `${assets.base}/${file}?v=${assets.version(file)}`;
  });
  liquid.registerFilter("image_url", (input: unknown, ...args: Args) => {
    const src = imageSrc(input);
    if (!src) return "";
    const { width, height, crop } = keywords(args);
    const params = new URLSearchParams();
    if (width) params.set("width", String(width));
    if (height) params.set("height", String(height));
    if (crop) params.set("crop", String(crop));
    const q = params.toString();
    return q ? `${src}${src.includes("?") ? "&" : "?"}${q}` : src;
  });
  liquid.registerFilter("image_tag", (url: unknown, ...args: Args) => {
    const attrs: Record<string, unknown> = { width: undefined, height: undefined, ...keywords(args) };
    const width = Number(/[?&]width=(\d+)/.exec(String(url))?.[1]) || undefined;
    attrs.width ??= width;
    attrs.height ??= width;
    attrs.alt ??= "";
    const html = Object.entries(attrs)
      .filter(([, v]) => v !== undefined && v !== null && v !== false)
      .map(([k, v]) => (v === true ? k : `${k}="${escapeAttr(v)}"`))
      .join(" ");
    return `<img src="${escapeAttr(url)}" ${html}>`;
  });
  liquid.registerFilter("stylesheet_tag", (url: unknown) => `<link href="${escapeAttr(url)}" rel="stylesheet" type="text/css" media="all" />`);
  liquid.registerFilter("script_tag", (url: unknown) => `<script src="${escapeAttr(url)}" type="text/javascript"></script>`);
}

/** `{% schema %}…{% endschema %}`: configuration for the editor, never rendered. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    while (remainTokens.length) {
      const t = remainTokens.shift()!;
      if (TypeGuards.isTagToken(t) && t.name == "endschema") return;
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

/** A pre-rendered block (an app block) that `{% render block %}` writes out. */
export interface RenderedBlock {
  __html: string;
}
const isRenderedBlock = (x: unknown): x is RenderedBlock => !!x && typeof x == "object" && typeof (x as RenderedBlock).__html == "string";

/** `{% render block %}` for app blocks; every other `render` as liquidjs does it. */
class ShopifyRenderTag extends RenderTag {
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const file = (this as unknown as { file: unknown }).file;
    if (file && typeof file == "object" && !Array.isArray(file) && "getText" in (file as object)) {
      const value = ctx.getSync(String((file as { getText(): string }).getText()).split("."));
      if (isRenderedBlock(value)) {
        emitter.write(value.__html);
        return;
      }
    }
    yield* super.render(ctx, emitter);
  }
}

export interface LiquidEnvironment {
  liquid: Liquid;
  /** Renders a file (relative to the root, no extension). `globals` reach snippets
   *  rendered with `{% render %}` too (Shopify's global objects); `scope` does not. */
  renderFile(file: string, scope: Record<string, unknown>, globals: Record<string, unknown>): Promise<string>;
}

export interface SectionRenderer {
  (ctx: Context, name: string): Promise<string>;
}

/** A Liquid engine over one directory (a theme, or a theme app extension). */
export function createLiquid(root: string, options: { renderSection?: SectionRenderer } = {}): LiquidEnvironment {
  const liquid = new Liquid({
    root: [root],
    partials: [`${root}/snippets`],
    layouts: [`${root}/layout`],
    extname: ".liquid",
    relativeReference: false,
    strictFilters: true,
    cache: true,
    ownPropertyOnly: true,
  });
  registerShopifyFilters(liquid);
  liquid.registerTag("schema", SchemaTag);
  liquid.registerTag("render", ShopifyRenderTag);
  const renderSection = options.renderSection;
  if (renderSection)
    liquid.registerTag(
      "section",
      class extends Tag {
        private section: string;
        constructor(token: TagToken, remainTokens: TopLevelToken[], liq: Liquid) {
          super(token, remainTokens, liq);
          this.section = token.args.trim().replace(/^['"]|['"]$/g, "");
        }
        *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
          emitter.write((yield renderSection(ctx, this.section)) as string);
        }
      },
    );
  return {
    liquid,
    renderFile: (file, scope, globals) => liquid.renderFile(file, scope, { globals }) as Promise<string>,
  };
}

/** The JSON inside a Liquid file's `{% schema %}` tag (empty object when absent). */
export function readSchema(path: string): Record<string, any> {
  const m = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(readFileSync(path, "utf8"));
  return m ? JSON.parse(m[1]) : {};
}

/** Default setting values from a schema's `settings`. */
export function schemaDefaults(schema: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries((schema.settings ?? []).filter((s: any) => s.id).map((s: any) => [s.id, s.default ?? (s.type == "checkbox" ? false : "")]));
}

/** A content hash for asset URLs' `?v=` (cache busting, like Shopify's). */
export const fileVersion = (path: string): string => createHash("sha1").update(readFileSync(path)).digest("hex").slice(0, 10);
