// Deleting partners: an admin creates a partner, deletes it in its form and restores
// it; citeq, which cooperations, projects and solutions still refer to, is not
// deleted, and the page names what refers to it (checked with axe, German and English).
import { test, expect } from "@playwright/test";
import { expectAccessible, signIn, watch } from "./helpers.mjs";

const stamp = Date.now();

test("an admin deletes and restores a partner; a partner still referred to stays", async ({ page }) => {
  const problems = watch(page);
  await signIn(page, "admin");
  await page.goto("/verzeichnis/partner/neu");
  const slug = `kreis-test-${stamp}`;
  await page.getByLabel("Kürzel (Slug)").fill(slug);
  await page.getByLabel("Name", { exact: true }).fill("Kreis Test");
  await page.getByLabel("Art", { exact: true }).selectOption("district");
  await page.getByRole("button", { name: "Partner anlegen" }).click();
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/partner/${slug}\\?gespeichert=1$`));

  await page.getByRole("link", { name: "Bearbeiten" }).click();
  await page.getByRole("button", { name: "Partner löschen" }).click();
  await expect(page.getByRole("status")).toContainText("„Kreis Test“ ist gelöscht.");
  await expectAccessible(page, "the page after deleting a partner");
  await page.getByRole("button", { name: "Wiederherstellen" }).click();
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/partner/${slug}\\?gespeichert=1$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kreis Test");

  for (const [lang, button, intro, coops] of [
    ["", "Partner löschen", "„citeq“ lässt sich nicht löschen, solange diese Einträge darauf verweisen:", "Kooperationen:"],
    ["/en", "Delete partner", "“citeq” cannot be deleted while these entries refer to it:", "Cooperations:"],
  ]) {
    await page.goto(`${lang}/verzeichnis/partner/citeq/bearbeiten`);
    await page.getByRole("button", { name: button }).click();
    await expect(page.getByRole("alert")).toContainText(intro);
    // the seed's cooperation among them (forms.spec.mjs may have added one of citeq's)
    const item = page.locator(".blockers li", { hasText: coops });
    await expect(item.getByRole("link", { name: "IT-Kooperation Stadt Münster – LWL" })).toHaveAttribute("href", `${lang}/verzeichnis/kooperationen/it-kooperation-muenster-lwl`);
    await expectAccessible(page, `the refused delete of a partner (${lang || "/"})`);
  }
  await page.goto("/verzeichnis/partner/citeq");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("citeq");
  expect(problems).toEqual([]);
});
