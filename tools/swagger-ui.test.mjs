// Browser test of the Swagger UI page, run by .ci/run against a running server:
//
//   node tools/swagger-ui.test.mjs http://127.0.0.1:8080
//
// Headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) loads
// /swagger/index.html under the service's Content-Security-Policy, sees the OpenAPI 3.0
// document opened and the operations listed, and runs "Try it out" → "Execute" on GET /api/v1/partners, which must answer
// 200 with the seeded partner citeq. Any CSP violation or page error fails the test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.argv[2];
if (!base) {
  console.error("usage: node swagger-ui.test.mjs BASE_URL");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "ikz-swagger-ui-"));
const problems = [];
const step = (msg) => console.log(`swagger-ui: ${msg}`);

let context;
try {
  // A persistent context, so that the profile lives in our temporary directory
  // (--user-data-dir) and nothing is read from or written to the user's home.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  const res = await page.goto(`${base}/swagger/index.html`, { waitUntil: "networkidle", timeout: 30000 });
  if (!res || res.status() !== 200) throw new Error(`GET /swagger/index.html: ${res && res.status()}`);
  const csp = res.headers()["content-security-policy"] || "";
  if (!csp.includes("default-src")) throw new Error(`no Content-Security-Policy on the UI page: ${JSON.stringify(res.headers())}`);
  step(`loaded under CSP: ${csp}`);

  // the UI opens the OpenAPI 3.0 contract (/openapi.json) first, not the Swagger 2.0 one
  const stamp = (await page.locator(".info .version-stamp").first().innerText({ timeout: 30000 })).trim();
  if (!/^OAS ?3/.test(stamp)) throw new Error(`the UI opened ${stamp}, want the OpenAPI 3.0 document`);
  step(`opened ${stamp} (/openapi.json)`);

  // the operations are listed (tag sections, summaries)
  const op = page.locator("#operations-partners-listPartners");
  await op.waitFor({ timeout: 30000 });
  const count = await page.locator(".opblock").count();
  if (count < 40) throw new Error(`only ${count} operations listed`);
  await page.getByText("Partner auflisten / list partners").first().waitFor();
  step(`${count} operations listed, listPartners among them`);

  // Try it out → Execute on GET /api/v1/partners
  await op.locator(".opblock-summary").first().click();
  await op.locator("button.try-out__btn").click();
  await op.locator("button.execute").click();
  const status = op.locator(".live-responses-table .response .response-col_status").first();
  await status.waitFor({ timeout: 30000 });
  const code = (await status.innerText()).trim();
  const body = await op.locator(".live-responses-table .response-col_description pre").first().innerText();
  if (!code.startsWith("200")) throw new Error(`Execute answered ${code}: ${body.slice(0, 300)}`);
  if (!body.includes('"citeq"')) throw new Error(`Execute answered 200 without citeq: ${body.slice(0, 300)}`);
  step(`Try it out → Execute: ${code} with citeq in the body`);

  if (problems.length) throw new Error(`the page reported problems:\n  ${problems.join("\n  ")}`);
  step("ok");
} catch (err) {
  console.error(`swagger-ui: FAILED: ${err.message}`);
  if (problems.length) console.error(problems.join("\n"));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
