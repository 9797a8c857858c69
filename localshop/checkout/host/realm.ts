// Each extension target runs in its own realm, as on Shopify (there a web worker rendering
// through remote DOM; here a same-origin iframe): its own `shopify` global and `document`,
// the `s-` elements defined inside it, sized to its content. An extension that throws or
// renders nothing leaves an empty, zero-height frame: the checkout around it keeps working.
const ELEMENTS_URL = "/checkout/assets/elements.js";

const REALM_HTML =
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<style>html,body{margin:0;padding:0;background:transparent;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f1f1f}body{padding:2px}</style>` +
  `<script src="${ELEMENTS_URL}"></script></head><body></body></html>`;

export function mountExtension(slot: HTMLElement, options: { target: string; title: string; bundleUrl: string; api: object }): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  frame.title = options.title;
  frame.dataset.target = options.target;
  frame.className = "extension-realm";
  frame.style.cssText = "display:block;width:100%;height:0;border:0";
  frame.addEventListener(
    "load",
    () => {
      const win = frame.contentWindow as (Window & typeof globalThis) | null;
      const doc = frame.contentDocument;
      if (!win || !doc) return;
      (win as unknown as { shopify: object }).shopify = options.api;
      const resize = () => {
        const height = Math.ceil(doc.body.getBoundingClientRect().height);
        frame.style.height = doc.body.childElementCount ? `${height}px` : "0";
      };
      new win.ResizeObserver(resize).observe(doc.body);
      new win.MutationObserver(resize).observe(doc.body, { childList: true });
      const script = doc.createElement("script");
      script.src = options.bundleUrl;
      script.onload = () => (frame.dataset.loaded = "true");
      doc.head.appendChild(script);
    },
    { once: true },
  );
  frame.srcdoc = REALM_HTML;
  slot.appendChild(frame);
  return frame;
}
