// The cooperation and solution forms: an editor bound to citeq sees the other
// partners' memberships of the seed's cooperation read-only, creates a cooperation
// (a bad date shown at its field first) and moves it to active with a date and a
// reason; an admin creates a solution with two developers (a bad website first).
import { test, expect } from "@playwright/test";
import { expectAccessible, signIn, watch } from "./helpers.mjs";

const stamp = Date.now();

test("an editor of citeq edits and creates cooperations", async ({ page }) => {
  const problems = watch(page);
  await signIn(page, "editor-citeq");
  await page.goto("/verzeichnis/kooperationen/it-kooperation-muenster-lwl");
  await page.getByRole("link", { name: "Bearbeiten" }).click();
  // stadt-muenster, lwl and lwl-it are other partners: read-only; citeq's row is a select
  await expect(page.locator(".participant--locked")).toHaveCount(3);
  await expect(page.getByRole("group", { name: "Mitglied 3" }).getByLabel("Partner")).toHaveValue("citeq");
  await expect(page.getByRole("group", { name: "Mitglied 2" }).getByLabel("Partner")).toHaveCount(0);
  await expectAccessible(page, "the cooperation form of a bound editor");

  await page.goto("/verzeichnis/kooperationen");
  await page.getByRole("link", { name: "Neue Kooperation anlegen" }).click();
  const slug = `rz-verbund-${stamp}`;
  await page.getByLabel("Kürzel (Slug)").fill(slug);
  await page.getByLabel("Titel", { exact: true }).fill("Rechenzentrumsverbund");
  await page.getByLabel("Rechtsform").selectOption("public_law_agreement");
  await page.getByLabel("Beginn").fill("2019-13");
  await page.getByRole("group", { name: "Mitglied 1" }).getByLabel("Rolle").selectOption("party");
  const second = page.getByRole("group", { name: "Mitglied 2" });
  await second.getByLabel("Partner").selectOption("stadt-muenster");
  await second.getByLabel("Rolle").selectOption("party");
  await page.getByRole("button", { name: "Kooperation anlegen" }).click();
  await expect(page.locator("#f-started-on-error")).toContainText("Monat");
  await expectAccessible(page, "the cooperation form with errors");
  await page.getByLabel("Beginn").fill("2019-03");
  await page.getByRole("button", { name: "Kooperation anlegen" }).click();
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/kooperationen/${slug}\\?gespeichert=1$`));

  await page.getByRole("link", { name: "Status ändern" }).click();
  await page.getByLabel("Aktiv").check();
  await page.getByLabel("Wirksam seit").fill("2019-05");
  await page.getByLabel("Grund").fill("Vereinbarung unterzeichnet");
  await page.getByRole("button", { name: "Status ändern" }).click();
  await expect(page.locator(".timeline__item").last()).toContainText("Vereinbarung unterzeichnet");
  expect(problems).toEqual([]);
});

test("an admin creates a solution with two developers", async ({ page }) => {
  const problems = watch(page);
  await signIn(page, "admin");
  await page.goto("/verzeichnis/loesungen");
  await page.getByRole("link", { name: "Neue Lösung anlegen" }).click();
  const slug = `e-akte-kommunal-${stamp}`;
  await page.getByLabel("Kürzel (Slug)").fill(slug);
  await page.getByLabel("Name").fill("E-Akte kommunal");
  await page.getByLabel("Website").fill("keine-adresse");
  await page.getByLabel("Entwickler 1").selectOption("citeq");
  await page.getByRole("button", { name: "Entwickler hinzufügen" }).click();
  await page.getByLabel("Entwickler 2").selectOption("lwl-it");
  await page.getByRole("button", { name: "Lösung anlegen" }).click();
  await expect(page.locator("#f-website-error")).toBeVisible();
  await expectAccessible(page, "the solution form with errors");
  await page.getByLabel("Website").fill("https://e-akte.example.org");
  await page.getByRole("button", { name: "Lösung anlegen" }).click();
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/loesungen/${slug}\\?gespeichert=1$`));
  await expect(page.locator(".developers li")).toHaveCount(2);
  expect(problems).toEqual([]);
});
