// The strict sandbox's frame: a hidden iframe with `sandbox="allow-scripts"` (an opaque
// origin: no access to the shop's page, cookies or storage), which starts the app pixel in
// a web worker and relays messages between the worker and the page.
const params = JSON.parse(document.getElementById("pixel-sandbox")!.textContent!) as { runtime: string; src: string };
const code = `importScripts(${JSON.stringify(params.runtime)}, ${JSON.stringify(params.src)});`;
const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
worker.onmessage = (e) => parent.postMessage({ __webPixel: true, ...e.data }, "*");
worker.onerror = (e) => parent.postMessage({ __webPixel: true, type: "error", message: e.message }, "*");
addEventListener("message", (e) => {
  if (e.source === parent) worker.postMessage(e.data);
});
parent.postMessage({ __webPixel: true, type: "ready" }, "*");
