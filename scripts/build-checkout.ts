// Builds the checkout UI extension the way Shopify CLI 4.8 does, without the CLI: ONE minified
// bundle for all its targets; each target's module is registered with
// `shopify.extend(target, …)` (api_version ≥ 2025-10), target es6, JSX with Preact. Output:
// extensions/checkout-offers/dist/checkout-offers.js (what the local checkout serves and what
// `npm run bench:checkout` measures against the 16 KB gzipped budget). The discount function
// is Rust: scripts/build-function.ts.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const CHECKOUT_EXTENSION_DIR = join(root, "extensions/checkout-offers");
export const CHECKOUT_BUNDLE = join(CHECKOUT_EXTENSION_DIR, "dist/checkout-offers.js");

/** `[[extensions.targeting]]` blocks of a toml: key = value lines only, as Cartlift writes them. */
export function targetingOf(toml: string): { target: string; module?: string; export?: string }[] {
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      current = line == "[[extensions.targeting]]" ? {} : undefined;
      if (current) blocks.push(current);
      continue;
    }
    const m = /^([\w-]+)\s*=\s*"([^"]*)"/.exec(line);
    if (current && m) current[m[1]] = m[2];
  }
  return blocks.map((b) => ({ target: b.target, module: b.module, export: b.export }));
}

/** The bundle's entry, as the CLI writes it for a ui_extension on API 2025-10 or later. */
export function checkoutEntry(): string {
  const targets = targetingOf(readFileSync(join(CHECKOUT_EXTENSION_DIR, "shopify.extension.toml"), "utf8"));
  return targets
    .map(({ target, module }, i) => `import Target_${i} from '${module}';shopify.extend('${target}', (...args) => Target_${i}(...args));`)
    .join("\n");
}

export async function buildCheckoutExtension(options: { minify?: boolean } = {}): Promise<void> {
  await esbuild({
    stdin: { contents: checkoutEntry(), resolveDir: CHECKOUT_EXTENSION_DIR, loader: "tsx" },
    outfile: CHECKOUT_BUNDLE,
    bundle: true,
    minify: options.minify ?? true,
    target: "es6",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
}

export async function build(): Promise<void> {
  await buildCheckoutExtension();
}

if (process.argv[1] && fileURLToPath(import.meta.url) == process.argv[1]) await build();
