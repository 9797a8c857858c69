// Editing one offer of the session's shop (another shop's id is simply not found).
import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authenticateAdmin } from "../shopify.server";
import { duplicateOffer, loadOfferEditor, removeOffer, saveOffer } from "../offers/offers.server";
import { CREATE_KEY } from "../offers/repository.server";
import { OfferEditor } from "../components/offers/OfferEditor";
import { pageTitle } from "../components/admin/title";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const editor = await loadOfferEditor({ admin, shop: session.shop }, params.id ?? "");
  if (!editor) throw new Response("This offer does not exist, or was deleted.", { status: 404 });
  return editor;
};

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.input.name.trim() || "Untitled offer");

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const scope = { admin, shop: session.shop };
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent == "delete") {
    const { deleted } = await removeOffer(scope, id);
    if (!deleted) throw new Response("This offer does not exist, or was deleted.", { status: 404 });
    return redirect("/app/offers?deleted=1");
  }
  if (intent == "duplicate") {
    const key = form.get("createKey");
    if (key !== null && !(typeof key == "string" && CREATE_KEY.test(key))) throw new Response("The form's key is not one this app made: reload the page and try again.", { status: 400 });
    const copy = await duplicateOffer(scope, id, key ?? undefined);
    if (!copy) throw new Response("This offer does not exist, or was deleted.", { status: 404 });
    return redirect(`/app/offers/${copy.offer.id}?duplicated=1&published=${copy.publish.status == "published" ? "ok" : "failed"}`);
  }
  if (intent != "save") throw new Response("Unknown action", { status: 400 });
  const version = Number(form.get("version"));
  if (!Number.isSafeInteger(version) || version < 1) throw new Response("The form did not say which version it edits.", { status: 400 });
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(form.get("offer") ?? "null"));
  } catch {
    /* validated as empty */
  }
  const result = await saveOffer(scope, raw, { id, version });
  if (!result.ok && result.reason == "not_found") throw new Response(result.errors.form, { status: 404 });
  return result.ok ? { ok: true as const, publish: result.publish, version: result.offer.version } : result;
};

export default function EditOffer() {
  const data = useLoaderData<typeof loader>();
  return <OfferEditor key={data.offer?.id} data={data} />;
}
