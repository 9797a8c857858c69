// Runs the Prisma CLI offline: any existing file stands in for the engine binaries so
// the CLI never tries to download them (the WASM schema engine does the work).
import { spawnSync } from "node:child_process";
import path from "node:path";

export function prismaEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/true",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    ...extra,
  };
}

export function runPrisma(args: string[], extra: Record<string, string> = {}): number {
  const bin = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  const result = spawnSync(bin, args, { stdio: "inherit", env: prismaEnv(extra) });
  return result.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(runPrisma(process.argv.slice(2)));
}
