-- Shop.settingsVersion (settings saves name the version they start from) and Offer.createKey
-- (a double-submitted create makes one offer). Written with `prisma migrate diff` from the previous schema.

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "settingsVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "createKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Offer_shop_createKey_key" ON "Offer"("shop", "createKey");

