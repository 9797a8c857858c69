// Assembles WebAssembly text for the meter's tests with wabt (the WebAssembly Binary Toolkit,
// compiled to WebAssembly, from npm): an exact assembler, so each operator written in a test
// is one operator in the module, which is what hand-derived instruction counts need.
import wabtInit from "wabt";

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;

export async function wat(text: string, features: Record<string, boolean> = {}): Promise<Uint8Array<ArrayBuffer>> {
  wabt ??= await wabtInit();
  const module = wabt.parseWat("test.wat", text, features);
  try {
    module.resolveNames();
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
