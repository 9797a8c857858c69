// Activates Cartlift's web pixel (extensions/cartlift-pixel) on a shop and keeps its one
// setting, the ingest URL, pointing at this app (webPixel / webPixelCreate / webPixelUpdate).
// Called after install (shopify.server.ts afterAuth) and, in local-shop mode, when the demo
// starts. Never throws: a shop whose pixel could not be activated still works, with events
// uncounted, and the reason is returned for the log.
import { adminGraphql } from "../admin-api.server";
import type { AdminApi } from "../shopify.server";

const WEB_PIXEL = `#graphql
  query CartliftWebPixel {
    webPixel { id settings }
  }`;

const WEB_PIXEL_CREATE = `#graphql
  mutation CartliftWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) { webPixel { id settings } userErrors { code field message } }
  }`;

const WEB_PIXEL_UPDATE = `#graphql
  mutation CartliftWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) { webPixel { id settings } userErrors { code field message } }
  }`;

type UserError = { code: string | null; field: string[] | null; message: string };
type Payload = { webPixel: { id: string; settings: unknown } | null; userErrors: UserError[] };

/** The URL the pixel posts event batches to. */
export const ingestUrlFor = (appUrl: string) => `${appUrl.replace(/\/$/, "")}/api/events`;

const settingsOf = (value: unknown): Record<string, unknown> => {
  try {
    const parsed = typeof value == "string" ? JSON.parse(value) : value;
    return typeof parsed == "object" && parsed ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export type ConnectOutcome = { status: "created" | "updated" | "unchanged"; id: string } | { status: "failed"; message: string };

export async function connectWebPixel(admin: AdminApi, appUrl: string): Promise<ConnectOutcome> {
  const settings = JSON.stringify({ ingestUrl: ingestUrlFor(appUrl) });
  try {
    // No pixel yet: Shopify answers a "not found" error (or null).
    const existing = await adminGraphql<{ webPixel: { id: string; settings: unknown } | null }>(admin, WEB_PIXEL).then(
      (data) => data.webPixel,
      () => null,
    );
    if (existing) {
      if (settingsOf(existing.settings).ingestUrl === ingestUrlFor(appUrl)) return { status: "unchanged", id: existing.id };
      const { webPixelUpdate } = await adminGraphql<{ webPixelUpdate: Payload }>(admin, WEB_PIXEL_UPDATE, { variables: { id: existing.id, webPixel: { settings } } });
      if (webPixelUpdate.userErrors.length || !webPixelUpdate.webPixel) return { status: "failed", message: webPixelUpdate.userErrors.map((e) => e.message).join("; ") };
      return { status: "updated", id: webPixelUpdate.webPixel.id };
    }
    const { webPixelCreate } = await adminGraphql<{ webPixelCreate: Payload }>(admin, WEB_PIXEL_CREATE, { variables: { webPixel: { settings } } });
    if (webPixelCreate.userErrors.length || !webPixelCreate.webPixel) return { status: "failed", message: webPixelCreate.userErrors.map((e) => `${e.code}: ${e.message}`).join("; ") };
    return { status: "created", id: webPixelCreate.webPixel.id };
  } catch (error) {
    return { status: "failed", message: (error as Error).message };
  }
}
