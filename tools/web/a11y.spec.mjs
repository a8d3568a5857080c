// axe-core (WCAG 2.0/2.1 A and AA) on every page a visitor can reach, in German and
// English. The signed-in pages (forms, dashboard) are checked in their own tests.
import { test } from "@playwright/test";
import { expectAccessible } from "./helpers.mjs";

const pages = [
  "/",
  "/verzeichnis/vorhaben",
  "/verzeichnis/vorhaben?status=operational&partner=citeq&sort=-started_on,title",
  "/verzeichnis/vorhaben?started_from=20x6", // a filter with an error at its field
  "/verzeichnis/vorhaben/dips-kommunal",
  "/verzeichnis/partner",
  "/verzeichnis/partner/citeq",
  "/verzeichnis/partner/stadt-muenster",
  "/verzeichnis/kooperationen",
  "/verzeichnis/kooperationen/it-kooperation-muenster-lwl",
  "/verzeichnis/loesungen",
  "/verzeichnis/loesungen/dips-kommunal",
  "/suche?q=Archivierung",
  "/suche?q=zzzzzz",
  "/anmelden",
  "/verzeichnis/vorhaben/gibt-es-nicht",
];

for (const lang of ["", "/en"]) {
  for (const path of pages) {
    test(`no WCAG A/AA violation: ${lang}${path}`, async ({ page }) => {
      await page.goto(lang + path);
      await expectAccessible(page, lang + path);
    });
  }
}

test("no WCAG A/AA violation: sign-in with an error", async ({ page }) => {
  await page.goto("/anmelden");
  await page.getByLabel("API-Token").fill("ikz_falsch");
  await page.getByRole("button", { name: "Anmelden" }).last().click();
  await page.locator("#fehler").waitFor();
  await expectAccessible(page, "sign-in with an error");
});
