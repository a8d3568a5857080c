// Browser tests of the web pages (tools/web/*.spec.mjs), run by .ci/run against the
// built binary, once on SQLite and once on PostgreSQL:
//
//   IKZ_BASE_URL=http://127.0.0.1:8080 IKZ_DB=sqlite IKZ_TOKEN_…=… npx playwright test
//
// Debian's chromium (/usr/bin/chromium, or $CHROMIUM), headless; Playwright never
// downloads a browser here. Screenshots and traces go to test-results/ (git-ignored).
import { defineConfig } from "@playwright/test";

const db = process.env.IKZ_DB || "local";

export default defineConfig({
  testDir: "web",
  testMatch: "*.spec.mjs",
  outputDir: `test-results/${db}/artifacts`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    baseURL: process.env.IKZ_BASE_URL || "http://127.0.0.1:8080",
    headless: true,
    locale: "de-DE",
    viewport: { width: 1280, height: 900 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
