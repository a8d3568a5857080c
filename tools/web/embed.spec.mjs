// A portal shows a partner's projects in a frame: allowed for the origins of
// IKZ_EMBED_ORIGINS (.ci/run sets http://localhost:8089), refused for any other.
// The portals are pages Playwright serves itself (page.route): nothing leaves the machine.
import { test, expect } from "@playwright/test";
import { expectAccessible } from "./helpers.mjs";

const base = process.env.IKZ_BASE_URL || "http://127.0.0.1:8080";

// The directory runs on loopback: Chromium's Local Network Access checks would block a
// frame of it on a public site before our CSP is asked, and ask a localhost page for a
// permission. A real portal and directory are both public; so the portals here are
// localhost origins with that permission granted.
test.use({ permissions: ["local-network-access"] });

function portal(page, origin, path) {
  return page.route(`${origin}/**`, (route) => route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html lang="de"><head><title>Portal</title></head><body><main><h1>Unsere IT-Kooperationen</h1>` +
      `<iframe title="IKZ-Verzeichnis" width="800" height="600" src="${base}${path}"></iframe></main></body></html>`,
  }));
}

test("a portal on an allowed origin frames a partner's projects; another origin cannot", async ({ page }) => {
  await portal(page, "http://localhost:8089", "/embed/partner/citeq/vorhaben");
  await page.goto("http://localhost:8089/");
  const frame = page.frameLocator("iframe");
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText("IT-Kooperationen: citeq");
  await expect(frame.locator("tbody tr").filter({ hasText: "IT-Hotline" })).toHaveCount(1);
  await expect(frame.locator("tbody tr").filter({ hasText: "IT-Hotline" })).toContainText("In Betrieb");

  const refused = [];
  page.on("console", (m) => { if (/frame-ancestors/.test(m.text())) refused.push(m.text()); });
  await portal(page, "http://localhost:8090", "/embed/vorhaben/it-hotline");
  await page.goto("http://localhost:8090/");
  await expect.poll(() => refused.length).toBeGreaterThan(0);
  await expect(page.frameLocator("iframe").getByText("IT-Hotline")).toHaveCount(0);
});

test("the embedded pages have no WCAG A/AA violation", async ({ page }) => {
  for (const path of ["/embed/vorhaben/dips-kommunal", "/embed/partner/citeq/vorhaben", "/en/embed/partner/lwl/vorhaben"]) {
    await page.goto(path);
    await expectAccessible(page, path);
  }
});
