// Fixture function modules for the limit tests, assembled from text at test time: a WASI
// module whose `cart_lines_discounts_generate_run` spins a countdown loop `iterations` times,
// then writes `output` to stdout, and whose `cart_delivery_options_discounts_generate_run`
// writes an empty result. Instructions of the first (wasmtime 39 fuel, see
// localshop/function-runner/meter.ts):
//   1 (entry) + 2 (i32.const, local.set) + 5 per iteration (local.get, i32.const, i32.sub,
//   local.tee, br_if) + 11 (two stores of three operators, four i32.const, the call)
//   = 14 + 5 × iterations.
import { wat } from "./wat";

export const fixtureInstructions = (iterations: number) => 14 + 5 * iterations;

const EMPTY_RESULT = '{"operations":[]}';
const bytesOf = (text: string) => [...Buffer.from(text)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");

export function fixtureModule(iterations: number, output: string): Promise<Uint8Array<ArrayBuffer>> {
  const length = Buffer.byteLength(output);
  return wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "${bytesOf(EMPTY_RESULT)}")
    (data (i32.const 128) "${bytesOf(output)}")
    (func (export "cart_lines_discounts_generate_run") (local $i i32)
      i32.const ${iterations}
      local.set $i
      loop
        local.get $i
        i32.const 1
        i32.sub
        local.tee $i
        br_if 0
      end
      (i32.store (i32.const 0) (i32.const 128))
      (i32.store (i32.const 4) (i32.const ${length}))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
    (func (export "cart_delivery_options_discounts_generate_run")
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const ${Buffer.byteLength(EMPTY_RESULT)}))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);
}
