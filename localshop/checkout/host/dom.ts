// A tiny element builder for the local checkout's own page (text is always set as text).
type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

export function money(amount: { amount: number; currencyCode: string }): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: amount.currencyCode }).format(amount.amount);
}
