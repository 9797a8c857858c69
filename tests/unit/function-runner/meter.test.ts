// The instruction meter against counts worked out by hand from wasmtime 39's fuel rule
// (see localshop/function-runner/meter.ts):
//   - each function invocation costs 1;
//   - nop, drop, block, loop, unreachable, return, else and end cost 0;
//   - every other operator executed costs 1 (a call to a host import: its `call` only).
// Every expected number below is derived in the comment next to the code it counts.
import { describe, expect, it } from "vitest";
import { BULK_BYTES_EXPORT, FUEL_EXPORT, FUEL_LIMIT_EXPORT, UnsupportedModuleError, instrument } from "../../../localshop/function-runner/meter";
import { meteredModule, runFunction } from "../../../localshop/function-runner/run";
import { wat } from "./wat";

const MODULE = `(module
  (type $unary (func (param i32) (result i32)))
  (table funcref (elem $double))

  ;; 1 (entry) + 4 (the four i32 operators) = 5. block, nop, drop and end are free.
  (func (export "block_nop_drop")
    block           ;; 0
      nop           ;; 0
      i32.const 7   ;; 1
      drop          ;; 0
      nop           ;; 0
    end             ;; 0
    i32.const 1     ;; 1
    i32.const 2     ;; 1
    i32.add         ;; 1
    drop)           ;; 0 (drop), 0 (the function's end)

  ;; Counts $n down to 0. Entry 1, then local.get + local.set = 2, then per iteration
  ;; local.get, i32.const, i32.sub, local.tee, br_if = 5; loop and end are free.
  ;; n iterations (n >= 1): 1 + 2 + 5n. n = 10: 53; n = 1: 8.
  (func (export "countdown") (param $n i32) (local $i i32)
    local.get $n    ;; 1
    local.set $i    ;; 1
    loop            ;; 0
      local.get $i  ;; 1
      i32.const 1   ;; 1
      i32.sub       ;; 1
      local.tee $i  ;; 1
      br_if 0       ;; 1
    end)            ;; 0

  ;; if/else: local.get + if = 2 whichever way it goes.
  ;; x != 0: 1 + 2 + 1 (then: i32.const) = 4.
  ;; x == 0: 1 + 2 + 3 (else: i32.const, i32.const, i32.add) = 6.
  (func (export "branch") (param $x i32) (result i32)
    local.get $x    ;; 1
    if (result i32) ;; 1
      i32.const 10  ;; 1
    else            ;; 0
      i32.const 20  ;; 1
      i32.const 1   ;; 1
      i32.add       ;; 1
    end)            ;; 0

  ;; br_if out of a block. x != 0: 1 + 2 (local.get, br_if) + 1 (i32.const 0) = 4.
  ;; x == 0: 1 + 2 + 3 (i32.const, i32.const, i32.add; drop is free) + 1 = 7.
  (func (export "early_exit") (param $x i32) (result i32)
    block
      local.get $x  ;; 1
      br_if 0       ;; 1
      i32.const 1   ;; 1
      i32.const 2   ;; 1
      i32.add       ;; 1
      drop          ;; 0
    end             ;; 0
    i32.const 0)    ;; 1

  ;; $double alone: 1 (entry) + 3 (local.get, local.get, i32.add) = 4.
  (func $double (param i32) (result i32)
    local.get 0
    local.get 0
    i32.add)

  ;; 1 (entry) + 1 (i32.const) + 1 (call) + 4 ($double) + 2 (i32.const, i32.add) = 9.
  (func (export "call") (result i32)
    i32.const 21
    call $double
    i32.const 1
    i32.add)

  ;; 1 + 2 (i32.const, i32.const) + 1 (call_indirect) + 4 ($double) = 8.
  (func (export "call_indirect") (result i32)
    i32.const 21
    i32.const 0
    call_indirect (type $unary))

  ;; br_table to one of three blocks, each case then pushes a constant and returns.
  ;; 1 + 2 (local.get, br_table) + 1 (the case's i32.const; return is free) = 4 for any x.
  (func (export "switch") (param $x i32) (result i32)
    block
      block
        block
          local.get $x      ;; 1
          br_table 0 1 2    ;; 1
        end
        i32.const 100       ;; 1
        return              ;; 0
      end
      i32.const 200         ;; 1
      return                ;; 0
    end
    i32.const 300)          ;; 1

  ;; Traps: 1 + 1 (i32.const) = 2 counted before the trap; unreachable is free.
  (func (export "trap")
    i32.const 0
    drop
    unreachable)

  ;; Never ends: 1 at entry, then 1 per iteration (br).
  (func (export "spin")
    loop
      br 0
    end)
)`;

async function instance() {
  const metered = new WebAssembly.Instance(new WebAssembly.Module(instrument(await wat(MODULE))));
  const exports = metered.exports as Record<string, (...args: number[]) => number>;
  const fuel = metered.exports[FUEL_EXPORT] as WebAssembly.Global;
  const limit = metered.exports[FUEL_LIMIT_EXPORT] as WebAssembly.Global;
  /** Runs one export from a zero count; returns [result, instructions]. */
  const run = (name: string, ...args: number[]): [number, number] => {
    fuel.value = 0n;
    const result = exports[name](...args);
    return [result, Number(fuel.value)];
  };
  return { run, fuel, limit };
}

describe("instruction meter (wasmtime 39 fuel rule)", () => {
  it("charges nothing for block, nop, drop and end, and 1 for each function entry", async () => {
    const { run } = await instance();
    expect(run("block_nop_drop")[1]).toBe(5);
  });

  it("charges a loop per iteration it actually runs", async () => {
    const { run } = await instance();
    expect(run("countdown", 10)[1]).toBe(53);
    expect(run("countdown", 1)[1]).toBe(8);
    expect(run("countdown", 1000)[1]).toBe(1 + 2 + 5 * 1000);
  });

  it("charges only the branch taken, for if/else and for br_if", async () => {
    const { run } = await instance();
    expect(run("branch", 1)).toEqual([10, 4]);
    expect(run("branch", 0)).toEqual([21, 6]);
    expect(run("early_exit", 1)).toEqual([0, 4]);
    expect(run("early_exit", 0)).toEqual([0, 7]);
  });

  it("charges a call, direct or indirect, plus everything the callee runs", async () => {
    const { run } = await instance();
    expect(run("call")).toEqual([43, 9]);
    expect(run("call_indirect")).toEqual([42, 8]);
  });

  it("charges br_table and stops charging at return", async () => {
    const { run } = await instance();
    expect(run("switch", 0)).toEqual([100, 4]);
    expect(run("switch", 1)).toEqual([200, 4]);
    expect(run("switch", 7)).toEqual([300, 4]);
  });

  it("counts what ran before a trap", async () => {
    const { run, fuel } = await instance();
    expect(() => run("trap")).toThrow(WebAssembly.RuntimeError);
    expect(Number(fuel.value)).toBe(2);
  });

  it("stops a runaway loop at the first loop header past the limit", async () => {
    const { run, fuel, limit } = await instance();
    limit.value = 1000n;
    // Entry 1, each `br` 1: the header check sees 1, 2, …, 1001 and traps at 1001.
    expect(() => run("spin")).toThrow(WebAssembly.RuntimeError);
    expect(Number(fuel.value)).toBe(1001);
  });

  it("leaves the module's behaviour unchanged", async () => {
    const plain = new WebAssembly.Instance(new WebAssembly.Module(await wat(MODULE))).exports as Record<string, (...a: number[]) => number>;
    const { run } = await instance();
    for (const [name, args] of [["branch", [0]], ["branch", [3]], ["call", []], ["call_indirect", []], ["switch", [1]], ["early_exit", [0]]] as const)
      expect(run(name, ...args)[0]).toBe(plain[name](...args));
  });

  it("charges memory.copy and memory.fill 1 whatever their length, and counts their bytes apart", async () => {
    // 1 (entry) + 3 (i32.const ×3) + 1 (memory.copy) + 3 + 1 (memory.fill) = 9 instructions;
    // 100 + 20 = 120 bytes, which wasmtime 46 and later would charge on top.
    const module = await wat(
      `(module (memory 1) (func (export "bulk")
        (memory.copy (i32.const 200) (i32.const 0) (i32.const 100))
        (memory.fill (i32.const 0) (i32.const 7) (i32.const 20))))`,
      { bulk_memory: true },
    );
    const metered = new WebAssembly.Instance(new WebAssembly.Module(instrument(module))).exports as Record<string, unknown>;
    (metered.bulk as () => void)();
    expect(Number((metered[FUEL_EXPORT] as WebAssembly.Global).value)).toBe(9);
    expect(Number((metered[BULK_BYTES_EXPORT] as WebAssembly.Global).value)).toBe(120);
  });

  it("refuses a module using an operator it cannot count as wasmtime does", async () => {
    // Exception handling: wasmtime 39 charges `throw` at a point this meter does not model.
    const exceptions = await wat(`(module (tag $e) (func (export "f") throw $e))`, { exceptions: true });
    expect(() => instrument(exceptions)).toThrow(UnsupportedModuleError);
    expect(() => instrument(new Uint8Array([1, 2, 3]))).toThrow(UnsupportedModuleError);
  });
});

describe("function run under WASI (node:wasi), metered", () => {
  // fd_write of "hi\n" from a one-entry iovec at address 0 (pointer 16, length 3).
  const WASI_MODULE = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hi\\n")
    ;; 1 (entry) + 3 (i32.const, i32.const, i32.store) + 3 (the same) + 4 (four i32.const)
    ;; + 1 (call: the host's work is free) = 12; drop and end are free.
    (func (export "write")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 3))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
    ;; 1 + 1 (i32.const) + 1 (call) = 3, then the run ends with the exit code.
    (func (export "exit0") (call $proc_exit (i32.const 0)))
    (func (export "exit3") (call $proc_exit (i32.const 3))))`;

  it("runs a target export with stdout captured and counts a host call as its call operator", async () => {
    const module = meteredModule(await wat(WASI_MODULE));
    const run = runFunction(module, "write", new Uint8Array());
    expect(run.error).toBeUndefined();
    expect(run.output.toString()).toBe("hi\n");
    expect(run.instructions).toBe(12);
  });

  it("treats exit code 0 as success and any other exit code as a failure, as function-runner does", async () => {
    const module = meteredModule(await wat(WASI_MODULE));
    expect(runFunction(module, "exit0", new Uint8Array())).toMatchObject({ error: undefined, instructions: 3 });
    expect(runFunction(module, "exit3", new Uint8Array())).toMatchObject({ error: "module exited with code: 3", instructions: 3 });
  });

  it("stops a run past its instruction limit and says so", async () => {
    const module = meteredModule(await wat(`(module (memory (export "memory") 1) (func (export "spin") loop br 0 end))`));
    const run = runFunction(module, "spin", new Uint8Array(), { instructionLimit: 5000 });
    expect(run.exceededInstructions).toBe(true);
    expect(run.instructions).toBe(5001);
    expect(run.error).toMatch(/more than 5000 instructions/);
  });
});
