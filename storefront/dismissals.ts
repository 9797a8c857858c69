// Offers the shopper dismissed, remembered so they stay dismissed. Respects the shopper's
// privacy choices: when Shopify's Customer Privacy API is on the page and preferences
// processing is not allowed, nothing persists beyond the browser session (sessionStorage);
// with consent, or on shops without the API, localStorage. Storage that throws (private
// modes, blocked cookies) falls back to memory for the page's life.
const KEY = "cartlift:dismissed";

export interface DismissalStore {
  list(): string[];
  add(ids: string[]): void;
}

interface PrivacyApi {
  preferencesProcessingAllowed?: () => boolean;
}

export interface StorageHost {
  Shopify?: { customerPrivacy?: PrivacyApi };
  localStorage?: Storage;
  sessionStorage?: Storage;
}

/** Whether dismissals may be kept beyond this session. */
export function mayPersist(host: StorageHost): boolean {
  const privacy = host.Shopify?.customerPrivacy;
  if (!privacy) return true;
  try {
    return privacy.preferencesProcessingAllowed?.() === true;
  } catch {
    return false;
  }
}

export function dismissalStore(host: StorageHost): DismissalStore {
  let memory: string[] = [];
  // Reading `localStorage` itself throws where storage is blocked.
  const get = (name: "localStorage" | "sessionStorage"): Storage | undefined => {
    try {
      return host[name];
    } catch {
      return undefined;
    }
  };
  const storage = () => get(mayPersist(host) ? "localStorage" : "sessionStorage");
  const read = (s?: Storage): string[] => {
    try {
      const v = JSON.parse(s?.getItem(KEY) || "[]");
      return Array.isArray(v) ? v.filter((x) => typeof x == "string") : [];
    } catch {
      return [];
    }
  };
  return {
    // Session dismissals count too after consent is given.
    list: () => [...new Set([...memory, ...read(get("sessionStorage")), ...(mayPersist(host) ? read(get("localStorage")) : [])])],
    add(ids) {
      memory = [...new Set([...memory, ...ids])];
      const s = storage();
      try {
        s?.setItem(KEY, JSON.stringify([...new Set([...read(s), ...ids])]));
      } catch {
        // memory only
      }
    },
  };
}
