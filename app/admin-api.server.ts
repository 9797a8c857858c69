// Calls the Admin GraphQL API and waits out Shopify's cost-based throttling. A throttled
// call answers HTTP 200 with a THROTTLED error and the bucket's state; the library's own
// retries only cover HTTP 429/5xx, so the wait is computed here from the throttle status.
import type { AdminApi } from "./shopify.server";

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlErrorBody {
  errors?: Array<{ message?: string; extensions?: { code?: string } }> | { graphQLErrors?: unknown };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

export class AdminApiError extends Error {
  constructor(message: string, readonly errors: unknown) {
    super(message);
    this.name = "AdminApiError";
  }
}

export interface AdminCallOptions {
  variables?: Record<string, unknown>;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let sleepBetweenAttempts = defaultSleep;

/** How throttled calls wait (tests drive the waits by their own clock, so they never
 *  depend on the machine's speed). Without an argument, the real timer again. */
export function setAdminApiSleep(sleep?: (ms: number) => Promise<void>): void {
  sleepBetweenAttempts = sleep ?? defaultSleep;
}

function graphqlErrorsOf(body: GraphqlErrorBody): Array<{ message?: string; extensions?: { code?: string } }> {
  const errors = body.errors;
  if (Array.isArray(errors)) return errors;
  const nested = (errors as { graphQLErrors?: unknown } | undefined)?.graphQLErrors;
  return Array.isArray(nested) ? nested : [];
}

/** How long to wait before the bucket holds what the query asks for (ms). */
export function throttleWaitMs(body: GraphqlErrorBody): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!status || !status.restoreRate) return 1000;
  const needed = (cost?.requestedQueryCost ?? status.maximumAvailable) - status.currentlyAvailable;
  return Math.max(50, Math.ceil((Math.max(needed, 0) / status.restoreRate) * 1000));
}

function isThrottled(body: GraphqlErrorBody): boolean {
  return graphqlErrorsOf(body).some((error) => error.extensions?.code === "THROTTLED");
}

/** Runs a query or mutation, retrying throttled calls; returns `data` or throws AdminApiError. */
export async function adminGraphql<T>(admin: AdminApi, query: string, options: AdminCallOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? sleepBetweenAttempts;
  for (let attempt = 1; ; attempt++) {
    let body: GraphqlErrorBody & { data?: T };
    try {
      const response = await admin.graphql(query, { variables: options.variables });
      body = (await response.json()) as GraphqlErrorBody & { data?: T };
    } catch (error) {
      // The library throws GraphqlQueryError with the response body for GraphQL errors.
      const thrownBody = (error as { body?: GraphqlErrorBody }).body;
      if (!thrownBody) throw error;
      body = thrownBody;
    }
    if (isThrottled(body)) {
      if (attempt >= maxAttempts) throw new AdminApiError("Shopify is throttling requests; try again shortly", body.errors);
      await sleep(throttleWaitMs(body));
      continue;
    }
    const errors = graphqlErrorsOf(body);
    if (errors.length > 0) {
      throw new AdminApiError(errors.map((error) => error.message).join("; "), errors);
    }
    return body.data as T;
  }
}
