// Builds every extension's generated assets (bundled from TypeScript; not committed), and the
// discount function's WebAssembly module from Rust (committed; rebuilt where Debian's Rust
// toolchain is installed). `npm run demo` runs this first, so the local shop serves what a
// store would get from `shopify app deploy`. Each build module exports `build(): Promise<void>`.
const builds: Array<{ name: string; load: () => Promise<{ build: () => Promise<unknown> }> }> = [
  // Extensions add their build here.
  { name: "checkout-offers", load: () => import("./build-checkout") },
  { name: "cartlift-discount", load: () => import("./build-function") },
  { name: "theme-cartlift", load: () => import("./build-theme") },
  { name: "cartlift-pixel", load: () => import("./build-pixel") },
];

for (const { name, load } of builds) {
  const started = Date.now();
  await (await load()).build();
  console.log(`built ${name} in ${Date.now() - started} ms`);
}

export {};
