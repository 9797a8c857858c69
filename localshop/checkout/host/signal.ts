// The host's signals: what `shopify.lines`, `shopify.cost.totalAmount`… are. Read-only for the
// extension (`value`, the deprecated `current`, `subscribe`, `destroy`); the host changes
// them with `set`. Like Preact Signals (which Shopify's host uses), `subscribe` calls back
// at once with the current value, then on every change.
export class HostSignal<T> {
  #value: T;
  #subscribers = new Set<(value: T) => void>();

  constructor(value: T) {
    this.#value = value;
  }

  get value(): T {
    return this.#value;
  }

  /** @deprecated in the API, still served. */
  get current(): T {
    return this.#value;
  }

  subscribe(fn: (value: T) => void): () => void {
    this.#subscribers.add(fn);
    fn(this.#value);
    return () => void this.#subscribers.delete(fn);
  }

  async destroy(): Promise<void> {
    this.#subscribers.clear();
  }

  /** Host only. Unchanged JSON is not a change (no needless re-renders). */
  set(value: T): void {
    if (JSON.stringify(value) === JSON.stringify(this.#value)) return;
    this.#value = value;
    for (const fn of [...this.#subscribers]) {
      try {
        fn(value);
      } catch (error) {
        console.error("extension subscriber failed", error);
      }
    }
  }
}
