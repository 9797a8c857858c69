// Webhooks are sometimes delivered more than once. A delivery is handled inside one
// transaction together with the record of its X-Shopify-Webhook-Id, so a redelivery
// finds the record and changes nothing, and a failed handler leaves no record behind
// (Shopify retries it).
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";

export interface Delivery {
  webhookId: string;
  shop: string;
  topic: string;
}

export type DeliveryOutcome<T> = { duplicate: true } | { duplicate: false; result: T };

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code == "P2002";

export async function handleOnce<T>(
  delivery: Delivery,
  handler: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<DeliveryOutcome<T>> {
  try {
    return await prisma.$transaction(async (tx) => {
      const seen = await tx.webhookDelivery.findUnique({ where: { webhookId: delivery.webhookId } });
      if (seen) return { duplicate: true } as const;
      const result = await handler(tx);
      await tx.webhookDelivery.create({ data: delivery });
      return { duplicate: false, result } as const;
    });
  } catch (error) {
    // A concurrent delivery of the same id committed first: ours rolled back whole.
    if (isUniqueViolation(error) && (await prisma.webhookDelivery.count({ where: { webhookId: delivery.webhookId } }))) return { duplicate: true };
    throw error;
  }
}
