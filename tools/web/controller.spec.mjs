// A controller opens the dashboard: every chart shows the seed's data with its table, a
// filter changes the charts, and the XLSX download opens with excelize.
import { execFileSync } from "node:child_process";
import { test, expect } from "@playwright/test";
import { db, expectAccessible, shoot, signIn, watch } from "./helpers.mjs";

test("a controller opens the dashboard, filters it and downloads a chart's data", async ({ page }) => {
  const problems = watch(page);
  await signIn(page, "controlling");
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Controlling" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlling");
  const charts = page.locator("section.dashboard-chart");
  await expect(charts).toHaveCount(8);
  // every chart with data is an image with a name, and has its table
  for (const key of ["status", "category", "money-category", "money-partner", "timeline"]) {
    const section = page.locator(`section[aria-labelledby="h-${key}"]`);
    await expect(section.locator("svg[role=img]")).toHaveCount(1);
    await expect(section.locator("table tbody tr").first()).toBeVisible();
  }
  const byStatus = page.locator('section[aria-labelledby="h-status"] table');
  await expect(byStatus.locator("tr", { hasText: "In Betrieb" })).toContainText("3");
  await expect(page.locator('section[aria-labelledby="h-category"] table')).toContainText("Archivierung");
  await expect(page.locator('section[aria-labelledby="h-money-partner"] table')).toContainText("citeq");
  await expectAccessible(page, "the dashboard");
  await shoot(page, "dashboard");

  // a filter changes every chart
  await page.getByRole("checkbox", { name: "In Betrieb" }).check();
  await page.getByRole("button", { name: "Filter anwenden" }).click();
  await expect(page).toHaveURL(/\/controlling\?.*status=operational/);
  await expect(byStatus.locator("tbody tr")).toHaveCount(1);
  await expect(page.locator('section[aria-labelledby="h-category"] tbody tr')).toHaveCount(3);

  // the status table as XLSX, opened with excelize
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Vorhaben nach Status als Excel herunterladen" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("ikz-controlling-status.xlsx");
  const file = `test-results/${db}/ikz-controlling-status.xlsx`;
  await download.saveAs(file);
  const rows = execFileSync("go", ["run", "./xlsxcheck", file], { encoding: "utf8" });
  expect(rows).toContain("Gruppe\tVorhaben");
  expect(rows).toContain("In Betrieb\t3");
  expect(rows).not.toContain("Geplant");
  expect(rows.trim().split("\n")).toHaveLength(3); // sheet name, header, one group
  expect(problems).toEqual([]);
});

test("the dashboard in English has no WCAG A/AA violation; readers may not open it", async ({ page }) => {
  await signIn(page, "controlling", "/en");
  await page.goto("/en/controlling");
  await expect(page.getByRole("heading", { name: "Projects by status" })).toBeVisible();
  await expectAccessible(page, "the English dashboard");
  await page.goto("/en/controlling?started_from=20x6");
  await expectAccessible(page, "the dashboard with a filter error");

  await page.context().clearCookies();
  await signIn(page, "reader");
  const res = await page.goto("/controlling");
  expect(res.status()).toBe(403);
});
