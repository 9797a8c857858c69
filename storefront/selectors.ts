// Selectors the merchant types into theme settings (e.g. where the cart drawer's offers go).
// A mistyped one ("cart-drawer .drawer__contents,") makes querySelector throw; it must cost
// the merchant that one placement, never the whole storefront script.

/** `selector` if the browser can use it, else "" (read as "not set"). */
export function usableSelector(selector: unknown, root: ParentNode = document): string {
  if (typeof selector != "string" || !selector.trim()) return "";
  try {
    root.querySelector(selector);
    return selector;
  } catch {
    return "";
  }
}
