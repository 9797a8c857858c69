// The release checks that run offline, on a fresh copy of the project (what git tracks, plus
// uncommitted work; no built assets), the way `shopify app deploy` would see it:
//   1. Theme Check on the unbuilt copy must find the missing built assets (the check works);
//   2. the extensions are built (`npm run build:extensions`) in the copy;
//   3. Shopify CLI 4.8.2's own app loader reads shopify.app.toml, shopify.web.toml and every
//      extension's toml (its schemas, offline: local specifications), and each extension's
//      pre-deploy validation runs (theme extension directory rules and sizes, the function's
//      Wasm module); a `src/` folder in the theme extension must be refused (the check works);
//   4. Theme Check (@shopify/theme-check-node, `theme-check:theme-app-extension`): 0 offenses;
//   5. Shopify CLI's App Doctor (`shopify app doctor --json`): 0 issues (unescaped Liquid in
//      <script>, unsafe HTML assignment, …).
//   6. The web pixel's build validation (the CLI's 128 KB limit on dist/cartlift-pixel.js),
//      shown able to fail on an oversized bundle.
// Prints `check <name> <count>` lines and exits non-zero on any failure. `npm test` runs it.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { check as themeCheck } from "@shopify/theme-check-node";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI_VERSION = "4.8.2";
/** The CLI bundle's chunk exporting its offline app loader (`loadLocalApp`, export `xa`:
 *  loads the app with the CLI's local extension specifications, throws on any config error).
 *  Tied to the pinned CLI version, checked below. */
const CLI_LOADER_CHUNK = "node_modules/@shopify/cli/dist/chunk-7LW23M5C.js";
const THEME_EXTENSION = "extensions/theme-cartlift";
/** Any non-empty value: `shopify app config link` writes the real one. */
const PLACEHOLDER_CLIENT_ID = "cartlift-release-check";

const failures: string[] = [];
const figure = (name: string, value: number) => console.log(`check ${name} ${value}`);
const fail = (message: string) => {
  failures.push(message);
  console.error(`FAIL ${message}`);
};

function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "cartlift-release-"));
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

async function themeOffenses(copy: string) {
  return themeCheck(join(copy, THEME_EXTENSION), "theme-check:theme-app-extension");
}

type LoadedExtension = {
  handle: string;
  specification: { identifier: string; preDeployValidation?: (ext: unknown) => Promise<void> };
  buildValidation(options: { outputPath: string }): Promise<void>;
};

async function loadApp(copy: string): Promise<{ extensions: LoadedExtension[]; webs: number }> {
  const cli = JSON.parse(readFileSync(join(ROOT, "node_modules/@shopify/cli/package.json"), "utf8"));
  if (cli.version !== CLI_VERSION) throw new Error(`@shopify/cli is ${cli.version}; this check reads ${CLI_VERSION}'s loader (update CLI_LOADER_CHUNK)`);
  const loader = (await import(pathToFileURL(join(ROOT, CLI_LOADER_CHUNK)).href)) as {
    xa?: (options: { directory: string; skipPrompts: boolean }) => Promise<{ app: { allExtensions: LoadedExtension[]; webs: unknown[] } }>;
  };
  if (typeof loader.xa !== "function") throw new Error(`${CLI_LOADER_CHUNK} has no app loader: update CLI_LOADER_CHUNK`);
  const { app } = await loader.xa({ directory: copy, skipPrompts: true });
  return { extensions: app.allExtensions, webs: app.webs.length };
}

async function preDeployProblems(extensions: LoadedExtension[]): Promise<string[]> {
  const problems: string[] = [];
  for (const ext of extensions) {
    try {
      await ext.specification.preDeployValidation?.(ext);
    } catch (error) {
      const e = error as { message?: string; tryMessage?: unknown };
      problems.push(`${ext.handle}: ${e.message ?? String(error)}`);
    }
  }
  return problems;
}

process.env.SHOPIFY_CLI_NO_ANALYTICS = "1";
const copy = freshCopy();
console.log(`release checks on a fresh copy: ${copy}`);
try {
  // 1. Unbuilt, the blocks reference assets that do not exist yet.
  const unbuilt = await themeOffenses(copy);
  figure("theme_check.unbuilt_offenses", unbuilt.length);
  if (!unbuilt.some((o) => o.check === "MissingAsset")) fail("Theme Check did not notice the missing built assets of an unbuilt copy");

  // 2. Build the extensions in the copy.
  const built = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/build-extensions.ts"], { cwd: copy, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build:extensions failed:\n${built.stdout}\n${built.stderr}`);

  // The CLI's own function build runs the toml's `cargo build --release`, then wasm-opt
  // (downloaded from a CDN: not possible here), and copies the module to dist/index.wasm, where
  // its pre-deploy validation looks. build:extensions built (or kept) the module: put it there.
  const fn = join(copy, "extensions/cartlift-discount");
  const cargoOut = join(fn, "target/wasm32-wasi/release/cartlift-discount.wasm");
  mkdirSync(join(fn, "dist"), { recursive: true });
  cpSync(existsSync(cargoOut) ? cargoOut : join(fn, "cartlift-discount.wasm"), join(fn, "dist/index.wasm"));

  // 3. The CLI's loader and pre-deploy validation. `shopify app config link` fills in
  //    client_id; the loader needs one, any value.
  const tomlPath = join(copy, "shopify.app.toml");
  writeFileSync(tomlPath, readFileSync(tomlPath, "utf8").replace(/^client_id = ""$/m, `client_id = "${PLACEHOLDER_CLIENT_ID}"`));
  const app = await loadApp(copy);
  const handles = app.extensions.map((e) => e.handle);
  figure("cli.extensions_loaded", app.extensions.length);
  figure("cli.webs_loaded", app.webs);
  for (const handle of ["theme-cartlift", "checkout-offers", "cartlift-discount", "cartlift-pixel"]) if (!handles.includes(handle)) fail(`the CLI did not load the ${handle} extension`);
  if (app.webs !== 1) fail(`the CLI loaded ${app.webs} web configurations (shopify.web.toml), expected 1`);
  const problems = await preDeployProblems(app.extensions);
  figure("cli.predeploy_problems", problems.length);
  problems.forEach((p) => fail(`pre-deploy validation: ${p}`));

  // … and it refuses what Shopify refuses: TypeScript sources inside the theme extension.
  const stray = join(copy, THEME_EXTENSION, "src", "stray.ts");
  mkdirSync(dirname(stray), { recursive: true });
  writeFileSync(stray, "export {};\n");
  const theme = app.extensions.filter((e) => e.handle === "theme-cartlift");
  const strayProblems = await preDeployProblems(theme);
  if (!strayProblems.some((p) => /unsupported directory, src/.test(p))) fail("the CLI's theme extension rules did not refuse a src/ folder");
  rmSync(dirname(stray), { recursive: true });

  // The web pixel: the CLI's build validation on the built bundle (128 KB at most), and an
  // oversized bundle refused (the check works).
  const pixel = app.extensions.find((e) => e.handle === "cartlift-pixel");
  if (pixel) {
    const bundle = join(copy, "extensions/cartlift-pixel/dist/cartlift-pixel.js");
    if (!existsSync(bundle)) fail("build:extensions did not build the web pixel's bundle");
    const pixelProblems: string[] = [];
    await pixel.buildValidation({ outputPath: bundle }).catch((e: Error) => pixelProblems.push(e.message));
    figure("cli.pixel_build_problems", pixelProblems.length);
    pixelProblems.forEach((p) => fail(`web pixel build validation: ${p}`));
    const oversized = join(copy, "extensions/cartlift-pixel/dist/oversized.js");
    writeFileSync(oversized, "//" + "x".repeat(130 * 1024));
    const refused = await pixel.buildValidation({ outputPath: oversized }).then(() => false, (e: Error) => /file size limit/.test(e.message));
    if (!refused) fail("the CLI's web pixel rules did not refuse a 130 KB bundle");
    rmSync(oversized);
  }

  // 4. Theme Check on the built copy.
  const offenses = await themeOffenses(copy);
  figure("theme_check.offenses", offenses.length);
  for (const o of offenses) fail(`Theme Check ${o.check}: ${o.uri.replace(`file://${copy}/`, "")}: ${o.message}`);

  // 5. App Doctor's offline scan.
  const doctor = spawnSync(join(ROOT, "node_modules/.bin/shopify"), ["app", "doctor", "--json", "--path", copy], {
    cwd: copy,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const json = doctor.stdout.slice(doctor.stdout.indexOf("{"));
  const report = JSON.parse(json) as { scan: { issues: Array<{ id: string; location?: { file?: string; line?: number }; message: string }> } };
  figure("app_doctor.issues", report.scan.issues.length);
  for (const issue of report.scan.issues) fail(`App Doctor ${issue.id}: ${issue.location?.file}:${issue.location?.line}: ${issue.message}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`${failures.length} release check(s) failed`);
  process.exit(1);
}
console.log("release checks: all clean");
