// Builds the discount function (extensions/cartlift-discount, Rust) into the WebAssembly
// module the repository carries: extensions/cartlift-discount/cartlift-discount.wasm.
//
// The module is committed so that `npm ci && npm run demo` and `npm test` work on a machine
// without Rust; CI (.ci/run) rebuilds it and fails unless the bytes are identical, so the
// committed module is always what the sources build. Here: with Debian's toolchain
// (/usr/bin/cargo and /usr/bin/rustc with the wasm32-wasi target) it rebuilds and copies the
// module in place; without it, it keeps the committed module and says so.
//
// `tsx scripts/build-function.ts --out <file>`: builds into <file> instead (CI compares it).
// `--schema`: (re)writes the function folder's schema.graphql (what `shopify app function
// build` wants next to the toml) from Shopify's introspection in @shopify/dev-mcp.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientSchema, printSchema } from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FUNCTION_DIR = join(root, "extensions/cartlift-discount");
export const FUNCTION_WASM = join(FUNCTION_DIR, "cartlift-discount.wasm");
const CARGO = "/usr/bin/cargo";
const RUSTC = "/usr/bin/rustc";
/** What `cargo build --release` writes (the toml's `[extensions.build] path`). */
const BUILT = join(FUNCTION_DIR, "target/wasm32-wasi/release/cartlift-discount.wasm");

/** Why this machine cannot build the module, or null when it can. */
export function toolchainMissing(): string | null {
  if (!existsSync(CARGO) || !existsSync(RUSTC)) return `${CARGO} or ${RUSTC} is not installed`;
  const sysroot = execFileSync(RUSTC, ["--print", "sysroot"], { encoding: "utf8" }).trim();
  if (!existsSync(join(sysroot, "lib/rustlib/wasm32-wasi"))) return "rustc has no wasm32-wasi target (Debian: libstd-rust-dev-wasm32)";
  return null;
}

/** Runs the toml's build command with Debian's toolchain; returns the built module's path. */
export function cargoBuild(): string {
  // The build command Shopify CLI runs (shopify.extension.toml), with Debian's cargo and rustc
  // called explicitly (a rustup toolchain first on PATH may lack the wasm target).
  // Flags come from the crate's .cargo/config.toml only: any RUSTFLAGS in the environment
  // would replace them (and change the bytes).
  const env: NodeJS.ProcessEnv = { ...process.env, RUSTC, CARGO_TARGET_DIR: join(FUNCTION_DIR, "target") };
  for (const name of ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS", "CARGO_BUILD_TARGET"]) delete env[name];
  execFileSync(CARGO, ["build", "--release", "--offline", "--quiet"], { cwd: FUNCTION_DIR, stdio: "inherit", env });
  return BUILT;
}

export function writeSchema(): void {
  const introspection = (path: string) => {
    const json = JSON.parse(execFileSync("gzip", ["-dc", path], { encoding: "utf8", maxBuffer: 64 << 20 }));
    return json.data ?? json;
  };
  const toml = readFileSync(join(FUNCTION_DIR, "shopify.extension.toml"), "utf8");
  const version = /api_version\s*=\s*"([^"]+)"/.exec(toml)![1];
  const data = join(root, "node_modules/@shopify/dev-mcp/dist/data", `functions_discount_${version}.json.gz`);
  writeFileSync(join(FUNCTION_DIR, "schema.graphql"), printSchema(buildClientSchema(introspection(data))) + "\n");
}

export async function build(): Promise<void> {
  const missing = toolchainMissing();
  if (missing) {
    console.log(`cartlift-discount: using the committed module (${missing}; CI checks it is what the sources build)`);
    return;
  }
  copyFileSync(cargoBuild(), FUNCTION_WASM);
}

if (process.argv[1] && fileURLToPath(import.meta.url) == process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes("--schema")) writeSchema();
  const out = args.indexOf("--out");
  if (out >= 0) {
    const missing = toolchainMissing();
    if (missing) throw new Error(`cannot build the discount function: ${missing}`);
    copyFileSync(cargoBuild(), args[out + 1]);
  } else if (!args.includes("--schema")) await build();
}
