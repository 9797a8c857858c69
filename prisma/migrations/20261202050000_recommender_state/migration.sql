-- The recommender's per-shop state: the order backfill's progress and the last rebuild of its lists.
-- Written with `prisma migrate diff` from the previous schema.

-- CreateTable
CREATE TABLE "RecommenderState" (
    "shop" TEXT NOT NULL,
    "backfillStatus" TEXT NOT NULL DEFAULT 'idle',
    "bulkOperationId" TEXT,
    "backfillSince" TIMESTAMP(3),
    "ordersExpected" INTEGER NOT NULL DEFAULT 0,
    "ordersRead" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "backfillStartedAt" TIMESTAMP(3),
    "backfillFinishedAt" TIMESTAMP(3),
    "backfillError" TEXT,
    "lastRebuiltAt" TIMESTAMP(3),
    "rebuildMs" INTEGER,
    "ordersUsed" INTEGER NOT NULL DEFAULT 0,
    "productsWithLists" INTEGER NOT NULL DEFAULT 0,
    "ordersSinceRebuild" INTEGER NOT NULL DEFAULT 0,
    "lists" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecommenderState_pkey" PRIMARY KEY ("shop")
);

