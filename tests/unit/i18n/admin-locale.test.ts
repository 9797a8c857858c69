import { describe, expect, it } from "vitest";
import { polarisLocaleFor, polarisTranslations, requestedAdminLocale } from "../../../app/i18n/admin-locale.server";

describe("the admin's Polaris language", () => {
  it("matches the merchant's locale to the closest Polaris translation", () => {
    expect(polarisLocaleFor("ko")).toBe("ko");
    expect(polarisLocaleFor("pt-BR")).toBe("pt-BR");
    expect(polarisLocaleFor("pt")).toBe("pt-BR");
    expect(polarisLocaleFor("es-MX")).toBe("es");
    expect(polarisLocaleFor("ja_JP")).toBe("ja");
    expect(polarisLocaleFor("zh-TW")).toBe("zh-TW");
  });

  it("falls back to English where Polaris has no translation (Armenian) or nothing is known", () => {
    expect(polarisLocaleFor("hy")).toBe("en");
    expect(polarisLocaleFor(undefined)).toBe("en");
  });

  it("prefers Shopify's ?locale=, then the session, then the browser", () => {
    const headers = { "accept-language": "ja-JP,ja;q=0.9,en;q=0.8" };
    expect(requestedAdminLocale(new Request("https://a.test/app?locale=ko", { headers }), "es")).toBe("ko");
    expect(requestedAdminLocale(new Request("https://a.test/app", { headers }), "es")).toBe("es");
    expect(requestedAdminLocale(new Request("https://a.test/app", { headers }))).toBe("ja-JP");
    expect(requestedAdminLocale(new Request("https://a.test/app"))).toBeNull();
  });

  it("loads the chosen translation", async () => {
    const korean = (await polarisTranslations("ko")) as { Polaris: { Pagination: { next: string } } };
    expect(korean.Polaris.Pagination.next).toBe("다음");
  });
});
