// Offers in the database. Every function takes the shop from the caller's session and
// filters by it: an id from another shop is simply not found. Saves are single
// transactions, and an update must name the version it started from (optimistic
// concurrency: the later of two concurrent saves is refused, never silently merged).
import { Prisma, type Offer as Row } from "@prisma/client";
import prisma from "../db.server";
import type { OfferKind, Placement } from "../engine";
import { DISPLAY_STATUSES, OFFER_KINDS, type DisplayStatus, type OfferDefinition, type OfferFields, type OfferRecord, type StoredStatus } from "./model";

export const PAGE_SIZE = 50;

export class OfferNotFoundError extends Error {
  constructor() {
    super("This offer does not exist, or was deleted.");
    this.name = "OfferNotFoundError";
  }
}

export class OfferConflictError extends Error {
  constructor(readonly current: OfferRecord) {
    super("This offer was changed by someone else since you opened it. Reload to see their changes.");
    this.name = "OfferConflictError";
  }
}

export function toRecord(row: Row): OfferRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OfferKind,
    status: (row.status == "paused" ? "paused" : "active") as StoredStatus,
    priority: row.priority,
    placements: row.placements as Placement[],
    definition: (row.definition ?? {}) as OfferDefinition,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const columns = (fields: OfferFields) => ({
  name: fields.name,
  kind: fields.kind,
  status: fields.status,
  priority: fields.priority,
  placements: fields.placements,
  definition: fields.definition as Prisma.InputJsonValue,
  startsAt: fields.startsAt,
  endsAt: fields.endsAt,
});

export async function getOffer(shop: string, id: string): Promise<OfferRecord | null> {
  const row = await prisma.offer.findFirst({ where: { id, shop } });
  return row ? toRecord(row) : null;
}

/** A create form's idempotency key: one per rendering of the form. */
export const CREATE_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** Creates an offer. With `createKey` (the form's idempotency key), a second create with
 *  the same key, even one racing the first, answers with the first offer instead of
 *  making another. */
export async function createOffer(shop: string, fields: OfferFields, createKey?: string): Promise<OfferRecord> {
  const key = createKey && CREATE_KEY.test(createKey) ? createKey : null;
  const existing = key ? await offerByCreateKey(shop, key) : null;
  if (existing) return existing;
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.shop.upsert({ where: { shop }, create: { shop }, update: {} });
      return toRecord(await tx.offer.create({ data: { shop, ...columns(fields), createKey: key } }));
    });
  } catch (error) {
    // The same key's other submit created it between our look and our insert.
    if (key && error instanceof Prisma.PrismaClientKnownRequestError && error.code == "P2002") {
      const first = await offerByCreateKey(shop, key);
      if (first) return first;
    }
    throw error;
  }
}

/** The offer a create with this idempotency key made, if any. */
export async function offerByCreateKey(shop: string, createKey: string): Promise<OfferRecord | null> {
  const row = await prisma.offer.findFirst({ where: { shop, createKey } });
  return row ? toRecord(row) : null;
}

/** Saves over `version`; refuses (OfferConflictError) when the row moved on since. */
export async function updateOffer(shop: string, id: string, version: number, fields: OfferFields): Promise<OfferRecord> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.offer.updateMany({
      where: { id, shop, version },
      data: { ...columns(fields), version: { increment: 1 } },
    });
    const row = await tx.offer.findFirst({ where: { id, shop } });
    if (!row) throw new OfferNotFoundError();
    if (count == 0) throw new OfferConflictError(toRecord(row));
    return toRecord(row);
  });
}

export async function deleteOffer(shop: string, id: string): Promise<boolean> {
  const { count } = await prisma.offer.deleteMany({ where: { id, shop } });
  return count > 0;
}

// ---------------------------------------------------------------------------------------
// The offers list
// ---------------------------------------------------------------------------------------

export type OfferSort = "updated" | "name" | "priority";

export interface OfferFilters {
  query?: string;
  status?: DisplayStatus[];
  kind?: OfferKind[];
}

export interface OfferListQuery extends OfferFilters {
  page?: number;
  sort?: OfferSort;
  pageSize?: number;
}

export interface OfferListPage {
  offers: OfferRecord[];
  total: number;
  page: number;
  pageCount: number;
  /** Offers of the shop whatever the filters (the empty state shows when 0). */
  shopTotal: number;
}

/** A display status as a database condition (it combines status with the schedule). */
function statusWhere(status: DisplayStatus, now: Date): Prisma.OfferWhereInput {
  const notExpired: Prisma.OfferWhereInput = { OR: [{ endsAt: null }, { endsAt: { gt: now } }] };
  switch (status) {
    case "expired":
      return { endsAt: { lte: now } };
    case "paused":
      return { AND: [{ status: "paused" }, notExpired] };
    case "scheduled":
      return { AND: [{ status: "active" }, { startsAt: { gt: now } }, notExpired] };
    case "active":
      return { AND: [{ status: "active" }, { OR: [{ startsAt: null }, { startsAt: { lte: now } }] }, notExpired] };
  }
}

export function offerWhere(shop: string, filters: OfferFilters, now = new Date()): Prisma.OfferWhereInput {
  const and: Prisma.OfferWhereInput[] = [{ shop }];
  const query = filters.query?.trim();
  if (query) and.push({ name: { contains: query, mode: "insensitive" } });
  const statuses = (filters.status ?? []).filter((s) => DISPLAY_STATUSES.includes(s));
  if (statuses.length && statuses.length < DISPLAY_STATUSES.length) and.push({ OR: statuses.map((s) => statusWhere(s, now)) });
  const kinds = (filters.kind ?? []).filter((k) => OFFER_KINDS.includes(k));
  if (kinds.length) and.push({ kind: { in: kinds } });
  return { AND: and };
}

const ORDER: Record<OfferSort, Prisma.OfferOrderByWithRelationInput[]> = {
  updated: [{ updatedAt: "desc" }, { id: "asc" }],
  name: [{ name: "asc" }, { id: "asc" }],
  priority: [{ priority: "desc" }, { updatedAt: "desc" }, { id: "asc" }],
};

export async function listOffers(shop: string, query: OfferListQuery = {}): Promise<OfferListPage> {
  const pageSize = query.pageSize ?? PAGE_SIZE;
  const where = offerWhere(shop, query);
  const [total, shopTotal] = await Promise.all([prisma.offer.count({ where }), prisma.offer.count({ where: { shop } })]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pageCount);
  const rows = await prisma.offer.findMany({
    where,
    orderBy: ORDER[query.sort ?? "updated"] ?? ORDER.updated,
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  return { offers: rows.map(toRecord), total, page, pageCount, shopTotal };
}

/** Every offer the publisher compiles: not paused, not ended. */
export async function liveOffers(shop: string, now = new Date()): Promise<OfferRecord[]> {
  const rows = await prisma.offer.findMany({
    where: { shop, status: "active", OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: [{ priority: "desc" }, { id: "asc" }],
  });
  return rows.map(toRecord);
}

export type BulkAction = "pause" | "resume" | "delete";

/** Applies a bulk action to the given ids, or (`ids: "all"`) to every offer matching the
 *  filters; only ever to the shop's own offers. Returns how many changed. */
export async function bulkUpdate(shop: string, action: BulkAction, target: { ids: string[] } | { all: OfferFilters }): Promise<number> {
  const where: Prisma.OfferWhereInput = "ids" in target ? { shop, id: { in: target.ids } } : offerWhere(shop, target.all);
  if (action == "delete") return (await prisma.offer.deleteMany({ where })).count;
  const status = action == "pause" ? "paused" : "active";
  return (await prisma.offer.updateMany({ where: { AND: [where, { status: { not: status } }] }, data: { status, version: { increment: 1 } } })).count;
}
