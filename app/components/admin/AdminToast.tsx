// A toast after saving: App Bridge's inside Shopify; a small Polaris-styled one in the
// local shop (there is no App Bridge there, and the layout has no Polaris Frame).
import { useCallback, useEffect, useState } from "react";
import { appBridge, useLocalShop } from "./mode";

export interface ToastMessage {
  id: number;
  content: string;
  error?: boolean;
}

export function useToast() {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const show = useCallback((content: string, error = false) => setToast({ id: Date.now() + Math.random(), content, error }), []);
  const dismiss = useCallback(() => setToast(null), []);
  return { toast, show, dismiss };
}

export function AdminToast({ toast, onDismiss }: { toast: ToastMessage | null; onDismiss: () => void }) {
  const local = useLocalShop();
  useEffect(() => {
    if (!toast) return;
    if (!local) {
      appBridge()?.toast.show(toast.content, { isError: toast.error, duration: 5000 });
      onDismiss();
      return;
    }
    const timer = setTimeout(onDismiss, 5000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [toast?.id, local]);
  if (!toast || !local) return null;
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="toast"
      style={{
        position: "fixed",
        bottom: 32,
        left: "50%",
        transform: "translateX(-50%)",
        zIndex: 600,
        display: "flex",
        alignItems: "center",
        gap: 12,
        padding: "10px 12px 10px 16px",
        borderRadius: 12,
        background: toast.error ? "var(--p-color-bg-fill-critical, #c70a24)" : "var(--p-color-bg-inverse, #1a1a1a)",
        color: "#fff",
        fontSize: 13,
        fontWeight: 550,
        boxShadow: "var(--p-shadow-600, 0 8px 24px rgba(0,0,0,.2))",
      }}
    >
      <span>{toast.content}</span>
      <button
        type="button"
        aria-label="Dismiss notification"
        onClick={onDismiss}
        style={{ background: "transparent", border: 0, color: "inherit", cursor: "pointer", fontSize: 16, lineHeight: 1, padding: 4 }}
      >
        ×
      </button>
    </div>
  );
}
