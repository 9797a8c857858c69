// Minimal Polaris web components for the local checkout: the `s-` elements Cartlift's
// extension renders, as custom elements with a shadow root of plain accessible HTML (a real
// <button>, <progress>, <img alt>, headings, a live-region banner). The extension's children
// stay in the light DOM and are slotted, so Preact owns them and the element owns its look.
// Properties reflect to attributes (Preact sets them as properties), so both forms work.
// Loaded into each extension's realm (an iframe), like Shopify's own host components.

const SPACE: Record<string, string> = {
  none: "0",
  "small-500": "2px",
  "small-400": "2px",
  "small-300": "4px",
  "small-200": "6px",
  "small-100": "8px",
  small: "10px",
  base: "14px",
  large: "18px",
  "large-100": "22px",
  "large-200": "28px",
  "large-300": "34px",
  "large-400": "40px",
  "large-500": "48px",
};
const space = (v: string | null, fallback = "base") =>
  (v || fallback)
    .split(/\s+/)
    .map((t) => SPACE[t] ?? "0")
    .join(" ");
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FONT = `font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f1f1f;`;

abstract class SElement extends HTMLElement {
  static props: string[] = [];
  static booleans: string[] = [];
  static get observedAttributes() {
    return [...this.props, ...this.booleans].map(kebab);
  }
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
  }
  connectedCallback() {
    this.update();
  }
  attributeChangedCallback() {
    if (this.isConnected) this.update();
  }
  attr(name: string): string | null {
    return this.getAttribute(kebab(name));
  }
  flag(name: string): boolean {
    return this.hasAttribute(kebab(name));
  }
  render(html: string) {
    this.shadowRoot!.innerHTML = html;
  }
  abstract update(): void;
}

function define(tag: string, cls: typeof SElement & (new () => SElement)) {
  for (const p of cls.props)
    Object.defineProperty(cls.prototype, p, {
      configurable: true,
      get(this: SElement) {
        return this.getAttribute(kebab(p));
      },
      set(this: SElement, v: unknown) {
        if (v == null || v === false) this.removeAttribute(kebab(p));
        else this.setAttribute(kebab(p), String(v));
      },
    });
  for (const p of cls.booleans)
    Object.defineProperty(cls.prototype, p, {
      configurable: true,
      get(this: SElement) {
        return this.hasAttribute(kebab(p));
      },
      set(this: SElement, v: unknown) {
        this.toggleAttribute(kebab(p), !!v);
      },
    });
  if (!customElements.get(tag)) customElements.define(tag, cls);
}

class Stack extends SElement {
  static props = ["direction", "gap", "rowGap", "columnGap", "alignItems", "justifyContent", "padding", "inlineSize", "accessibilityLabel", "accessibilityRole"];
  update() {
    const inline = this.attr("direction") == "inline";
    const role = this.attr("accessibilityRole");
    this.render(
      `<style>:host{display:flex;flex-direction:${inline ? "row" : "column"};${inline ? "flex-wrap:wrap;" : ""}` +
        `gap:${space(this.attr("gap"), inline ? "small-300" : "none")};align-items:${this.attr("alignItems") || (inline ? "baseline" : "stretch")};` +
        `justify-content:${this.attr("justifyContent") || "normal"};padding:${space(this.attr("padding"), "none")}}</style>` +
        (role || this.attr("accessibilityLabel")
          ? `<div role="${escape(role || "group")}" aria-label="${escape(this.attr("accessibilityLabel") || "")}" style="display:contents"><slot></slot></div>`
          : "<slot></slot>"),
    );
  }
}

class Grid extends SElement {
  static props = ["gridTemplateColumns", "gridTemplateRows", "gap", "alignItems", "justifyItems", "padding"];
  update() {
    this.render(
      `<style>:host{display:grid;grid-template-columns:${this.attr("gridTemplateColumns") || "1fr"};` +
        `${this.attr("gridTemplateRows") ? `grid-template-rows:${this.attr("gridTemplateRows")};` : ""}` +
        `gap:${space(this.attr("gap"), "none")};align-items:${this.attr("alignItems") || "stretch"};padding:${space(this.attr("padding"), "none")}}</style><slot></slot>`,
    );
  }
}

class Box extends SElement {
  static props = ["padding", "background", "border", "borderRadius", "inlineSize", "accessibilityLabel"];
  update() {
    const bg = this.attr("background") == "subdued" ? "#f5f5f5" : "transparent";
    this.render(
      `<style>:host{display:block;padding:${space(this.attr("padding"), "none")};background:${bg};` +
        `${this.attr("border") ? "border:1px solid #dedede;" : ""}border-radius:${this.attr("borderRadius") ? "8px" : "0"}}</style><slot></slot>`,
    );
  }
}

/** Heading level: one below the nearest section's (sections start at 2). */
function level(el: Element): number {
  let n = 2;
  for (let p = el.parentElement; p; p = p.parentElement) if (p.localName == "s-section") n++;
  return Math.min(n, 6);
}

class Section extends SElement {
  static props = ["heading", "padding", "accessibilityLabel"];
  update() {
    const heading = this.attr("heading");
    const h = level(this);
    this.render(
      `<style>:host{display:block}section{display:flex;flex-direction:column;gap:12px}h${h}{margin:0;font-size:1.15em;font-weight:600}</style>` +
        `<section aria-label="${escape(this.attr("accessibilityLabel") || heading || "")}">${heading ? `<h${h}>${escape(heading)}</h${h}>` : ""}<slot></slot></section>`,
    );
  }
}

class Heading extends SElement {
  static props = ["accessibilityRole"];
  update() {
    const h = level(this) + 1;
    this.render(`<style>:host{display:block}h${h}{margin:0;font-size:1.08em;font-weight:600;line-height:1.3}</style><h${h}><slot></slot></h${h}>`);
  }
}

const TONE: Record<string, string> = { success: "#0c7a43", critical: "#c0152f", warning: "#8a6116", info: "#1773b0", neutral: "#1f1f1f", auto: "inherit" };

class Text extends SElement {
  static props = ["type", "tone", "color", "display", "accessibilityVisibility"];
  update() {
    const type = this.attr("type");
    const tag = type == "strong" ? "strong" : type == "emphasis" ? "em" : type == "redundant" ? "s" : type == "small" ? "small" : "span";
    const color = this.attr("tone") ? TONE[this.attr("tone")!] ?? "inherit" : this.attr("color") == "subdued" ? "#707070" : "inherit";
    const hidden = this.attr("accessibilityVisibility") == "hidden";
    this.render(
      `<style>:host{display:${this.attr("display") == "block" ? "block" : "inline"};color:${color}}` +
        `strong{font-weight:600}small{font-size:.86em}s{text-decoration:line-through}</style>` +
        `<${tag}${hidden ? ' aria-hidden="true"' : ""}><slot></slot></${tag}>`,
    );
  }
}

class Paragraph extends SElement {
  static props = ["type", "tone", "color"];
  update() {
    const color = this.attr("tone") ? TONE[this.attr("tone")!] ?? "inherit" : this.attr("color") == "subdued" ? "#707070" : "inherit";
    this.render(`<style>:host{display:block}p{margin:0;color:${color}}</style><p><slot></slot></p>`);
  }
}

const BUTTON_CSS =
  `:host{display:inline-block}` +
  `.b{${FONT}display:inline-flex;align-items:center;justify-content:center;gap:6px;min-height:38px;padding:0 16px;border-radius:6px;` +
  `border:1px solid #1773b0;background:#1773b0;color:#fff;font-weight:600;cursor:pointer;text-decoration:none;box-sizing:border-box;width:100%}` +
  `.b.secondary{background:#fff;color:#1773b0}.b.critical{border-color:#c0152f;background:#c0152f}` +
  `.b[disabled]{opacity:.55;cursor:default}.b:focus-visible{outline:2px solid #1773b0;outline-offset:2px}` +
  `.spin{width:12px;height:12px;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:r .7s linear infinite}` +
  `@keyframes r{to{transform:rotate(360deg)}}`;

/**
 * Where a link or button with `href` opens, as Shopify's checkout decides for `target`
 * `auto` (the default): a page of the shop replaces the whole checkout page (never just the
 * extension's frame); another site opens in a new tab. `_blank` always opens a new tab.
 */
function linkTarget(href: string, target: string | null): { target: string; rel: string } {
  let url: URL;
  try {
    url = new URL(href, window.top!.location.href);
  } catch {
    return { target: "_blank", rel: "noopener" };
  }
  if (target == "_blank" || url.origin != window.top!.location.origin) return { target: "_blank", rel: "noopener" };
  return { target: "_top", rel: "" };
}
const linkAttributes = (href: string, target: string | null) => {
  const t = linkTarget(href, target);
  return ` href="${escape(href)}" target="${t.target}"${t.rel ? ` rel="${t.rel}"` : ""}`;
};

/** `commandFor` + `command` on a button or link: runs the command on the element with that
 *  id in the extension's document (`--copy`, or `--auto`/none, copies a clipboard item). */
function runCommand(source: SElement): boolean {
  const id = source.attr("commandFor");
  if (!id) return false;
  const target = source.ownerDocument.getElementById(id);
  const command = source.attr("command") || "--auto";
  if (target instanceof ClipboardItem && (command == "--copy" || command == "--auto")) target.copy();
  return true;
}

class Button extends SElement {
  static props = ["variant", "tone", "href", "target", "type", "accessibilityLabel", "inlineSize", "commandFor", "command"];
  static booleans = ["disabled", "loading"];
  constructor() {
    super();
    this.addEventListener("click", () => {
      if (!this.flag("disabled") && !this.flag("loading")) runCommand(this);
    });
  }
  update() {
    const cls = `b ${this.attr("variant") == "secondary" ? "secondary" : ""} ${this.attr("tone") == "critical" ? "critical" : ""}`;
    const label = this.attr("accessibilityLabel");
    const aria = label ? ` aria-label="${escape(label)}"` : "";
    const loading = this.flag("loading");
    const spinner = loading ? '<span class="spin" aria-hidden="true"></span>' : "";
    const href = this.attr("href");
    this.style.display = this.attr("inlineSize") == "fill" ? "block" : "";
    this.render(
      `<style>${BUTTON_CSS}</style>` +
        (href && !this.flag("disabled")
          ? `<a class="${cls}"${linkAttributes(href, this.attr("target"))}${aria}>${spinner}<slot></slot></a>`
          : `<button class="${cls}" type="button"${aria}${this.flag("disabled") || loading ? " disabled" : ""}${loading ? ' aria-busy="true"' : ""}>${spinner}<slot></slot></button>`),
    );
  }
}

class Link extends SElement {
  static props = ["href", "target", "tone", "accessibilityLabel", "commandFor", "command"];
  constructor() {
    super();
    this.addEventListener("click", () => runCommand(this));
  }
  update() {
    const label = this.attr("accessibilityLabel");
    const aria = label ? ` aria-label="${escape(label)}"` : "";
    const href = this.attr("href");
    // Without an href a link is an action: a button that looks like a link.
    this.render(
      `<style>a,button{color:#1773b0;font:inherit;text-decoration:underline;background:none;border:0;padding:0;cursor:pointer;align-self:start}</style>` +
        (href ? `<a${linkAttributes(href, this.attr("target"))}${aria}><slot></slot></a>` : `<button type="button"${aria}><slot></slot></button>`),
    );
  }
}

/** Renders nothing; copies its `text` when a button or link with `commandFor` its id is
 *  activated, then fires `copy` (or `copyerror`), as Shopify's clipboard item does. */
class ClipboardItem extends SElement {
  static props = ["text"];
  update() {
    this.style.display = "none";
  }
  copy() {
    navigator.clipboard.writeText(this.attr("text") || "").then(
      () => this.dispatchEvent(new Event("copy")),
      () => this.dispatchEvent(new Event("copyerror")),
    );
  }
}

class Banner extends SElement {
  static props = ["heading", "tone"];
  static booleans = ["hidden", "dismissible", "collapsible"];
  update() {
    const tone = this.attr("tone") || "info";
    const palette: Record<string, [string, string]> = {
      critical: ["#fff4f4", "#c0152f"],
      warning: ["#fff8e5", "#8a6116"],
      success: ["#f1f8f5", "#0c7a43"],
      info: ["#f0f6fb", "#1773b0"],
      auto: ["#f0f6fb", "#1773b0"],
    };
    const [bg, fg] = palette[tone] ?? palette.info;
    const heading = this.attr("heading");
    this.render(
      `<style>:host{display:${this.flag("hidden") ? "none" : "block"}}div{${FONT}background:${bg};border:1px solid ${fg};border-radius:6px;padding:10px 12px;color:#1f1f1f}` +
        `strong{display:block;color:${fg};margin-bottom:2px}</style>` +
        `<div role="${tone == "critical" ? "alert" : "status"}">${heading ? `<strong>${escape(heading)}</strong>` : ""}<slot></slot></div>`,
    );
  }
}

class Progress extends SElement {
  static props = ["value", "max", "tone", "accessibilityLabel"];
  update() {
    const max = Number(this.attr("max") || 1);
    const value = this.attr("value");
    const label = this.attr("accessibilityLabel") || "";
    this.render(
      `<style>:host{display:block}progress{width:100%;height:8px;appearance:none;border:0;border-radius:4px;background:#e3e3e3;overflow:hidden}` +
        `progress::-webkit-progress-bar{background:#e3e3e3}progress::-webkit-progress-value{background:#1773b0;border-radius:4px}</style>` +
        `<progress max="${max}"${value == null ? "" : ` value="${Number(value)}"`} aria-label="${escape(label)}"></progress>`,
    );
  }
}

class ProductThumbnail extends SElement {
  static props = ["src", "alt", "size", "totalItems"];
  update() {
    const px = this.attr("size") == "small" ? 48 : this.attr("size") == "small-100" ? 40 : 64;
    const src = this.attr("src");
    const total = Number(this.attr("totalItems") || 0);
    this.render(
      `<style>:host{display:inline-block;position:relative}img,.none{width:${px}px;height:${px}px;border-radius:8px;border:1px solid #dedede;background:#fff;object-fit:cover;display:block;box-sizing:border-box}` +
        `.n{position:absolute;top:-7px;right:-7px;min-width:20px;height:20px;border-radius:10px;background:#666;color:#fff;font:600 11px/20px sans-serif;text-align:center}</style>` +
        (src ? `<img src="${escape(src)}" alt="${escape(this.attr("alt") || "")}">` : `<div class="none" role="img" aria-label="${escape(this.attr("alt") || "")}"></div>`) +
        (total > 1 ? `<span class="n" aria-label="Quantity ${total}">${total}</span>` : ""),
    );
  }
}

class Image extends SElement {
  static props = ["src", "alt", "inlineSize", "aspectRatio", "objectFit", "borderRadius"];
  update() {
    this.render(`<style>img{max-width:100%;display:block}</style><img src="${escape(this.attr("src") || "")}" alt="${escape(this.attr("alt") || "")}">`);
  }
}

class Divider extends SElement {
  static props = ["direction"];
  update() {
    this.render(`<style>:host{display:block}hr{border:0;border-top:1px solid #dedede;margin:0}</style><hr>`);
  }
}

class Badge extends SElement {
  static props = ["tone", "color", "size", "icon"];
  update() {
    this.render(
      `<style>span{display:inline-block;padding:1px 8px;border-radius:10px;background:#e8e8e8;font-size:.86em;font-weight:600}</style><span><slot></slot></span>`,
    );
  }
}

class Spinner extends SElement {
  static props = ["accessibilityLabel", "size"];
  update() {
    this.render(`<span role="status" aria-label="${escape(this.attr("accessibilityLabel") || "Loading")}">…</span>`);
  }
}

export function defineElements(): void {
  define("s-stack", Stack);
  define("s-grid", Grid);
  define("s-box", Box);
  define("s-section", Section);
  define("s-heading", Heading);
  define("s-text", Text);
  define("s-paragraph", Paragraph);
  define("s-button", Button);
  define("s-link", Link);
  define("s-clipboard-item", ClipboardItem);
  define("s-banner", Banner);
  define("s-progress", Progress);
  define("s-product-thumbnail", ProductThumbnail);
  define("s-image", Image);
  define("s-divider", Divider);
  define("s-badge", Badge);
  define("s-spinner", Spinner);
}

defineElements();
