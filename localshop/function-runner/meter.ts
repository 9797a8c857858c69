// The instruction meter: counts a WebAssembly module's instructions the way Shopify counts
// them. Shopify's function-runner (9.2.1) runs a function under wasmtime 39.0.1 with fuel and
// reports the fuel consumed as "instructions". Wasmtime's Cranelift backend charges fuel as
// it translates each function (crates/cranelift/src/func_environ.rs, `fuel_before_op`):
//
// - every function invocation costs 1 (the translation starts with one unit "consumed");
// - `nop`, `drop`, `block`, `loop`, `unreachable`, `return`, `else` and `end` cost 0;
//   every other operator costs 1 (host calls too: a call to an import costs its `call`, and
//   the host's own work costs nothing);
// - the units accumulated since the last control point are added to the counter before
//   each `unreachable`, `return`, `call`, `call_indirect`, `return_call*`, `loop`, `if`,
//   `br`, `br_if`, `br_table`, `else` and `end` (the operator's own unit included), so
//   what is charged is exactly what ran along the path taken;
// - fuel is checked at each function entry and loop header (where an exhausted budget traps).
//
// This file reproduces that in the module itself: a binary rewriter inserts, at each of
// those points, `counter += <units since the last point>` on an i64 global it adds and
// exports, and at each function entry and loop header a check that traps once the counter
// passes a limit (a second exported global; unlimited until the host sets it). The inserted
// code is stack-neutral and opens no enclosing block, so branch depths and every index in
// the module stay as they were. A third exported global counts the bytes memory.copy and
// memory.fill are asked for (free under wasmtime 39, charged per byte from wasmtime 46 on),
// so the cost under a newer runner can be read too. Only operators wasmtime 39 charges this
// way are accepted (MVP, sign extension, saturating truncation, bulk memory, SIMD, tail
// calls); a module using another proposal (exceptions, GC, threads, typed function
// references) is refused rather than miscounted.

/** Export names of the globals the meter adds. */
export const FUEL_EXPORT = "__cartlift_fuel";
export const FUEL_LIMIT_EXPORT = "__cartlift_fuel_limit";
/** Bytes that memory.copy and memory.fill were asked to move or set. Wasmtime 39 charges
 *  each of those operators 1 whatever the length; wasmtime 46 and later also charge 1 per
 *  byte, so fuel + this is what a function-runner on a newer wasmtime would report. */
export const BULK_BYTES_EXPORT = "__cartlift_bulk_bytes";

export class UnsupportedModuleError extends Error {}

/** Wasmtime 39's fuel cost of one operator (its first byte; prefixed operators all cost 1). */
export function operatorCost(opcode: number): number {
  switch (opcode) {
    case 0x00: // unreachable
    case 0x01: // nop
    case 0x02: // block
    case 0x03: // loop
    case 0x05: // else
    case 0x0b: // end
    case 0x0f: // return
    case 0x1a: // drop
      return 0;
    default:
      return 1;
  }
}

/** Operators before which wasmtime adds the units accumulated so far to the counter. */
const FLUSH = new Set([
  0x00, // unreachable
  0x03, // loop
  0x04, // if
  0x05, // else
  0x0b, // end
  0x0c, // br
  0x0d, // br_if
  0x0e, // br_table
  0x0f, // return
  0x10, // call
  0x11, // call_indirect
  0x12, // return_call
  0x13, // return_call_indirect
]);

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new UnsupportedModuleError("unexpected end of module");
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new UnsupportedModuleError("malformed LEB128");
    }
  }
  /** Skips any LEB128 number (signed or unsigned, up to 64 bits). */
  leb(): void {
    for (let i = 0; i < 10; i++) if (!(this.byte() & 0x80)) return;
    throw new UnsupportedModuleError("malformed LEB128");
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length) throw new UnsupportedModuleError("unexpected end of module");
  }
  name(): void {
    this.skip(this.u32());
  }
}

class Writer {
  private buffer = new Uint8Array(1024);
  length = 0;
  private room(n: number) {
    if (this.length + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
  byte(b: number) {
    this.room(1);
    this.buffer[this.length++] = b;
  }
  bytes(b: Uint8Array | number[]) {
    this.room(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }
  u32(n: number) {
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      this.byte(b);
    } while (n);
  }
  s64(n: bigint) {
    for (;;) {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      const done = (n == 0n && !(b & 0x40)) || (n == -1n && b & 0x40);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }
  name(s: string) {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    this.bytes(utf8);
  }
  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

const memarg = (r: Reader) => {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: memory index
  r.leb(); // offset
};

/** Reads one operator's immediates (the opcode byte already read). */
function skipImmediates(op: number, r: Reader, at: number): void {
  const unsupported = (what: string): never => {
    throw new UnsupportedModuleError(`unsupported operator ${what} at byte ${at}: the meter counts only what wasmtime 39 charges as documented`);
  };
  if (op == 0x02 || op == 0x03 || op == 0x04) return r.leb(); // block type
  if (op == 0x0c || op == 0x0d || op == 0x10 || op == 0x12) return void r.u32();
  if (op == 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.u32();
    return;
  }
  if (op == 0x11 || op == 0x13) {
    r.u32();
    r.u32();
    return;
  }
  if (op == 0x1c) {
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const t = r.byte();
      if (t == 0x63 || t == 0x64) unsupported("select with a reference type");
    }
    return;
  }
  if (op >= 0x20 && op <= 0x26) return void r.u32(); // locals, globals, table.get/set
  if (op >= 0x28 && op <= 0x3e) return memarg(r);
  if (op == 0x3f || op == 0x40) return void r.u32(); // memory.size/grow
  if (op == 0x41 || op == 0x42) return r.leb();
  if (op == 0x43) return r.skip(4);
  if (op == 0x44) return r.skip(8);
  if (op == 0x00 || op == 0x01 || op == 0x05 || op == 0x0b || op == 0x0f || op == 0x1a || op == 0x1b) return;
  if (op >= 0x45 && op <= 0xc4) return; // numeric operators, sign extension
  if (op == 0xd0) return r.leb(); // ref.null heap type
  if (op == 0xd1) return; // ref.is_null
  if (op == 0xd2) return void r.u32(); // ref.func
  if (op == 0xfc) {
    const sub = r.u32();
    if (sub <= 7) return; // saturating truncation
    const args: Record<number, number> = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 };
    if (!(sub in args)) unsupported(`0xfc ${sub}`);
    for (let i = 0; i < args[sub]; i++) r.u32();
    return;
  }
  if (op == 0xfd) {
    const sub = r.u32();
    if (sub <= 11 || sub == 92 || sub == 93) return memarg(r);
    if (sub == 12 || sub == 13) return r.skip(16);
    if (sub >= 21 && sub <= 34) return r.skip(1);
    if (sub >= 84 && sub <= 91) {
      memarg(r);
      return r.skip(1);
    }
    return;
  }
  unsupported(`0x${op.toString(16)}`);
}

interface Section {
  id: number;
  body: Uint8Array;
}

/** Where each known section goes in a module (custom sections keep their place). */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

function sectionsOf(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] != b)) throw new UnsupportedModuleError("not a WebAssembly 1.0 module");
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    sections.push({ id, body: bytes.subarray(start, start + size) });
  }
  return sections;
}

function importedGlobals(section: Section | undefined): number {
  if (!section) return 0;
  const r = new Reader(section.body);
  let globals = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind == 0x00) r.u32();
    else if (kind == 0x01 || kind == 0x02) {
      if (kind == 0x01) r.leb(); // reference type
      const flags = r.byte();
      r.leb();
      if (flags & 0x01) r.leb();
    } else if (kind == 0x03) {
      r.leb(); // value type
      r.byte(); // mutability
      globals++;
    } else throw new UnsupportedModuleError(`unsupported import kind ${kind}`);
  }
  return globals;
}

/** `vec(x)` section body with `extra` entries appended. */
function appendEntries(section: Section | undefined, count: number, extra: Uint8Array): Uint8Array {
  const w = new Writer();
  if (!section) {
    w.u32(count);
    w.bytes(extra);
    return w.toBytes();
  }
  const r = new Reader(section.body);
  const existing = r.u32();
  w.u32(existing + count);
  w.bytes(section.body.subarray(r.pos));
  w.bytes(extra);
  return w.toBytes();
}

interface Globals {
  fuel: number;
  limit: number;
  bulk: number;
  scratch: number;
}

function instrumentBody(body: Uint8Array, { fuel, limit, bulk, scratch }: Globals): Uint8Array {
  const r = new Reader(body);
  const w = new Writer();
  // Locals: copied as they are.
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    const t = r.byte();
    if (t == 0x63 || t == 0x64) throw new UnsupportedModuleError("reference-typed locals (GC proposal) are not supported");
  }
  w.bytes(body.subarray(0, r.pos));

  const charge = (units: number) => {
    w.byte(0x23); // global.get $fuel
    w.u32(fuel);
    w.byte(0x42); // i64.const units
    w.s64(BigInt(units));
    w.byte(0x7c); // i64.add
    w.byte(0x24); // global.set $fuel
    w.u32(fuel);
  };
  const check = () => {
    w.byte(0x23); // global.get $fuel
    w.u32(fuel);
    w.byte(0x23); // global.get $limit
    w.u32(limit);
    w.byte(0x56); // i64.gt_u
    w.bytes([0x04, 0x40, 0x00, 0x0b]); // if (unreachable) end
  };

  // Function entry: one unit, then the budget check.
  charge(1);
  check();
  let pending = 0;
  while (r.pos < body.length) {
    const at = r.pos;
    const op = r.byte();
    skipImmediates(op, r, at);
    if (op == 0xfc && (body[at + 1] == 10 || body[at + 1] == 11)) {
      // memory.copy / memory.fill: their length (top of the stack) added to the bulk counter.
      w.byte(0x24); // global.set $scratch
      w.u32(scratch);
      w.byte(0x23); // global.get $scratch (the length, back on the stack)
      w.u32(scratch);
      w.byte(0x23); // global.get $bulk
      w.u32(bulk);
      w.byte(0x23); // global.get $scratch
      w.u32(scratch);
      w.byte(0xad); // i64.extend_i32_u
      w.byte(0x7c); // i64.add
      w.byte(0x24); // global.set $bulk
      w.u32(bulk);
    }
    pending += operatorCost(op);
    if (FLUSH.has(op) && pending > 0) {
      charge(pending);
      pending = 0;
    }
    w.bytes(body.subarray(at, r.pos));
    if (op == 0x03) check(); // loop header
  }
  return w.toBytes();
}

function instrumentCode(section: Section, globals: Globals): Uint8Array {
  const r = new Reader(section.body);
  const w = new Writer();
  const n = r.u32();
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    const body = instrumentBody(section.body.subarray(start, start + size), globals);
    w.u32(body.length);
    w.bytes(body);
  }
  return w.toBytes();
}

/**
 * The module with the meter built in: exports `FUEL_EXPORT` (i64, instructions so far, as
 * wasmtime 39 counts fuel) and `FUEL_LIMIT_EXPORT` (i64, mutable: a function entry or loop
 * header past it traps with `unreachable`; all ones, i.e. unlimited, until set).
 */
export function instrument(module: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = sectionsOf(module);
  const find = (id: number) => sections.find((s) => s.id == id);
  if (!find(10)) throw new UnsupportedModuleError("the module has no code");
  if (sections.some((s) => s.id == 13)) throw new UnsupportedModuleError("exception-handling tags are not supported");

  const globalSection = find(6);
  const defined = globalSection ? new Reader(globalSection.body).u32() : 0;
  const fuel = importedGlobals(find(2)) + defined;
  const added: Globals = { fuel, limit: fuel + 1, bulk: fuel + 2, scratch: fuel + 3 };

  const globals = new Writer();
  globals.bytes([0x7e, 0x01, 0x42, 0x00, 0x0b]); // (global (mut i64) (i64.const 0))
  globals.bytes([0x7e, 0x01, 0x42, 0x7f, 0x0b]); // (global (mut i64) (i64.const -1)): unlimited
  globals.bytes([0x7e, 0x01, 0x42, 0x00, 0x0b]); // bulk bytes: (global (mut i64) (i64.const 0))
  globals.bytes([0x7f, 0x01, 0x41, 0x00, 0x0b]); // scratch: (global (mut i32) (i32.const 0))
  const exports = new Writer();
  exports.name(FUEL_EXPORT);
  exports.bytes([0x03]);
  exports.u32(fuel);
  exports.name(FUEL_LIMIT_EXPORT);
  exports.bytes([0x03]);
  exports.u32(added.limit);
  exports.name(BULK_BYTES_EXPORT);
  exports.bytes([0x03]);
  exports.u32(added.bulk);

  const replaced = new Map<number, Uint8Array>([
    [6, appendEntries(globalSection, 4, globals.toBytes())],
    [7, appendEntries(find(7), 3, exports.toBytes())],
    [10, instrumentCode(find(10)!, added)],
  ]);

  // Re-emit in order, adding the global and export sections where the module had none.
  // Custom sections that point into the code by offset would now be wrong: dropped.
  const out = new Writer();
  out.bytes(module.subarray(0, 8));
  const emit = (id: number, body: Uint8Array) => {
    out.byte(id);
    out.u32(body.length);
    out.bytes(body);
  };
  const pending = new Set(replaced.keys());
  const flushBefore = (rank: number) => {
    for (const id of [...pending].sort((a, b) => ORDER[a] - ORDER[b]))
      if (ORDER[id] < rank) {
        emit(id, replaced.get(id)!);
        pending.delete(id);
      }
  };
  for (const s of sections) {
    if (s.id == 0) {
      const r = new Reader(s.body);
      const length = r.u32();
      const name = new TextDecoder().decode(s.body.subarray(r.pos, r.pos + length));
      if (name.startsWith("metadata.code.") || name.startsWith(".debug_")) continue;
      emit(0, s.body);
      continue;
    }
    if (!(s.id in ORDER)) throw new UnsupportedModuleError(`unknown section ${s.id}`);
    flushBefore(ORDER[s.id]);
    if (pending.has(s.id)) {
      emit(s.id, replaced.get(s.id)!);
      pending.delete(s.id);
    } else emit(s.id, s.body);
  }
  flushBefore(Infinity);
  return out.toBytes();
}
