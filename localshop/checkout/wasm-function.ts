// Runs the discount function's WebAssembly module (extensions/cartlift-discount, built from
// Rust) the way Shopify does: a WASI preview 1 module, instantiated fresh for every run, the
// target's export called directly (no `_start`), the input query's JSON on stdin and the
// result's JSON read from stdout, every run metered and held to Shopify's limits
// (localshop/function-runner). The module is instrumented and compiled once per file
// content, so a run costs an instantiation, not a compilation. Synchronous: the local
// checkout calls it inline.
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runWithinLimits, type LimitedRun } from "../function-runner/limits";
import { meteredModuleFile } from "../function-runner/run";
import type { DiscountTarget } from "./function-input";
import { functionOutputProblems } from "./function-output";

const here = dirname(fileURLToPath(import.meta.url));

/** The built module the repository carries (scripts/build-function.ts rebuilds it). */
export const FUNCTION_WASM = join(here, "../../extensions/cartlift-discount/cartlift-discount.wasm");

/** Each target's export (shopify.extension.toml `export`). */
export const TARGET_EXPORTS: Record<DiscountTarget, string> = {
  "cart.lines.discounts.generate.run": "cart_lines_discounts_generate_run",
  "cart.delivery-options.discounts.generate.run": "cart_delivery_options_discounts_generate_run",
};

export type WasmRun =
  | { ok: true; output: unknown; outputBytes: number; logs: string; instructions?: number }
  | { ok: false; error: string; logs: string; refused?: LimitedRefusal; instructions?: number };
type LimitedRefusal = Extract<LimitedRun, { ok: false }>["refused"];

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

/**
 * Runs the discount function's `target` on `input` (the input query's result) as Shopify
 * does, within Shopify's limits (localshop/function-runner/limits.ts): an input over 64,000
 * bytes is not run, a run past 11,000,000 instructions is stopped (both for carts of up to
 * 200 lines, scaled above), and an output over 20,000 bytes, not JSON, or not a valid result
 * of the target in the Discount Function API schema is refused. Every run is metered
 * (instructions as Shopify's function-runner counts them). A refused or failed run: the
 * caller applies nothing.
 */
export function runDiscountFunction(target: DiscountTarget, input: unknown, path = FUNCTION_WASM): WasmRun {
  const run = runWithinLimits(meteredModuleFile(path), TARGET_EXPORTS[target], input, (output) => functionOutputProblems(target, output));
  if (!run.ok) return { ok: false, error: run.reason, refused: run.refused, instructions: run.instructions, logs: run.logs };
  return { ok: true, output: run.output, outputBytes: run.outputBytes, instructions: run.instructions, logs: run.logs };
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
