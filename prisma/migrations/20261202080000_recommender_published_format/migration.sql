-- The format of the published product metafields (2: a list.product_reference beside the
-- json picks). Lists published in an older format are rewritten on the next rebuild.
ALTER TABLE "RecommenderState" ADD COLUMN "publishedFormat" INTEGER NOT NULL DEFAULT 1;
