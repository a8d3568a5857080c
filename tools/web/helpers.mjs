// Shared steps of the browser tests: the WCAG check, screenshots, signing in.
import { mkdirSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { expect } from "@playwright/test";

export const db = process.env.IKZ_DB || "local";

/** token returns an API token that .ci/run created for the test run. */
export function token(name) {
  const t = process.env[`IKZ_TOKEN_${name.toUpperCase().replace(/-/g, "_")}`];
  if (!t) throw new Error(`IKZ_TOKEN_${name.toUpperCase().replace(/-/g, "_")} is not set`);
  return t;
}

/**
 * expectAccessible runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page and
 * fails with the list of violations (rule, impact, the elements concerned).
 */
export async function expectAccessible(page, what) {
  const res = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const lines = res.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ` + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join("\n    "));
  expect(lines, `WCAG 2.1 A/AA violations on ${what} (${page.url()})`).toEqual([]);
}

/** shoot writes a full-page screenshot at 1280 and at 375 px width. */
export async function shoot(page, name) {
  const dir = `test-results/${db}/screenshots`;
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

/** signIn signs in on the sign-in page with an API token. */
export async function signIn(page, tokenName, lang = "") {
  await page.goto(`${lang}/anmelden`);
  await page.getByLabel(lang === "/en" ? "API token" : "API-Token").fill(token(tokenName));
  await page.getByRole("button", { name: lang === "/en" ? "Sign in" : "Anmelden" }).last().click();
  await expect(page.locator(".site-user")).toBeVisible();
}

/**
 * watch collects what must not happen on a page: console errors (but the report of a
 * page's own 4xx status, which forms with errors answer on purpose), CSP violations,
 * script errors, and stylesheets, fonts or images that fail to load.
 */
export function watch(page) {
  const problems = [];
  page.on("console", (m) => {
    if (/^Failed to load resource/.test(m.text())) return; // judged by the response below
    if (m.type() === "error" || /Content.Security.Policy/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}
