// Shopify's resource limits, applied to fixture modules: over 11 M instructions (for up to 200
// cart lines), over 64,000 bytes of input, over 20,000 bytes of output: refused. Above 200
// lines the limits scale as function-runner scales them.
import { describe, expect, it } from "vitest";
import { FUNCTION_LIMITS, limitsFor, runWithinLimits, scaleFactor } from "../../../localshop/function-runner/limits";
import { meteredModule } from "../../../localshop/function-runner/run";
import { fixtureInstructions, fixtureModule } from "./fixtures";

const EXPORT = "cart_lines_discounts_generate_run";
const EMPTY = '{"operations":[]}';
const valid = () => [] as string[];

/** An input with `lines` cart lines, padded with a configuration of `padding` bytes. */
function input(lines: number, padding = 0) {
  return {
    cart: { lines: Array.from({ length: lines }, (_, i) => ({ id: `gid://shopify/CartLine/${i + 1}`, q: 1 })) },
    discount: { metafield: { jsonValue: "x".repeat(padding) } },
  };
}

describe("Shopify's function limits", () => {
  it("scale with cart lines above 200 only, up to ten times", () => {
    expect(scaleFactor(1)).toBe(1);
    expect(scaleFactor(200)).toBe(1);
    expect(scaleFactor(300)).toBe(1.5);
    expect(scaleFactor(5000)).toBe(10);
    expect(limitsFor(200)).toEqual({ instructions: 11_000_000, inputBytes: 64_000, outputBytes: 20_000 });
    expect(limitsFor(400)).toEqual({ instructions: 22_000_000, inputBytes: 128_000, outputBytes: 40_000 });
  });

  it("runs a module within the limits and reports its instructions", async () => {
    const module = meteredModule(await fixtureModule(1000, EMPTY));
    const run = runWithinLimits(module, EXPORT, input(3), valid);
    expect(run).toMatchObject({ ok: true, output: { operations: [] }, instructions: fixtureInstructions(1000) });
  });

  it("refuses a run of more than 11,000,000 instructions on a 200-line cart, stopping it there", async () => {
    // 14 + 5 × 2,400,000 = 12,000,014 instructions if it ran to the end.
    const module = meteredModule(await fixtureModule(2_400_000, EMPTY));
    const run = runWithinLimits(module, EXPORT, input(200), valid);
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.refused).toBe("instructions");
    expect(run.reason).toMatch(/more than 11000000 instructions/);
    // Stopped at the first loop header past the limit: within one iteration of it.
    expect(run.instructions).toBeGreaterThan(11_000_000);
    expect(run.instructions).toBeLessThanOrEqual(11_000_005);
  });

  it("lets the same run through on a 400-line cart, whose limit is twice as high", async () => {
    const module = meteredModule(await fixtureModule(2_400_000, EMPTY));
    const run = runWithinLimits(module, EXPORT, input(400), valid);
    expect(run).toMatchObject({ ok: true, instructions: 12_000_014 });
  });

  it("refuses an input over 64,000 bytes without running the function", async () => {
    const module = meteredModule(await fixtureModule(10, EMPTY));
    const base = JSON.stringify(input(200)).length;
    const atLimit = runWithinLimits(module, EXPORT, input(200, FUNCTION_LIMITS.inputBytes - base), valid);
    expect(atLimit).toMatchObject({ ok: true, inputBytes: 64_000 });
    const over = runWithinLimits(module, EXPORT, input(200, FUNCTION_LIMITS.inputBytes - base + 1), valid);
    expect(over).toMatchObject({ ok: false, refused: "input", inputBytes: 64_001 });
    if (!over.ok) {
      expect(over.instructions).toBeUndefined();
      expect(over.reason).toMatch(/64001 bytes, over the 64000-byte limit/);
    }
  });

  it("refuses an output over 20,000 bytes, and one that is not JSON", async () => {
    const big = JSON.stringify({ operations: [], pad: "x".repeat(20_000) });
    const tooBig = runWithinLimits(meteredModule(await fixtureModule(1, big)), EXPORT, input(1), valid);
    expect(tooBig).toMatchObject({ ok: false, refused: "output" });
    const notJson = runWithinLimits(meteredModule(await fixtureModule(1, "{oops")), EXPORT, input(1), valid);
    expect(notJson).toMatchObject({ ok: false, refused: "output", reason: "output is not JSON" });
  });

  it("refuses an output the target's result type rejects, with the problem in the reason", async () => {
    const module = meteredModule(await fixtureModule(1, '{"operations":"none"}'));
    const run = runWithinLimits(module, EXPORT, input(1), (o) => (Array.isArray((o as { operations: unknown }).operations) ? [] : ["result.operations: not a list"]));
    expect(run).toMatchObject({ ok: false, refused: "output", reason: "output is not a valid result: result.operations: not a list" });
  });
});
