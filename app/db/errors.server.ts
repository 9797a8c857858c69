// Which failures are the app's own database's (a query refused, a connection lost, a
// timeout), so a route can tell the merchant whose side failed: "Shopify did not answer"
// is wrong when Shopify answered and Cartlift's storage did not.
import { Prisma } from "@prisma/client";

/** True for every error the Prisma client raises (with the pg adapter, connection and
 *  timeout failures arrive as PrismaClientKnownRequestError too, e.g. P1001). */
export function isDatabaseError(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError ||
    error instanceof Prisma.PrismaClientUnknownRequestError ||
    error instanceof Prisma.PrismaClientInitializationError ||
    error instanceof Prisma.PrismaClientRustPanicError ||
    error instanceof Prisma.PrismaClientValidationError
  );
}
