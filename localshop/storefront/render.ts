// Renders the local storefront's pages as Shopify renders an Online Store 2.0 theme:
// JSON templates → sections (with their blocks, app blocks included) → the layout, with
// the enabled app embeds injected before </body> and the assets their schemas name
// (`stylesheet`, `javascript`) injected through `content_for_header`, once per page.
// App blocks and embeds are rendered by the extension's own Liquid engine, with its own
// locales, `asset_url` and the `app` object (app-owned metafields).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "liquidjs";
import { getApp, getCurrencyRate, getShop, listMetafields, type LocalShopState } from "../state";
import type { CartJson } from "./cart";
import { createLiquid, fileVersion, readSchema, schemaDefaults, type LiquidEnvironment } from "./liquid";
import { webPixelsBoot } from "../web-pixels";
import { cartDrop, collectionsDrop, localizationDrop, routesDrop, shopDrop, type RequestInfo } from "./objects";

const HERE = dirname(fileURLToPath(import.meta.url));
export const THEME_DIR = join(HERE, "theme");
export const EXTENSION_DIR = join(HERE, "..", "..", "extensions", "theme-cartlift");
export const THEME_ASSETS_BASE = "/cdn/shop/t/1/assets";

interface BlockJson {
  type: string;
  settings?: Record<string, unknown>;
  disabled?: boolean;
}
interface SectionJson {
  type: string;
  settings?: Record<string, unknown>;
  blocks?: Record<string, BlockJson>;
  block_order?: string[];
}
interface TemplateJson {
  sections: Record<string, SectionJson>;
  order: string[];
}

export interface Page {
  state: LocalShopState;
  req: RequestInfo;
  cart: CartJson;
  template: "index" | "collection" | "product" | "cart" | "404";
  title: string;
  product?: Record<string, unknown>;
  collection?: Record<string, unknown>;
  /** false: render without any app block or embed (a shop without the app). */
  apps: boolean;
}

/** What the app blocks rendered on a page ask the head to load. */
interface PageAssets {
  stylesheets: Set<string>;
  scripts: Set<string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

function deepMerge(base: any, over: any): any {
  if (!over || typeof over != "object" || Array.isArray(over)) return over ?? base;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base?.[k], v);
  return out;
}

/** Locale files of a theme or extension: `<locale>.json` over `*.default.json`. */
function loadLocales(dir: string): (locale: string) => unknown {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json") && !f.includes(".schema.")) : [];
  const def = files.find((f) => f.endsWith(".default.json"));
  const base = def ? readJson(join(dir, def)) : {};
  const cache = new Map<string, unknown>();
  return (locale) => {
    if (!cache.has(locale)) {
      const file = files.find((f) => f.replace(/(\.default)?\.json$/, "").toLowerCase() == locale.toLowerCase());
      cache.set(locale, file && file != def ? deepMerge(base, readJson(join(dir, file))) : base);
    }
    return cache.get(locale);
  };
}

const versions = new Map<string, string>();
const versionOf = (dir: string) => (name: string) => {
  const path = join(dir, name);
  if (!versions.has(path)) versions.set(path, existsSync(path) ? fileVersion(path) : "0");
  return versions.get(path)!;
};

/** The theme app extension as Shopify would serve it: uid, blocks and their schemas. */
export function readExtension(dir = EXTENSION_DIR) {
  const toml = readFileSync(join(dir, "shopify.extension.toml"), "utf8");
  const uid = /^\s*uid\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "local";
  const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "theme-cartlift";
  const blocks = new Map<string, Record<string, any>>();
  for (const f of readdirSync(join(dir, "blocks")).filter((f) => f.endsWith(".liquid"))) blocks.set(f.replace(/\.liquid$/, ""), readSchema(join(dir, "blocks", f)));
  return { dir, uid, handle, blocks, assetsBase: `/cdn/shop/extensions/${uid}/assets` };
}

export interface Storefront {
  renderPage(page: Page): Promise<string>;
  /** The Section Rendering API: `{ id: html }` (null for an unknown section). */
  renderSections(page: Page, ids: string[]): Promise<Record<string, string | null>>;
  extension: ReturnType<typeof readExtension>;
  themeDir: string;
}

export function createStorefront(themeDir = THEME_DIR, extensionDir = EXTENSION_DIR): Storefront {
  const extension = readExtension(extensionDir);
  const themeLocales = loadLocales(join(themeDir, "locales"));
  const extensionLocales = loadLocales(join(extensionDir, "locales"));
  const settingsData = readJson<{ current: Record<string, any> }>(join(themeDir, "config", "settings_data.json")).current;
  const sectionSchemas = new Map<string, Record<string, any>>();
  const sectionSchema = (type: string) => {
    if (!sectionSchemas.has(type)) sectionSchemas.set(type, readSchema(join(themeDir, "sections", `${type}.liquid`)));
    return sectionSchemas.get(type)!;
  };
  const templates = new Map<string, TemplateJson>();
  const template = (name: string) => {
    if (!templates.has(name)) templates.set(name, readJson<TemplateJson>(join(themeDir, "templates", `${name}.json`)));
    return templates.get(name)!;
  };

  const extLiquid: LiquidEnvironment = createLiquid(extensionDir);
  const themeLiquid: LiquidEnvironment = createLiquid(themeDir, {
    renderSection: (ctx: Context, name: string) => {
      const run = ctx.getSync(["__run"]) as PageRun;
      return renderSection(run, name, { type: name, settings: settingsData.sections?.[name]?.settings });
    },
  });

  interface PageRun {
    page: Page;
    globals: Record<string, unknown>;
    assets: PageAssets;
  }

  const appTypeRe = /^shopify:\/\/apps\/([^/]+)\/blocks\/([^/]+)\/([^/]+)$/;
  /** The extension block a `shopify://apps/…` type names, if it is Cartlift's. */
  const appBlock = (type: string) => {
    const m = appTypeRe.exec(type);
    if (!m || m[3] != extension.uid) return null;
    const schema = extension.blocks.get(m[2]);
    return schema ? { name: m[2], schema } : null;
  };

  function appObject(state: LocalShopState) {
    const app = getApp(state);
    const metafields: Record<string, Record<string, unknown>> = {};
    for (const m of listMetafields(state, app.installationId)) {
      let value: unknown = m.value;
      if (m.type == "json") {
        try {
          value = JSON.parse(m.value);
        } catch {
          value = null;
        }
      }
      (metafields[m.namespace] ??= {})[m.key] = { value, type: m.type };
    }
    return { metafields };
  }

  async function renderAppBlock(run: PageRun, id: string, json: BlockJson, wrapperClass: string): Promise<string> {
    const found = appBlock(json.type);
    if (!found || !run.page.apps || json.disabled) return "";
    const { name, schema } = found;
    if (schema.stylesheet) run.assets.stylesheets.add(`${extension.assetsBase}/${schema.stylesheet}?v=${versionOf(join(extensionDir, "assets"))(schema.stylesheet)}`);
    if (schema.javascript) run.assets.scripts.add(`${extension.assetsBase}/${schema.javascript}?v=${versionOf(join(extensionDir, "assets"))(schema.javascript)}`);
    const block = { id, type: json.type, settings: { ...schemaDefaults(schema), ...json.settings }, shopify_attributes: "" };
    const html = await extLiquid.renderFile(
      `blocks/${name}`,
      { block },
      {
        ...run.globals,
        app: appObject(run.page.state),
        __translations: extensionLocales(run.page.req.locale),
        __assets: { base: extension.assetsBase, version: versionOf(join(extensionDir, "assets")) },
      },
    );
    return `<div id="shopify-block-${id}" class="${wrapperClass}">${html}</div>`;
  }

  async function renderSection(run: PageRun, id: string, json: SectionJson): Promise<string> {
    const schema = sectionSchema(json.type);
    const order = json.block_order ?? Object.keys(json.blocks ?? {});
    const blocks = [];
    for (const blockId of order) {
      const b = json.blocks![blockId];
      if (!b || b.disabled) continue;
      if (b.type.startsWith("shopify://apps/")) {
        const html = await renderAppBlock(run, blockId, b, "shopify-block shopify-app-block");
        if (html) blocks.push({ id: blockId, type: "@app", settings: b.settings ?? {}, shopify_attributes: "", __html: html });
      } else {
        const bschema = (schema.blocks ?? []).find((x: any) => x.type == b.type) ?? {};
        blocks.push({ id: blockId, type: b.type, settings: { ...schemaDefaults(bschema), ...b.settings }, shopify_attributes: "" });
      }
    }
    const section = { id, settings: { ...schemaDefaults(schema), ...json.settings }, blocks };
    const html = await themeLiquid.renderFile(`sections/${json.type}`, { section }, run.globals);
    return `<div id="shopify-section-${id}" class="shopify-section">${html}</div>`;
  }

  function globals(page: Page, run: Omit<PageRun, "globals">): Record<string, unknown> {
    const { state, req } = page;
    const primary = getShop(state).locales.find((l) => l.primary)?.locale ?? "en";
    return {
      shop: shopDrop(state, req),
      cart: cartDrop(page.cart, req, state),
      localization: localizationDrop(state, req),
      routes: routesDrop(req),
      request: {
        locale: { iso_code: req.locale, primary: req.locale == primary, root_url: req.prefix || "/" },
        path: req.path,
        page_type: page.template,
        design_mode: false,
        host: new URL(req.origin).host,
        origin: req.origin,
      },
      template: { name: page.template, suffix: null, directory: null },
      settings: Object.fromEntries(Object.entries(settingsData).filter(([k]) => k != "blocks" && k != "sections")),
      collections: collectionsDrop(state, req),
      customer: null,
      product: page.product ?? null,
      collection: page.collection ?? null,
      page_title: page.title,
      page_description: getShop(state).name,
      canonical_url: req.origin + req.path,
      __translations: themeLocales(req.locale),
      __assets: { base: THEME_ASSETS_BASE, version: versionOf(join(themeDir, "assets")) },
      __run: run,
    };
  }

  function newRun(page: Page): PageRun {
    const run = { page, assets: { stylesheets: new Set<string>(), scripts: new Set<string>() } } as PageRun;
    run.globals = globals(page, run);
    return run;
  }

  function contentForHeader(run: PageRun): string {
    const { state, req } = run.page;
    const shop = getShop(state);
    const rate = getCurrencyRate(state, req.currency) ?? 1;
    const boot = [
      "var Shopify = Shopify || {};",
      `Shopify.shop = ${JSON.stringify(shop.myshopifyDomain)};`,
      `Shopify.locale = ${JSON.stringify(req.locale)};`,
      `Shopify.currency = ${JSON.stringify({ active: req.currency, rate: String(rate) })};`,
      `Shopify.country = ${JSON.stringify(shop.countryCode)};`,
      `Shopify.theme = {"name":"Local Dawn","id":1,"role":"main"};`,
      `Shopify.routes = Shopify.routes || {}; Shopify.routes.root = ${JSON.stringify((req.prefix || "") + "/")};`,
    ].join("");
    return [
      `<script>${boot}</script>`,
      webPixelsBoot(state, req.origin, { apps: run.page.apps }),
      ...[...run.assets.stylesheets].map((href) => `<link rel="stylesheet" href="${href}" media="all">`),
      ...[...run.assets.scripts].map((src) => `<script src="${src}" defer="defer"></script>`),
    ].join("\n");
  }

  async function renderEmbeds(run: PageRun, target: "body" | "head"): Promise<string> {
    let out = "";
    for (const [id, block] of Object.entries((settingsData.blocks ?? {}) as Record<string, BlockJson>)) {
      const found = appBlock(block.type);
      if (found && (found.schema.target ?? "section") == target) out += await renderAppBlock(run, id, block, "shopify-block shopify-app-block");
    }
    return out;
  }

  return {
    extension,
    themeDir,
    async renderPage(page) {
      const run = newRun(page);
      const tpl = template(page.template);
      let content = "";
      for (const id of tpl.order) content += await renderSection(run, id, tpl.sections[id]);
      // Embeds render before the layout so their assets reach content_for_header.
      const body = await renderEmbeds(run, "body");
      const head = await renderEmbeds(run, "head");
      // Static sections in the layout may hold app blocks too, so the head is completed
      // after the layout has rendered, at a placeholder.
      const marker = "<!--cartlift-local:content_for_header-->";
      let html = await themeLiquid.renderFile("layout/theme", { content_for_layout: content, content_for_header: marker }, run.globals);
      html = html.replace(marker, contentForHeader(run) + head);
      return html.replace(/<\/body>/i, `${body}</body>`);
    },
    async renderSections(page, ids) {
      const run = newRun(page);
      const tpl = template(page.template);
      const out: Record<string, string | null> = {};
      for (const id of ids) {
        if (tpl.sections[id]) out[id] = await renderSection(run, id, tpl.sections[id]);
        else if (/^[a-z0-9-]+$/.test(id) && existsSync(join(themeDir, "sections", `${id}.liquid`))) out[id] = await renderSection(run, id, { type: id });
        else out[id] = null;
      }
      return out;
    },
  };
}
