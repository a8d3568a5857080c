// A visitor without an account: searches, filters, opens a project and its solution.
import { test, expect } from "@playwright/test";
import { shoot, watch } from "./helpers.mjs";

test("GET / is the start page for browsers and a JSON index for API clients", async ({ page, request }) => {
  const problems = watch(page);
  const res = await page.goto("/");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/html");
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain("unsafe-inline");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Vorhaben nach Status" })).toBeVisible();
  await expect(page.getByText("7. Februar 2018")).toBeVisible();
  await shoot(page, "start");
  const api = await request.get("/", { headers: { Accept: "application/json" } });
  expect(api.headers()["content-type"]).toContain("application/json");
  expect((await api.json()).links.projects).toBe("/api/v1/projects");
  expect(problems).toEqual([]);
});

test("a visitor searches, filters, and opens DiPS.kommunal and its solution", async ({ page }) => {
  const problems = watch(page);
  await page.goto("/");
  await page.getByLabel("Verzeichnis durchsuchen").fill("Archivierung");
  await page.getByRole("button", { name: "Suchen" }).click();
  await expect(page).toHaveURL(/\/suche\?q=Archivierung/);
  const hit = page.locator(".search-result", { hasText: "DiPS.kommunal im Stadtarchiv Münster" });
  await expect(hit).toBeVisible();
  await expect(page.locator(".search-result mark").first()).toBeVisible();

  // filters combine: status "In Betrieb" and partner citeq
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Vorhaben" }).click();
  await page.getByLabel("In Betrieb").check();
  await page.getByLabel("Partner", { exact: true }).selectOption("citeq");
  await page.getByRole("button", { name: "Filter anwenden" }).click();
  await expect(page).toHaveURL(/status=operational/);
  await expect(page).toHaveURL(/partner=citeq/);
  const rows = page.locator(".results tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "IT-Hotline" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Behördennetz" })).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "2 Vorhaben gefunden" })).toBeVisible();
  // the URL holds the whole query: reloading it shows the same
  await page.reload();
  await expect(page.getByLabel("In Betrieb")).toBeChecked();
  await expect(rows).toHaveCount(2);
  // the JSON link is the same query through the API
  const json = await page.getByRole("link", { name: "als JSON" }).getAttribute("href");
  expect(json).toContain("/api/v1/projects?");
  expect(json).toContain("status=operational");

  await page.goto("/verzeichnis/vorhaben");
  await page.getByRole("link", { name: "DiPS.kommunal im Stadtarchiv Münster" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("DiPS.kommunal im Stadtarchiv Münster");
  await expect(page.getByRole("heading", { name: "Statusverlauf" })).toBeVisible();
  const timeline = page.locator(".timeline__item");
  await expect(timeline.first()).toContainText("In Betrieb");
  await shoot(page, "project");
  await page.getByRole("link", { name: "DiPS.kommunal", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("DiPS.kommunal");
  const devs = page.locator("ul.developers li");
  await expect(devs).toHaveCount(2);
  await expect(devs.filter({ hasText: "Landschaftsverband Westfalen-Lippe" })).toHaveCount(1);
  await expect(devs.filter({ hasText: "Stadt Köln" })).toHaveCount(1);
  expect(problems).toEqual([]);
});

test("English pages under /en with a language switch", async ({ page }) => {
  await page.goto("/verzeichnis/vorhaben/dips-kommunal");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/en\/verzeichnis\/vorhaben\/dips-kommunal$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Status history" })).toBeVisible();
  await expect(page.getByText("Operational").first()).toBeVisible();
  await page.getByRole("link", { name: "Deutsch" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
});
