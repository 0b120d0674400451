// What every browser script shares: Debian's Chromium launched headless with the flags this
// closed network needs, and the axe-core check of a page (serious and critical violations).
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

export async function launch() {
  return await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
}

// The page's serious and critical accessibility violations. The page's own CSP forbids inline
// script: the context must be made with `bypassCSP: true` for axe to be injected.
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((x) => x.target.join(" ")) }));
  });
}
