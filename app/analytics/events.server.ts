// Events in: batches from Cartlift's web pixel (impressions, clicks, accepts, dismissals,
// and the session and checkout markers of the guardrail). The route checks what it can
// (the shop is installed, offer ids are the shop's, the batch is well formed), limits
// the rate per shop, stores the raw rows and adds them to the daily rollups in two
// statements, written together with the batches other requests brought meanwhile (group
// commit: one transaction for all of them). Each event carries the customer event's id
// (Shopify's web pixel `event.id`): the pixel sends again a batch whose answer it did not
// see, so a row whose (shop, id) is already stored is skipped (a unique index and ON CONFLICT
// DO NOTHING) and the rollups add only the rows that were stored now: a resent batch counts
// once, and two resends racing in two instances too (the second waits on the first's row). Events undercount (the pixel runs only with the shopper's consent), so the
// lift is computed from orders; events give rates per offer.
import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { dayIn, parseGroup, plausibleOfferId, type Group } from "./orders";
import { GroupCommit } from "./group-commit.server";

export const EVENT_TYPES = ["impression", "click", "accept", "dismiss", "session", "checkout_started", "checkout_completed"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const MAX_BATCH = 100;
const PLACEMENT = /^[a-z_]{1,32}$/;
/** Shopify's event ids look like "sh-88153c5a-…" (a prefix and a UUID); anything else is not believed. */
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Raw events older than this are pruned (the rollups keep their counts). */
export const EVENT_RETENTION_DAYS = 90;

export interface PixelEvent {
  /** The customer event's id, when the pixel sent one (events without one are never deduplicated). */
  id?: string;
  type: EventType;
  offerId: string;
  placement: string;
  group: Group;
  at: Date;
}

const COLUMN: Record<EventType, string> = {
  impression: "impressions",
  click: "clicks",
  accept: "accepts",
  dismiss: "dismissals",
  session: "sessions",
  checkout_started: "checkoutsStarted",
  checkout_completed: "checkoutsCompleted",
};
const OFFER_EVENTS = new Set<EventType>(["impression", "click", "accept", "dismiss"]);

/** Parses a batch; events that are not well formed are dropped and counted. */
export function parseEventBatch(body: unknown, now = Date.now()): { shop: string | null; events: PixelEvent[]; rejected: number } {
  const record = typeof body == "object" && body ? (body as Record<string, unknown>) : {};
  const shop = typeof record.shop == "string" && /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(record.shop) ? record.shop : null;
  const list = Array.isArray(record.events) ? record.events.slice(0, MAX_BATCH) : [];
  let rejected = (Array.isArray(record.events) ? record.events.length : 0) - list.length;
  const events: PixelEvent[] = [];
  for (const raw of list) {
    const e = typeof raw == "object" && raw ? (raw as Record<string, unknown>) : {};
    const type = EVENT_TYPES.find((t) => t === e.type);
    const offerId = plausibleOfferId(typeof e.offerId == "string" ? e.offerId : null);
    const at = typeof e.at == "string" || typeof e.at == "number" ? new Date(e.at) : new Date(now);
    // Clocks drift: an event more than a day away from now is not believed.
    const time = Number.isNaN(at.getTime()) || Math.abs(at.getTime() - now) > 86_400_000 ? new Date(now) : at;
    if (!type || (OFFER_EVENTS.has(type) && !offerId)) {
      rejected++;
      continue;
    }
    events.push({
      ...(typeof e.id == "string" && EVENT_ID.test(e.id) ? { id: e.id } : {}),
      type,
      offerId: OFFER_EVENTS.has(type) ? offerId! : "",
      placement: typeof e.placement == "string" && PLACEMENT.test(e.placement) ? e.placement : "",
      group: parseGroup(typeof e.group == "string" ? e.group : null),
      at: time,
    });
  }
  return { shop, events, rejected };
}

// ---- what the route checks, cached per process ------------------------------------------

interface ShopFacts {
  timezone: string;
  offers: Set<string>;
  loadedAt: number;
}
const shopCache = new Map<string, ShopFacts>();
const SHOP_TTL_MS = 60_000;
/** An offer id the cached facts do not know reloads them, at most this often. */
const SHOP_MISS_RELOAD_MS = 2_000;

async function shopFacts(shop: string, offerIds: string[] = []): Promise<ShopFacts | null> {
  const cached = shopCache.get(shop);
  const age = cached ? Date.now() - cached.loadedAt : Infinity;
  // An offer created a moment ago is counted from its first impression, not a minute later.
  const missing = cached !== undefined && age >= SHOP_MISS_RELOAD_MS && offerIds.some((id) => id && !cached.offers.has(id));
  if (cached && age < SHOP_TTL_MS && !missing) return cached;
  const [row, offers] = await Promise.all([
    prisma.shop.findUnique({ where: { shop }, select: { timezone: true } }),
    prisma.offer.findMany({ where: { shop }, select: { id: true } }),
  ]);
  if (!row) return null;
  const facts = { timezone: row.timezone ?? "UTC", offers: new Set(offers.map((o) => o.id)), loadedAt: Date.now() };
  shopCache.set(shop, facts);
  return facts;
}

/** A token bucket per shop (per app instance): `rate` batches a second, bursts of `burst`. */
export class ShopRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private rate = 50, private burst = 200, private now = () => Date.now()) {}
  take(shop: string): boolean {
    const t = this.now();
    const bucket = this.buckets.get(shop) ?? { tokens: this.burst, at: t };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.rate);
    bucket.at = t;
    this.buckets.set(shop, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
export const eventRateLimiter = new ShopRateLimiter();

export type IngestEventsOutcome =
  | { status: 202; accepted: number; rejected: number }
  | { status: 400 | 404 | 429; error: string };

export async function ingestEventBatch(body: unknown, limiter = eventRateLimiter): Promise<IngestEventsOutcome> {
  const { shop, events, rejected } = parseEventBatch(body);
  if (!shop) return { status: 400, error: "The batch names no shop (shop: <name>.myshopify.com)." };
  if (!limiter.take(shop)) return { status: 429, error: "Too many event batches for this shop; send fewer, larger batches." };
  const facts = await shopFacts(shop, events.map((e) => e.offerId));
  if (!facts) return { status: 404, error: "Cartlift is not installed on this shop." };
  // An offer id the shop does not have is not counted (a stale page, or made up).
  const known = events.filter((e) => !e.offerId || facts.offers.has(e.offerId));
  if (known.length) await eventWriter.submit({ shop, events: known, timezone: facts.timezone });
  maybePrune();
  return { status: 202, accepted: known.length, rejected: rejected + events.length - known.length };
}

/** Raw rows and rollup increments for a shop's events (two statements). */
export async function storeEvents(shop: string, events: PixelEvent[], timezone: string, db: typeof prisma | Prisma.TransactionClient = prisma) {
  await writeEvents(db, [{ shop, events, timezone }]);
}

interface EventWrite {
  shop: string;
  events: PixelEvent[];
  timezone: string;
}

/** Concurrent batches (of any shops) are written together: one transaction, two statements. */
const eventWriter = new GroupCommit<EventWrite, void>(async (writes) => {
  await prisma.$transaction((tx) => writeEvents(tx, writes));
  return writes.map(() => undefined);
}, 100);

/** The raw rows (one multi-row INSERT, events already stored skipped) and the rollup
 *  increments of the rows stored now (one upsert, rows in key order). */
async function writeEvents(db: typeof prisma | Prisma.TransactionClient, writes: EventWrite[]) {
  // An id twice in what is written together (a resend joining its original in one group
  // commit) is one event: the first is kept.
  const seen = new Set<string>();
  const raw = writes.flatMap((w) =>
    w.events
      .filter((e) => {
        if (e.id === undefined) return true;
        const key = w.shop + " " + e.id;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((e) => ({ shop: w.shop, e, timezone: w.timezone })),
  );
  if (!raw.length) return;
  const col = <T>(f: (r: (typeof raw)[number]) => T) => raw.map(f);
  // The ids that come back are new; null ids never conflict (and come back as null).
  const inserted = await db.$queryRaw<Array<{ shop: string; eventId: string | null }>>`
    INSERT INTO "OfferEvent" ("id", "shop", "offerId", "type", "placement", "group", "occurredAt", "eventId")
    SELECT gen_random_uuid()::text, shop, offer, type, placement, grp, at::timestamptz AT TIME ZONE 'UTC', event_id
    FROM unnest(${col((r) => r.shop)}::text[], ${col((r) => r.e.offerId)}::text[], ${col((r) => r.e.type)}::text[], ${col((r) => r.e.placement)}::text[],
                ${col((r) => r.e.group)}::text[], ${col((r) => r.e.at.toISOString())}::text[], ${col((r) => r.e.id ?? null)}::text[])
         AS t(shop, offer, type, placement, grp, at, event_id)
    ON CONFLICT ("shop", "eventId") DO NOTHING
    RETURNING "shop", "eventId"`;
  const stored = new Set(inserted.filter((r) => r.eventId !== null).map((r) => r.shop + " " + r.eventId));
  const fresh = raw.filter((r) => r.e.id === undefined || stored.has(r.shop + " " + r.e.id));
  if (!fresh.length) return;
  const rows = new Map<string, { shop: string; day: string; group: string; offerId: string; counts: Record<string, number> }>();
  for (const { shop, e, timezone } of fresh) {
    const day = dayIn(e.at, timezone);
    const key = `${shop}|${day}|${e.group}|${e.offerId}`;
    const row = rows.get(key) ?? { shop, day, group: e.group, offerId: e.offerId, counts: {} };
    row.counts[COLUMN[e.type]] = (row.counts[COLUMN[e.type]] ?? 0) + 1;
    rows.set(key, row);
  }
  const columns = Object.values(COLUMN);
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const values = sorted.map((r) => Prisma.sql`(${r.shop}, ${r.day}, ${r.group}, ${r.offerId}, ${Prisma.join(columns.map((c) => r.counts[c] ?? 0))})`);
  const names = Prisma.raw(columns.map((c) => `"${c}"`).join(", "));
  const updates = Prisma.raw(columns.map((c) => `"${c}" = "AnalyticsDaily"."${c}" + EXCLUDED."${c}"`).join(", "));
  await db.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("shop", "day", "group", "offerId", ${names})
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("shop", "day", "group", "offerId") DO UPDATE SET ${updates}`;
}

let lastPrune = 0;
function maybePrune() {
  if (Date.now() - lastPrune < 3_600_000) return;
  lastPrune = Date.now();
  pruneEvents().catch((error) => console.error("pruning old events failed:", error));
}

/** Deletes raw events older than the retention period (their counts stay in the rollups). */
export async function pruneEvents(retentionDays = EVENT_RETENTION_DAYS, now = Date.now()) {
  const { count } = await prisma.offerEvent.deleteMany({ where: { createdAt: { lt: new Date(now - retentionDays * 86_400_000) } } });
  return count;
}

/** Forgets cached shop facts (tests; after offers change). */
export function forgetShop(shop: string) {
  shopCache.delete(shop);
}
