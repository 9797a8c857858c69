// Shopify's resource limits for a function run, and a run that keeps to them the way Shopify
// does: an input over the limit is never run, a run over the instruction limit is stopped,
// and in either case (or when the output is over its size limit or is not a valid result)
// the run's result is dropped.
//
// The numbers: Shopify documents 11 million instructions and 64,000 bytes of input for carts
// of up to 200 lines, and says the limits scale up proportionally for larger carts.
// function-runner (9.2.1) applies that as a scale factor read from the schema's
// `@scaleLimits(rate:)` directives (Cart.lines: 0.005, so 200 lines is factor 1), clamped
// between 1 and 10, and multiplies every limit by it (instructions, input and its 20,000-byte
// output limit). A module itself may not exceed 256 KB (Shopify refuses it at deploy).
import { runFunction, type FunctionRun, type MeteredModule } from "./run";

export const FUNCTION_LIMITS = {
  instructions: 11_000_000,
  inputBytes: 64_000,
  outputBytes: 20_000,
  moduleBytes: 256 * 1024,
  /** Up to this many cart lines, the limits above apply as they are. */
  lines: 200,
} as const;

/** function-runner's scale factor for a cart of `lines` lines: lines × 0.005, within 1..10. */
export function scaleFactor(lines: number): number {
  return Math.min(10, Math.max(1, lines * (1 / FUNCTION_LIMITS.lines)));
}

export interface RunLimits {
  instructions: number;
  inputBytes: number;
  outputBytes: number;
}

export function limitsFor(lines: number): RunLimits {
  const f = scaleFactor(lines);
  return {
    instructions: Math.floor(FUNCTION_LIMITS.instructions * f),
    inputBytes: Math.floor(FUNCTION_LIMITS.inputBytes * f),
    outputBytes: Math.floor(FUNCTION_LIMITS.outputBytes * f),
  };
}

/** Lines in a function input (`cart.lines`), which is what scales the limits. */
export function cartLinesOf(input: unknown): number {
  const lines = (input as { cart?: { lines?: unknown } } | null)?.cart?.lines;
  return Array.isArray(lines) ? lines.length : 0;
}

export type LimitedRun =
  | { ok: true; output: unknown; outputBytes: number; instructions: number; bulkBytes: number; inputBytes: number; logs: string }
  | {
      ok: false;
      /** What was refused: the input, the run (a trap, an exit, too many instructions) or the output. */
      refused: "input" | "instructions" | "run" | "output";
      /** One line, for a log. */
      reason: string;
      instructions?: number;
      inputBytes: number;
      logs: string;
    };

/**
 * Runs `exportName` on `input` (the input query's result) within Shopify's limits.
 * `outputProblems` says why an output is not a valid result for the target (empty if valid).
 */
export function runWithinLimits(module: MeteredModule, exportName: string, input: unknown, outputProblems: (output: unknown) => string[]): LimitedRun {
  const json = Buffer.from(JSON.stringify(input));
  const lines = cartLinesOf(input);
  const limits = limitsFor(lines);
  const inputBytes = json.length;
  if (inputBytes > limits.inputBytes)
    return { ok: false, refused: "input", reason: `input is ${inputBytes} bytes, over the ${limits.inputBytes}-byte limit for ${lines} cart lines`, inputBytes, logs: "" };
  if (module.size > FUNCTION_LIMITS.moduleBytes)
    return { ok: false, refused: "run", reason: `the module is ${module.size} bytes, over Shopify's ${FUNCTION_LIMITS.moduleBytes}-byte limit`, inputBytes, logs: "" };
  const run: FunctionRun = runFunction(module, exportName, json, { instructionLimit: limits.instructions });
  const failed = (refused: "instructions" | "run" | "output", reason: string): LimitedRun => ({ ok: false, refused, reason, instructions: run.instructions, inputBytes, logs: run.logs });
  if (run.exceededInstructions) return failed("instructions", `ran more than ${limits.instructions} instructions (the limit for ${lines} cart lines), stopped`);
  if (run.error) return failed("run", `failed after ${run.instructions} instructions: ${run.error}`);
  if (run.output.length > limits.outputBytes) return failed("output", `output is ${run.output.length} bytes, over the ${limits.outputBytes}-byte limit`);
  let output: unknown;
  try {
    output = JSON.parse(run.output.toString("utf8"));
  } catch {
    return failed("output", "output is not JSON");
  }
  const problems = outputProblems(output);
  if (problems.length) return failed("output", `output is not a valid result: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`);
  return { ok: true, output, outputBytes: run.output.length, instructions: run.instructions, bulkBytes: run.bulkBytes, inputBytes, logs: run.logs };
}
