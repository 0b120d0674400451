// Screenshots of HTML files in headless Chromium (Debian's chromium through playwright-core).
// Usage: node screenshots.mjs OUT_DIR FILE.html...   (each FILE.html → OUT_DIR/FILE.png)
import { launch } from "./common.mjs";
import { basename } from "node:path";
import { mkdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [outDir, ...files] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
  for (const f of files) {
    await page.goto(f.startsWith("http") ? f : pathToFileURL(f).href);
    const out = `${outDir}/${basename(f.split("?")[0]).replace(/\.html$/, "") || "index"}.png`;
    await page.screenshot({ path: out, fullPage: true });
    console.log(out);
  }
} finally {
  await browser.close();
}
