// Tabs with the ARIA a screen reader expects (tablist → tab → tabpanel, arrow keys move
// between tabs) and Polaris's look. Polaris's own Tabs puts a non-tab item (its overflow
// disclosure) inside the tablist, which axe reports as a serious violation.
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { Box } from "@shopify/polaris";

export interface Tab {
  id: string;
  content: string;
}

export function TabList({ tabs, selected, onSelect, label, children }: { tabs: Tab[]; selected: number; onSelect: (index: number) => void; label: string; children: ReactNode }) {
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const move = (event: KeyboardEvent, index: number) => {
    const next = event.key == "ArrowRight" ? (index + 1) % tabs.length : event.key == "ArrowLeft" ? (index - 1 + tabs.length) % tabs.length : event.key == "Home" ? 0 : event.key == "End" ? tabs.length - 1 : -1;
    if (next < 0) return;
    event.preventDefault();
    onSelect(next);
    buttons.current[next]?.focus();
  };
  const active = tabs[selected];
  return (
    <div>
      <Box paddingInline="300" borderBlockEndWidth="025" borderColor="border">
        <div role="tablist" aria-label={label} style={{ display: "flex", flexWrap: "wrap", gap: "var(--p-space-100)" }}>
          {tabs.map((tab, i) => (
            <button
              key={tab.id}
              ref={(el) => {
                buttons.current[i] = el;
              }}
              type="button"
              role="tab"
              id={tab.id}
              aria-selected={i == selected}
              aria-controls={`${tab.id}-panel`}
              tabIndex={i == selected ? 0 : -1}
              onClick={() => onSelect(i)}
              onKeyDown={(e) => move(e, i)}
              className="cartlift-tab"
              data-selected={i == selected || undefined}
            >
              {tab.content}
            </button>
          ))}
        </div>
      </Box>
      <div role="tabpanel" id={`${active.id}-panel`} aria-labelledby={active.id} tabIndex={0}>
        {children}
      </div>
      <style>{`
        .cartlift-tab { appearance: none; background: none; border: 0; border-block-end: 2px solid transparent; margin-block-end: -1px;
          padding: 10px 12px; font: inherit; font-weight: 550; color: var(--p-color-text-secondary); cursor: pointer; border-radius: 8px 8px 0 0; }
        .cartlift-tab:hover { color: var(--p-color-text); background: var(--p-color-bg-surface-hover); }
        .cartlift-tab[data-selected] { color: var(--p-color-text); border-block-end-color: var(--p-color-border-emphasis, #303030); }
        .cartlift-tab:focus-visible { outline: 2px solid var(--p-color-border-focus); outline-offset: -2px; }
      `}</style>
    </div>
  );
}
