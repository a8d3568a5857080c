// An editor bound to citeq: creates a project with two participants, sees a bad date at
// its field, moves the project on, gets the conflict view, finds lwl's projects
// read-only; a form without its CSRF token is refused; signing out ends the session.
import { test, expect } from "@playwright/test";
import { expectAccessible, shoot, signIn, token, watch } from "./helpers.mjs";

const slug = `e-akte-${Date.now()}`;

test("an editor of citeq creates a project, moves it, and meets a conflict", async ({ page, request }) => {
  // the longest scenario (three forms, five accessibility scans): three times the default time
  test.slow();
  const problems = watch(page);
  await signIn(page, "editor-citeq");
  await page.goto("/verzeichnis/vorhaben");
  await page.getByRole("link", { name: "Neues Vorhaben anlegen" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Neues Vorhaben");
  await expectAccessible(page, "the empty project form");

  await page.getByLabel("Kürzel (Slug)").fill(slug);
  await page.getByLabel("Titel", { exact: true }).fill("Gemeinsame E-Akte");
  await page.getByLabel("Kooperation").selectOption("it-kooperation-muenster-lwl");
  await page.getByLabel("Kategorie").selectOption("software");
  await page.getByLabel("Beginn").fill("2018-13");
  const first = page.getByRole("group", { name: "Beteiligter 1" });
  await first.getByLabel("Partner").selectOption("citeq");
  await first.getByLabel("Rolle").selectOption("lead");
  const second = page.getByRole("group", { name: "Beteiligter 2" });
  await second.getByLabel("Partner").selectOption("lwl-it");
  await second.getByLabel("Rolle").selectOption("partner");
  await page.getByRole("button", { name: "Vorhaben anlegen" }).click();

  // the bad date is shown at its field, in German, and in the summary
  await expect(page.getByRole("alert")).toContainText("Die Angaben enthalten Fehler");
  await expect(page.locator("#f-started-on-error")).toContainText("Monat");
  await expect(page.getByLabel("Beginn")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("link", { name: /started_on/ })).toHaveAttribute("href", "#f-started-on");
  await expectAccessible(page, "the project form with errors");
  await shoot(page, "form-errors");

  await page.getByLabel("Beginn").fill("2018-03");
  await page.getByRole("button", { name: "Vorhaben anlegen" }).click();
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/vorhaben/${slug}\\?gespeichert=1$`));
  await expect(page.getByRole("status")).toContainText("Gespeichert.");
  await expect(page.getByRole("region", { name: "Beteiligte" }).locator("tbody tr")).toHaveCount(2);

  await page.getByRole("link", { name: "Status ändern" }).click();
  await page.getByLabel("In Umsetzung").check();
  await page.getByLabel("Wirksam seit").fill("2018-04");
  await page.getByLabel("Grund").fill("Projektstart");
  await expectAccessible(page, "the status form");
  await page.getByRole("button", { name: "Status ändern" }).click();
  await expect(page.locator(".kern-badge").first()).toHaveText("In Umsetzung");
  await expect(page.locator(".timeline__item").last()).toContainText("Projektstart");

  // a colleague changes the title through the API while the form is open
  await page.getByRole("link", { name: "Bearbeiten" }).click();
  const res = await request.patch(`/api/v1/projects/${slug}`, {
    headers: { Authorization: `Bearer ${token("admin")}`, "Content-Type": "application/merge-patch+json" },
    data: { title: "E-Akte (von einer Kollegin geändert)" },
  });
  expect(res.status()).toBe(200);
  await page.getByLabel("Titel", { exact: true }).fill("Meine E-Akte");
  await page.getByRole("button", { name: "Änderungen speichern" }).click();
  await expect(page.getByRole("heading", { name: "Änderungen seit dem Laden des Formulars" })).toBeVisible();
  await expect(page.locator(".conflict")).toContainText("E-Akte (von einer Kollegin geändert)");
  await expect(page.getByLabel("Titel", { exact: true })).toHaveValue("Meine E-Akte");
  await expectAccessible(page, "the conflict view");
  const api = await request.get(`/api/v1/projects/${slug}`);
  expect((await api.json()).title).toBe("E-Akte (von einer Kollegin geändert)");
  expect(problems).toEqual([]);
});

test("an editor of citeq finds lwl's projects read-only", async ({ page }) => {
  await signIn(page, "editor-citeq");
  await page.goto("/verzeichnis/vorhaben/dips-kommunal");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("DiPS.kommunal im Stadtarchiv Münster");
  await expect(page.getByRole("link", { name: "Bearbeiten" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Status ändern" })).toHaveCount(0);
  const res = await page.goto("/verzeichnis/vorhaben/dips-kommunal/bearbeiten");
  expect(res.status()).toBe(403);
  await page.goto("/verzeichnis/vorhaben/it-hotline");
  await expect(page.getByRole("link", { name: "Bearbeiten" })).toHaveCount(1);
});

test("a form posted without its CSRF token is refused; signing out ends the session", async ({ page }) => {
  await signIn(page, "reader");
  await page.goto("/verzeichnis/partner");
  await page.evaluate(() => document.querySelector("form.inline-form input[name=_csrf]").remove());
  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keine Berechtigung");
  await expect(page.getByText("Das Formular ist abgelaufen")).toBeVisible();
  await page.goto("/verzeichnis/partner");
  await expect(page.locator(".site-user")).toContainText("web-reader");

  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page.getByRole("link", { name: "Anmelden" })).toBeVisible();
  await expect(page.locator(".site-user")).toHaveCount(0);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === "ikz_session")).toEqual([]);
});

test("keyboard only: tab through the project form and submit it", async ({ page }) => {
  await signIn(page, "editor-citeq");
  await page.goto("/verzeichnis/vorhaben/neu");
  const kbSlug = `tastatur-${Date.now()}`;
  // tabTo presses Tab until the element with id is focused (and fails if it never is)
  const tabTo = async (id) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement && document.activeElement.id) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  };
  await tabTo("f-slug");
  await page.keyboard.type(kbSlug);
  await tabTo("f-title");
  await page.keyboard.type("Per Tastatur angelegt");
  await tabTo("f-cooperation");
  await page.keyboard.type("IT-Koop");
  await tabTo("f-category");
  await page.keyboard.type("Fach");
  await tabTo("f-started-on");
  await page.keyboard.type("2019");
  await tabTo("f-participants-0-partner");
  await page.keyboard.type("citeq");
  await tabTo("f-participants-0-role");
  await page.keyboard.type("Fed");
  await tabTo("f-participants-1-partner");
  await page.keyboard.type("LWL.IT");
  await tabTo("f-participants-1-role");
  await page.keyboard.type("Beteiligt");
  // on to the submit button, then Enter
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const txt = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
    if (txt === "Vorhaben anlegen") break;
  }
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/verzeichnis/vorhaben/${kbSlug}\\?gespeichert=1$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Per Tastatur angelegt");
  await expect(page.getByRole("region", { name: "Beteiligte" }).locator("tbody tr")).toHaveCount(2);
});

test("a reader sees no money anywhere, in the page source included", async ({ page, request }) => {
  const res = await request.patch("/api/v1/projects/it-hotline", {
    headers: { Authorization: `Bearer ${token("admin")}`, "Content-Type": "application/merge-patch+json" },
    data: { finance: { budget_planned: "123456.78", cost_actual: "98765.43" } },
  });
  expect(res.status()).toBe(200);
  await signIn(page, "reader");
  for (const path of ["/", "/verzeichnis/vorhaben", "/verzeichnis/vorhaben/it-hotline", "/verzeichnis/partner/citeq",
    "/en/verzeichnis/vorhaben/it-hotline", "/controlling"]) {
    const r = await page.goto(path);
    const html = await r.text();
    for (const money of ["123456", "123.456", "98765", "98.765", "€"]) {
      expect(html.includes(money), `${money} in the source of ${path}`).toBe(false);
    }
  }
});
