// Builds the theme app extension's scripts from TypeScript (storefront/; Shopify's CLI accepts
// only assets/, blocks/, locales/, snippets/ and the toml in the extension folder):
//   assets/cartlift.js      the page-view loader (deferred, tiny; classic script)
//   assets/cartlift-app.js  the engine plus the renderer, imported by the loader on
//                           interaction or a cart change (ES module)
// Both are generated (git-ignored). `npm run build:extensions` runs this; so does the
// storefront bench. Prints the gzipped sizes.
import { build as esbuild } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const EXT = join(ROOT, "extensions", "theme-cartlift");
const SOURCES = join(ROOT, "storefront");

export const THEME_ASSETS = {
  loader: join(EXT, "assets", "cartlift.js"),
  app: join(EXT, "assets", "cartlift-app.js"),
  css: join(EXT, "assets", "cartlift.css"),
};

export async function build(): Promise<Record<string, number>> {
  const common = { bundle: true, minify: true, target: "es2020", legalComments: "none", logLevel: "warning", charset: "utf8" } as const;
  await esbuild({ ...common, entryPoints: [join(SOURCES, "loader.ts")], outfile: THEME_ASSETS.loader, format: "iife" });
  await esbuild({ ...common, entryPoints: [join(SOURCES, "app.ts")], outfile: THEME_ASSETS.app, format: "esm" });
  const sizes = Object.fromEntries(Object.entries(THEME_ASSETS).map(([k, p]) => [k, gzipSync(readFileSync(p), { level: 9 }).length]));
  console.log(`theme-cartlift: loader ${sizes.loader} B, app ${sizes.app} B, css ${sizes.css} B (gzipped)`);
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) await build();
