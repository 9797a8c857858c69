// Cartlift's web pixel posts batches of offer events here (extensions/cartlift-pixel).
// The pixel runs in Shopify's sandbox (another origin), so the answer allows any origin;
// the body is sent as text/plain to avoid a preflight.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ingestEventBatch } from "../analytics/events.server";

const CORS = { "access-control-allow-origin": "*", "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type" };
const MAX_BYTES = 64_000;

export const loader = async (_args: LoaderFunctionArgs) => new Response(null, { status: 204, headers: CORS });

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  const text = await request.text();
  if (text.length > MAX_BYTES) return Response.json({ error: "The batch is too large (64 kB at most)." }, { status: 413, headers: CORS });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return Response.json({ error: "The batch is not JSON." }, { status: 400, headers: CORS });
  }
  const outcome = await ingestEventBatch(body);
  if (outcome.status === 202) return Response.json({ accepted: outcome.accepted, rejected: outcome.rejected }, { status: 202, headers: CORS });
  return Response.json({ error: outcome.error }, { status: outcome.status, headers: CORS });
};
