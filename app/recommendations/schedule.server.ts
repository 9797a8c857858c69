// When the frequently-bought-together lists are rebuilt, without slowing anything down.
//
// - After orders arrive: the order ingest (app/analytics/ingest.server.ts: the webhook
//   routes and queue consumers alike) calls `noteOrder(shop)` once per newly stored order,
//   after its batch commits; it only counts and sets a timer, so ingest is not slowed.
//   A shop's lists are rebuilt in the background as soon as MIN_NEW_ORDERS (25) new orders
//   arrived, or DEBOUNCE_MS (10 min) after the first new one, whichever comes first: a busy
//   shop rebuilds every 25 orders (at most once per MIN_GAP_MS), a quiet one within 10 minutes
//   of a sale, and a burst of webhooks costs one rebuild, not one per order.
// - On a schedule: every SWEEP_MS (1 h) each shop with lists is rebuilt if due
//   (`rebuildIfDue`: 25 new orders, or lists a day old, since decay moves the scores and the
//   "this month" counts even without new orders).
// - One rebuild per shop at a time; orders arriving during a rebuild schedule the next one.
//   A failed rebuild (Shopify unreachable, app uninstalled) is logged and retried by the
//   next order or sweep; it never reaches the webhook.
//
// The clock and timers are injected (`Clock`), so tests drive time without sleeping.
//
// Here the schedule runs in-process (server.ts starts it through the server build's
// `startBackgroundJobs`); state is per process, and what is due is read from the database,
// so a restart loses nothing but a pending debounce (the hourly sweep catches it up). A real
// deployment with several app instances would run the sweep from one scheduler (a cron job
// or the platform's scheduled task calling `sweep()`), and put `noteOrder` behind a queue
// with one consumer per shop, so two instances never rebuild one shop at once.
import { unauthenticated, type AdminApi } from "../shopify.server";
import prisma from "../db.server";
import { rebuildIfDue, DEFAULT_DUE_POLICY, type DuePolicy } from "./publish.server";

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // a pending rebuild never keeps the process alive
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RebuildScheduleOptions {
  /** New orders that trigger a rebuild right away. Default 25. */
  minNewOrders: number;
  /** Longest wait after the first new order. Default 10 min. */
  debounceMs: number;
  /** Shortest time between two order-triggered rebuilds of a shop. Default 2 min. */
  minGapMs: number;
  /** Period of the scheduled sweep. Default 1 h. */
  sweepMs: number;
  /** When the sweep finds a shop due (new orders, age). */
  duePolicy: DuePolicy;
  clock: Clock;
  /** An Admin API client for a shop (its offline session). */
  adminFor: (shop: string) => Promise<AdminApi>;
  /** Shops the sweep looks at: those whose lists were built once (backfill done). */
  shops: () => Promise<string[]>;
  log: (message: string) => void;
}

export const MIN_NEW_ORDERS = 25;
export const DEBOUNCE_MS = 10 * 60_000;
export const MIN_GAP_MS = 2 * 60_000;
export const SWEEP_MS = 60 * 60_000;

export type RebuildOutcome =
  | { shop: string; trigger: "orders" | "sweep"; rebuilt: boolean; written?: number; deleted?: number; rebuildMs?: number }
  | { shop: string; trigger: "orders" | "sweep"; error: string };

interface ShopState {
  pending: number;
  firstPendingAt: number;
  lastRunAt: number;
  timer?: unknown;
  timerAt?: number;
  running?: Promise<void>;
}

export class RebuildScheduler {
  readonly options: RebuildScheduleOptions;
  private readonly shops = new Map<string, ShopState>();
  private sweepTimer: unknown;
  private sweeping?: Promise<void>;
  /** Every rebuild attempted, newest last (the last 100): for the admin and tests. */
  readonly outcomes: RebuildOutcome[] = [];

  constructor(options: Partial<RebuildScheduleOptions> = {}) {
    this.options = {
      minNewOrders: MIN_NEW_ORDERS,
      debounceMs: DEBOUNCE_MS,
      minGapMs: MIN_GAP_MS,
      sweepMs: SWEEP_MS,
      duePolicy: DEFAULT_DUE_POLICY,
      clock: systemClock,
      adminFor: async (shop) => (await unauthenticated.admin(shop)).admin,
      shops: async () =>
        (await prisma.recommenderState.findMany({ where: { lastRebuiltAt: { not: null } }, select: { shop: true } })).map((r) => r.shop),
      log: (message) => console.warn(message),
      ...options,
    };
  }

  /** An order was stored for `shop`: count it and make sure a rebuild is on its way. Never throws, never waits. */
  noteOrder(shop: string): void {
    const now = this.options.clock.now();
    let s = this.shops.get(shop);
    if (!s) this.shops.set(shop, (s = { pending: 0, firstPendingAt: now, lastRunAt: -Infinity }));
    if (s.pending === 0) s.firstPendingAt = now;
    s.pending++;
    if (!s.running) this.plan(shop, s);
  }

  /** New orders of `shop` not yet in a rebuild (for the admin and tests). */
  pendingOrders(shop: string): number {
    return this.shops.get(shop)?.pending ?? 0;
  }

  /** When the next order-triggered rebuild of `shop` will start (epoch ms), if one is planned. */
  plannedAt(shop: string): number | undefined {
    return this.shops.get(shop)?.timerAt;
  }

  private plan(shop: string, s: ShopState): void {
    if (s.pending === 0) return;
    const { clock, minNewOrders, debounceMs, minGapMs } = this.options;
    const now = clock.now();
    const at = s.pending >= minNewOrders ? Math.max(now, s.lastRunAt + minGapMs) : s.firstPendingAt + debounceMs;
    if (s.timer !== undefined && s.timerAt !== undefined && s.timerAt <= at) return;
    if (s.timer !== undefined) clock.clearTimeout(s.timer);
    s.timerAt = at;
    s.timer = clock.setTimeout(() => {
      s.timer = s.timerAt = undefined;
      this.run(shop, "orders");
    }, Math.max(0, at - now));
  }

  /** Rebuilds `shop` now unless one is running (then returns that one). */
  run(shop: string, trigger: "orders" | "sweep"): Promise<void> {
    let s = this.shops.get(shop);
    if (!s) this.shops.set(shop, (s = { pending: 0, firstPendingAt: 0, lastRunAt: -Infinity }));
    if (s.running) return s.running;
    const state = s;
    const counted = state.pending;
    state.pending = 0;
    state.lastRunAt = this.options.clock.now();
    state.running = this.rebuild(shop, trigger, counted).finally(() => {
      state.running = undefined;
      this.plan(shop, state); // orders that arrived meanwhile
    });
    return state.running;
  }

  private async rebuild(shop: string, trigger: "orders" | "sweep", counted: number): Promise<void> {
    const now = this.options.clock.now();
    // After orders, the lists are due as soon as they exist (the debounce already waited, and
    // a webhook can arrive after a rebuild that began later than its order was placed); the
    // sweep uses the shop's policy (enough new orders, or a day old).
    const policy = trigger === "orders" ? { ...this.options.duePolicy, minNewOrders: 0 } : this.options.duePolicy;
    try {
      const admin = await this.options.adminFor(shop);
      const result = await rebuildIfDue(shop, admin, now, policy);
      this.record(
        result.rebuilt
          ? { shop, trigger, rebuilt: true, written: result.written, deleted: result.deleted, rebuildMs: result.rebuildMs }
          : { shop, trigger, rebuilt: false },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record({ shop, trigger, error: message });
      this.options.log(`Cartlift: rebuilding the recommendations of ${shop} (${trigger}, ${counted} new orders) failed: ${message}`);
    }
  }

  private record(outcome: RebuildOutcome): void {
    this.outcomes.push(outcome);
    if (this.outcomes.length > 100) this.outcomes.shift();
  }

  /** The scheduled pass: every shop with lists, one at a time, rebuilt if due. */
  sweep(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = (async () => {
      let shops: string[] = [];
      try {
        shops = await this.options.shops();
      } catch (error) {
        this.options.log(`Cartlift: the recommendations sweep could not list shops: ${(error as Error).message}`);
      }
      for (const shop of shops) await this.run(shop, "sweep");
    })().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  /** Starts the periodic sweep (first one after `sweepMs`). Returns `stop`. */
  start(): () => void {
    const tick = () => {
      this.sweepTimer = this.options.clock.setTimeout(() => {
        void this.sweep().finally(tick);
      }, this.options.sweepMs);
    };
    if (this.sweepTimer === undefined) tick();
    return () => this.stop();
  }

  stop(): void {
    const { clock } = this.options;
    if (this.sweepTimer !== undefined) clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const s of this.shops.values()) {
      if (s.timer !== undefined) clock.clearTimeout(s.timer);
      s.timer = s.timerAt = undefined;
    }
  }

  /** Resolves when no rebuild or sweep is running (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [this.sweeping, ...[...this.shops.values()].map((s) => s.running)].filter(Boolean);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }
}

let current: RebuildScheduler | undefined;

/** The process's scheduler (created on first use with the real clock and offline sessions). */
export function rebuildScheduler(): RebuildScheduler {
  return (current ??= new RebuildScheduler());
}

/** Replaces the process's scheduler (tests: an injected clock and admin). Returns it. */
export function configureRebuildScheduler(options: Partial<RebuildScheduleOptions> = {}): RebuildScheduler {
  current?.stop();
  current = new RebuildScheduler(options);
  return current;
}
