// The live preview as a JSON read (GET): asking for a preview never revalidates the
// page's loaders, so the editor keeps the merchant's unsaved edits. `q` is the request
// as JSON: { sample, draft?, offerId? }.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdmin } from "../shopify.server";
import { previewOffers } from "../offers/preview.server";
import { isDatabaseError } from "../db/errors.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  let body: { sample?: unknown; draft?: unknown; offerId?: unknown } = {};
  try {
    body = JSON.parse(new URL(request.url).searchParams.get("q") ?? "{}");
  } catch {
    /* an unreadable request previews an empty cart */
  }
  try {
    const result = await previewOffers(
      { admin, shop: session.shop },
      { sample: body.sample, draft: body.draft ?? undefined, offerId: typeof body.offerId == "string" ? body.offerId : null },
      localeOf(request),
    );
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    // The preview reads offers and lists from Cartlift's database and the catalog from
    // Shopify: the panel says which of the two failed.
    if (isDatabaseError(error)) {
      console.error(`preview for ${session.shop}: the database failed:`, (error as Error)?.message ?? error);
      return Response.json({ error: "Cartlift's own storage did not answer" }, { status: 503, headers: { "cache-control": "no-store" } });
    }
    console.error(`preview for ${session.shop}: Shopify did not answer:`, (error as Error)?.message ?? error);
    return Response.json({ error: "Shopify did not answer" }, { status: 502, headers: { "cache-control": "no-store" } });
  }
};

function localeOf(request: Request): string {
  const tag = request.headers.get("accept-language")?.split(",")[0]?.split(";")[0]?.trim() || "en-US";
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag])[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}
