// Runs a Shopify Function module the way Shopify's function-runner does, with the instruction
// meter built in: a WASI preview 1 module, instantiated fresh for every run (no `_start`,
// no `_initialize`: function-runner calls the target's export right after instantiation),
// the input on stdin, the output read from stdout, stderr kept as the run's logs. Instructions
// are counted from instantiation on (a start function counts, as it does in function-runner).
// Synchronous, so the local checkout can call it inline.
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { BULK_BYTES_EXPORT, FUEL_EXPORT, FUEL_LIMIT_EXPORT, instrument } from "./meter";

export interface MeteredModule {
  /** Size of the module as deployed (before instrumentation), bytes. */
  size: number;
  /** The instrumented module, compiled once. */
  compiled: WebAssembly.Module;
  /** The module's own exported functions (the meter's globals left out). */
  exports: string[];
}

const cache = new Map<string, MeteredModule>();

/** Instruments and compiles a module, once per distinct module (cached by content). */
export function meteredModule(wasm: Uint8Array): MeteredModule {
  const key = createHash("sha256").update(wasm).digest("hex");
  let module = cache.get(key);
  if (!module) {
    const compiled = new WebAssembly.Module(instrument(wasm));
    const exports = WebAssembly.Module.exports(compiled)
      .filter((e) => e.kind == "function")
      .map((e) => e.name);
    module = { size: wasm.length, compiled, exports };
    cache.set(key, module);
  }
  return module;
}

const files = new Map<string, { mtimeMs: number; size: number; module: MeteredModule }>();

/** `meteredModule` of a file, read again only when the file changes. */
export function meteredModuleFile(path: string): MeteredModule {
  const { mtimeMs, size } = statSync(path);
  const had = files.get(path);
  if (had && had.mtimeMs == mtimeMs && had.size == size) return had.module;
  const module = meteredModule(readFileSync(path));
  files.set(path, { mtimeMs, size, module });
  return module;
}

export interface FunctionRun {
  /** Everything the function wrote to stdout. */
  output: Buffer;
  /** Everything it wrote to stderr, and the error that ended the run, if any. */
  logs: string;
  /** Instructions executed, as wasmtime 39 counts fuel (see ./meter.ts). When the run was
   *  stopped at `instructionLimit`, the count when it stopped (just past the limit). */
  instructions: number;
  /** Why the run failed (a trap, a non-zero exit, the limit), if it did. */
  error?: string;
  /** The run was stopped because it went past `instructionLimit`. */
  exceededInstructions: boolean;
  /** Bytes memory.copy and memory.fill moved or set (free under wasmtime 39; charged per
   *  byte by wasmtime 46 and later: see BULK_BYTES_EXPORT in ./meter.ts). */
  bulkBytes: number;
}

/** The exit code of a `proc_exit`: Node's WASI throws its exit-code symbol and keeps the
 *  code on the WASI object under that symbol. */
function exitCode(wasi: WASI | undefined, thrown: unknown): number | undefined {
  if (!wasi || typeof thrown != "symbol" || thrown.description != "kExitCode") return undefined;
  return Number((wasi as unknown as Record<symbol, unknown>)[thrown]);
}

let scratch: string | undefined;
let sequence = 0;

/**
 * Runs `exportName` of the module on `input`. With `instructionLimit`, the run stops (as
 * wasmtime stops a run out of fuel: at the next function entry or loop header) once more
 * than that many instructions have run, so a runaway function cannot hang the caller.
 */
export function runFunction(module: MeteredModule, exportName: string, input: Uint8Array, options: { instructionLimit?: number } = {}): FunctionRun {
  if (!module.exports.includes(exportName))
    return { output: Buffer.alloc(0), logs: "", instructions: 0, error: `the module has no export "${exportName}"`, exceededInstructions: false, bulkBytes: 0 };
  scratch ??= mkdtempSync(join(tmpdir(), "cartlift-function-"));
  const base = join(scratch, `${process.pid}-${sequence++}`);
  writeFileSync(`${base}.in`, input);
  const fds = [openSync(`${base}.in`, "r"), openSync(`${base}.out`, "w+"), openSync(`${base}.err`, "w+")];
  let instance: WebAssembly.Instance | undefined;
  let error: string | undefined;
  let wasi: WASI | undefined;
  try {
    wasi = new WASI({ version: "preview1", args: [], env: {}, stdin: fds[0], stdout: fds[1], stderr: fds[2], returnOnExit: true });
    const imports = wasi.getImportObject() as WebAssembly.Imports;
    const wanted = WebAssembly.Module.imports(module.compiled).filter((i) => !(i.module in imports));
    if (wanted.length) throw new Error(`the module imports what a WASI function runtime does not provide: ${wanted.map((i) => `${i.module}.${i.name}`).join(", ")}`);
    // A start function (function-runner meters it too) runs before the limit can be set:
    // counted, but not stopped. Rust and Javy modules have none.
    instance = new WebAssembly.Instance(module.compiled, imports);
    const exports = instance.exports as Record<string, unknown>;
    if (options.instructionLimit != null) (exports[FUEL_LIMIT_EXPORT] as WebAssembly.Global).value = BigInt(Math.floor(options.instructionLimit));
    // WASI needs the memory; `_initialize` is not called (function-runner does not call it).
    wasi.initialize({ exports: { memory: exports.memory } } as unknown as WebAssembly.Instance);
    (exports[exportName] as () => void)();
  } catch (e) {
    // `proc_exit` ends the run by throwing Node's WASI exit marker; as in function-runner,
    // exit code 0 is a success and any other code a failure.
    const exit = exitCode(wasi, e);
    if (exit == undefined) error = e instanceof Error ? e.message : String(e);
    else if (exit != 0) error = `module exited with code: ${exit}`;
  }
  try {
    const counter = (name: string) => (instance ? Number((instance.exports[name] as WebAssembly.Global).value) : 0);
    const instructions = counter(FUEL_EXPORT);
    const exceededInstructions = options.instructionLimit != null && instructions > options.instructionLimit;
    if (exceededInstructions) error = `the function ran more than ${options.instructionLimit} instructions`;
    const logs = readFileSync(`${base}.err`, "utf8") + (error ? `${error}\n` : "");
    return { output: readFileSync(`${base}.out`), logs, instructions, error, exceededInstructions, bulkBytes: counter(BULK_BYTES_EXPORT) };
  } finally {
    for (const fd of fds) closeSync(fd);
    for (const ext of ["in", "out", "err"]) rmSync(`${base}.${ext}`, { force: true });
  }
}
