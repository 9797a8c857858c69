// Reads one of the app's JSON resource routes (product search, preview) with plain fetch:
// no Remix fetcher, so a read never revalidates the page and is never itself revalidated
// after the page's actions. Inside Shopify, App Bridge adds the session token to the
// app's own fetches. The latest request wins; older answers are dropped.
import { useEffect, useRef, useState } from "react";

export function useJsonResource<T>(url: string | null, debounceMs = 0): { data: T | undefined; loading: boolean; error: string | null } {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    if (!url) return;
    const id = ++latest.current;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
        if (!response.ok) {
          // The route's own message when it gives one ({ error }), else the status.
          const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
          throw new Error(typeof body?.error == "string" ? body.error : `${response.status} ${response.statusText}`);
        }
        const body = (await response.json()) as T;
        if (id == latest.current) {
          setData(body);
          setError(null);
        }
      } catch (e) {
        if (id == latest.current && (e as Error).name != "AbortError") setError((e as Error).message);
      } finally {
        if (id == latest.current) setLoading(false);
      }
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [url, debounceMs]);

  return { data, loading, error };
}
