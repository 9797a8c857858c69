// Reads a theme's JSON files for the setup guide: is Cartlift's app embed on in
// `config/settings_data.json`, is its product block in `templates/product.json`.
// Shopify writes these files with a `/* … */` comment header before the JSON; anything we
// cannot read is "unknown" (the guide says so), never an exception.

export type BlockState = "on" | "off" | "missing" | "unknown";

/** A theme JSON file's value, without its leading comment blocks; null when it is not JSON. */
export function parseThemeJson(text: string | null | undefined): unknown {
  if (typeof text !== "string") return null;
  let rest = text.replace(/^\uFEFF/, "").trimStart();
  while (rest.startsWith("/*")) {
    const end = rest.indexOf("*/", 2);
    if (end < 0) return null;
    rest = rest.slice(end + 2).trimStart();
  }
  try {
    return JSON.parse(rest);
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Does an app block type (`shopify://apps/<app>/blocks/<handle>/<uuid>`) name our block? */
export function isAppBlockType(type: unknown, handle: string, extensionUid?: string | null): boolean {
  if (typeof type !== "string") return false;
  const m = /^shopify:\/\/apps\/[^/]+\/blocks\/([^/]+)\/([^/]+)$/.exec(type);
  return !!m && m[1] === handle && (!extensionUid || m[2] === extensionUid);
}

/** The state of the app embed `handle` in settings_data.json's text. */
export function embedState(settingsData: string | null | undefined, handle: string, extensionUid?: string | null): BlockState {
  const doc = parseThemeJson(settingsData);
  if (!isObject(doc)) return "unknown";
  // `current` is the settings object, or the name of a preset in `presets`.
  const current = typeof doc.current === "string" && isObject(doc.presets) ? doc.presets[doc.current] : doc.current;
  if (!isObject(current)) return "unknown";
  if (current.blocks === undefined) return "missing";
  if (!isObject(current.blocks)) return "unknown";
  const ours = Object.values(current.blocks).filter((b) => isObject(b) && isAppBlockType(b.type, handle, extensionUid)) as Record<string, unknown>[];
  if (ours.length === 0) return "missing";
  return ours.some((b) => b.disabled !== true) ? "on" : "off";
}

/** The state of the app block `handle` anywhere in a JSON template's sections (nested blocks too). */
export function templateBlockState(template: string | null | undefined, handle: string, extensionUid?: string | null): BlockState {
  const doc = parseThemeJson(template);
  if (!isObject(doc) || !isObject(doc.sections)) return "unknown";
  let found: BlockState = "missing";
  const visit = (blocks: unknown, parentDisabled: boolean) => {
    if (!isObject(blocks)) return;
    for (const block of Object.values(blocks)) {
      if (!isObject(block)) continue;
      const disabled = parentDisabled || block.disabled === true;
      if (isAppBlockType(block.type, handle, extensionUid)) {
        if (!disabled) found = "on";
        else if (found === "missing") found = "off";
      }
      visit(block.blocks, disabled);
    }
  };
  visit(doc.sections, false);
  return found;
}
