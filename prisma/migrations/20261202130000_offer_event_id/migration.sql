-- Pixel events carry the customer event's id: a resent batch is stored and counted once
-- (INSERT … ON CONFLICT ("shop", "eventId") DO NOTHING). Events without one (null) never conflict.
ALTER TABLE "OfferEvent" ADD COLUMN "eventId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "OfferEvent_shop_eventId_key" ON "OfferEvent"("shop", "eventId");
