-- Analytics (issue 12): orders and their lines for attribution and the recommender's baskets,
-- daily rollups per shop, group and offer, and pixel events without customer ids.
-- Written with `prisma migrate diff` from the previous schema.

-- DropIndex
DROP INDEX "OfferEvent_shop_customerId_idx";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "currency" TEXT,
ADD COLUMN     "timezone" TEXT;

-- AlterTable
ALTER TABLE "OfferEvent" DROP COLUMN "customerId",
DROP COLUMN "holdout",
DROP COLUMN "sessionKey",
ADD COLUMN     "group" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "offerId" SET DEFAULT '',
ALTER COLUMN "placement" SET DEFAULT '';

-- DropTable
DROP TABLE "OrderAttribution";

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "received" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "day" TEXT NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "shopCurrency" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "presentmentRate" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "group" TEXT NOT NULL DEFAULT 'none',
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "refunds" JSONB NOT NULL DEFAULT '{}',
    "contribution" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shop","orderId")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "quantity" INTEGER NOT NULL,
    "revenueMinor" INTEGER NOT NULL,
    "refundedQuantity" INTEGER NOT NULL DEFAULT 0,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "offerId" TEXT,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("shop","orderId","lineId")
);

-- CreateTable
CREATE TABLE "AnalyticsDaily" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "checkoutsStarted" INTEGER NOT NULL DEFAULT 0,
    "checkoutsCompleted" INTEGER NOT NULL DEFAULT 0,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "accepts" INTEGER NOT NULL DEFAULT 0,
    "dismissals" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "revenueMinor" BIGINT NOT NULL DEFAULT 0,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "revenueSq" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "quantity" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsDaily_pkey" PRIMARY KEY ("shop","day","group","offerId")
);

-- CreateIndex
CREATE INDEX "Order_shop_processedAt_idx" ON "Order"("shop", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_day_idx" ON "Order"("shop", "day");

-- CreateIndex
CREATE INDEX "OrderLine_shop_offerId_idx" ON "OrderLine"("shop", "offerId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productId_idx" ON "OrderLine"("shop", "productId");

-- CreateIndex
CREATE INDEX "OfferEvent_createdAt_idx" ON "OfferEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_shop_orderId_fkey" FOREIGN KEY ("shop", "orderId") REFERENCES "Order"("shop", "orderId") ON DELETE CASCADE ON UPDATE CASCADE;

