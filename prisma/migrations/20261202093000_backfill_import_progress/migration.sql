-- The backfill's import is stored in batches: how far it got and since when.
ALTER TABLE "RecommenderState" ADD COLUMN "ordersStored" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RecommenderState" ADD COLUMN "importStartedAt" TIMESTAMP(3);
