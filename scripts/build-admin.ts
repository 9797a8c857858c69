// Builds the admin (Remix + Vite production build into build/) unless build/ already holds
// a build of the same sources. `npm run demo` serves this build, so a merchant trying the
// demo gets pages as quick as production's instead of Vite compiling modules on request;
// `CARTLIFT_DEMO_VITE=1 npm run demo` keeps Vite for working on the admin.
//
// The stamp (build/.sources) is a hash of everything the build reads: the app's sources,
// its public files, the Vite, TypeScript and package configuration. Any change rebuilds.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const INPUTS = ["app", "public", "vite.config.ts", "tsconfig.json", "package-lock.json", "env.d.ts"];
export const ADMIN_BUILD_STAMP = join(ROOT, "build", ".sources");

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** A hash of every input's path and contents. */
export function adminSourcesHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap((p) => files(join(ROOT, p)))) {
    hash.update(relative(ROOT, file) + "\0");
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

/** Builds unless build/ is a build of these sources; says which it did. */
export function buildAdmin(): "built" | "up to date" {
  const sources = adminSourcesHash();
  const built = existsSync(join(ROOT, "build", "server", "index.js")) && existsSync(ADMIN_BUILD_STAMP) && readFileSync(ADMIN_BUILD_STAMP, "utf8") == sources;
  if (built) return "up to date";
  execFileSync(process.execPath, [join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  writeFileSync(ADMIN_BUILD_STAMP, sources);
  return "built";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  console.log(`admin ${buildAdmin()} in ${Date.now() - started} ms`);
}
