// Runs the discount function's WebAssembly module (extensions/cartlift-discount, built from
// Rust) the way Shopify does: a WASI preview 1 module, instantiated fresh for every run, the
// target's export called directly (no `_start`), the input query's JSON on stdin and the
// result's JSON read from stdout. The module is compiled once per file content, so a run
// costs an instantiation, not a compilation. Synchronous: the local checkout calls it inline.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";
import type { DiscountTarget } from "./function-input";

const here = dirname(fileURLToPath(import.meta.url));

/** The built module the repository carries (scripts/build-function.ts rebuilds it). */
export const FUNCTION_WASM = join(here, "../../extensions/cartlift-discount/cartlift-discount.wasm");

/** Each target's export (shopify.extension.toml `export`). */
export const TARGET_EXPORTS: Record<DiscountTarget, string> = {
  "cart.lines.discounts.generate.run": "cart_lines_discounts_generate_run",
  "cart.delivery-options.discounts.generate.run": "cart_delivery_options_discounts_generate_run",
};

export type WasmRun = { ok: true; output: unknown; outputBytes: number; logs: string } | { ok: false; error: string; logs: string };

const modules = new Map<string, { mtimeMs: number; size: number; module: WebAssembly.Module }>();

/** The compiled module of `path`, compiled again only when the file changes. */
export function functionModule(path = FUNCTION_WASM): WebAssembly.Module {
  const { mtimeMs, size } = statSync(path);
  const had = modules.get(path);
  if (had && had.mtimeMs == mtimeMs && had.size == size) return had.module;
  const module = new WebAssembly.Module(readFileSync(path));
  modules.set(path, { mtimeMs, size, module });
  return module;
}

let scratch: string | undefined;
let sequence = 0;

/** Runs `exportName` of `module` on the input bytes; stdout and stderr as written. */
export function runExport(module: WebAssembly.Module, exportName: string, input: Uint8Array): { stdout: Buffer; stderr: string; error?: string } {
  scratch ??= mkdtempSync(join(tmpdir(), "cartlift-wasm-"));
  const base = join(scratch, `${process.pid}-${sequence++}`);
  writeFileSync(`${base}.in`, input);
  const fds = [openSync(`${base}.in`, "r"), openSync(`${base}.out`, "w+"), openSync(`${base}.err`, "w+")];
  let error: string | undefined;
  try {
    const wasi = new WASI({ version: "preview1", args: [], env: {}, stdin: fds[0], stdout: fds[1], stderr: fds[2], returnOnExit: true });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    const exports = instance.exports as Record<string, unknown>;
    const run = exports[exportName];
    if (typeof run != "function") throw new Error(`the module has no export "${exportName}"`);
    // A command module (it exports `_start`), which `initialize` refuses: WASI only needs its memory.
    wasi.initialize({ exports: { memory: exports.memory } } as unknown as WebAssembly.Instance);
    (run as () => void)();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  try {
    return { stdout: readFileSync(`${base}.out`), stderr: readFileSync(`${base}.err`, "utf8"), error };
  } finally {
    for (const fd of fds) closeSync(fd);
    for (const ext of ["in", "out", "err"]) rmSync(`${base}.${ext}`, { force: true });
  }
}

/** Runs the discount function's `target` on `input` (the input query's result). A trap or
 *  output that is not JSON is a failed run: the caller applies nothing. */
export function runDiscountFunction(target: DiscountTarget, input: unknown, path = FUNCTION_WASM): WasmRun {
  const run = runExport(functionModule(path), TARGET_EXPORTS[target], Buffer.from(JSON.stringify(input)));
  if (run.error) return { ok: false, error: run.error, logs: run.stderr };
  try {
    return { ok: true, output: JSON.parse(run.stdout.toString("utf8")), outputBytes: run.stdout.length, logs: run.stderr };
  } catch {
    return { ok: false, error: "the function's output is not JSON", logs: run.stderr };
  }
}

/** Thrown by the in-memory WASI's `proc_exit`. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`the module exited with code ${code}`);
  }
}

/**
 * One instance of the module for many runs, for tests and benchmarks that run it thousands
 * of times (instantiating costs milliseconds; a run, microseconds). The instance gets a
 * minimal in-memory WASI (the five preview 1 calls a Rust module imports: stdin, stdout,
 * stderr, an empty environment, exit); each run swaps its stdin and collects its stdout.
 * After a failed run the next one starts on a fresh instance. The checkout uses
 * `runDiscountFunction`, a fresh instance under Node's own WASI per run, as Shopify does.
 */
export function reusableRunner(module: WebAssembly.Module = functionModule()) {
  let input = new Uint8Array();
  let at = 0;
  let out: Uint8Array[] = [];
  let err: Uint8Array[] = [];
  let memory: WebAssembly.Memory;
  let exports: Record<string, unknown> | undefined;
  const EBADF = 8;
  const wasi = {
    fd_read(fd: number, iovs: number, count: number, nread: number): number {
      if (fd != 0) return EBADF;
      const view = new DataView(memory.buffer);
      let n = 0;
      for (let i = 0; i < count; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true);
        const len = view.getUint32(iovs + 8 * i + 4, true);
        const chunk = input.subarray(at, at + len);
        new Uint8Array(memory.buffer, ptr, chunk.length).set(chunk);
        at += chunk.length;
        n += chunk.length;
        if (chunk.length < len) break;
      }
      view.setUint32(nread, n, true);
      return 0;
    },
    fd_write(fd: number, iovs: number, count: number, nwritten: number): number {
      if (fd != 1 && fd != 2) return EBADF;
      const view = new DataView(memory.buffer);
      let n = 0;
      for (let i = 0; i < count; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true);
        const len = view.getUint32(iovs + 8 * i + 4, true);
        (fd == 1 ? out : err).push(new Uint8Array(memory.buffer, ptr, len).slice());
        n += len;
      }
      view.setUint32(nwritten, n, true);
      return 0;
    },
    environ_sizes_get(count: number, size: number): number {
      const view = new DataView(memory.buffer);
      view.setUint32(count, 0, true);
      view.setUint32(size, 0, true);
      return 0;
    },
    environ_get: (): number => 0,
    proc_exit(code: number): never {
      throw new Exit(code);
    },
  };
  return (target: DiscountTarget, json: string): WasmRun => {
    if (!exports) {
      exports = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi }).exports as Record<string, unknown>;
      memory = exports.memory as WebAssembly.Memory;
    }
    input = Buffer.from(json);
    at = 0;
    out = [];
    err = [];
    try {
      (exports[TARGET_EXPORTS[target]] as () => void)();
    } catch (e) {
      exports = undefined;
      return { ok: false, error: e instanceof Error ? e.message : String(e), logs: Buffer.concat(err).toString("utf8") };
    }
    const stdout = Buffer.concat(out);
    try {
      return { ok: true, output: JSON.parse(stdout.toString("utf8")), outputBytes: stdout.length, logs: Buffer.concat(err).toString("utf8") };
    } catch {
      return { ok: false, error: "the function's output is not JSON", logs: Buffer.concat(err).toString("utf8") };
    }
  };
}
