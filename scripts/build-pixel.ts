// Builds the web pixel extension as Shopify CLI 4.8 does (its `bundle_ui` step, esbuild, one
// JS entry): extensions/cartlift-pixel/src/index.ts → dist/cartlift-pixel.js, the file the
// CLI's size check (128 KB) reads and the local shop's pixel sandbox runs.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const PIXEL_EXTENSION_DIR = join(root, "extensions/cartlift-pixel");
export const PIXEL_BUNDLE = join(PIXEL_EXTENSION_DIR, "dist/cartlift-pixel.js");

export async function build(): Promise<void> {
  await esbuild({
    entryPoints: [join(PIXEL_EXTENSION_DIR, "src/index.ts")],
    outfile: PIXEL_BUNDLE,
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    logLevel: "error",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) == process.argv[1]) await build();
