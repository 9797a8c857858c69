-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "discountId" TEXT;

-- CreateIndex
CREATE INDEX "Offer_shop_updatedAt_idx" ON "Offer"("shop", "updatedAt");
