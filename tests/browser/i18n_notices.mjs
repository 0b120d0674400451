// The words of the pages' script (static/portal.js) in one language, in headless Chromium
// (Debian's chromium through playwright-core) with a CDP virtual authenticator: a security key
// without a name, the first key (the backup codes' file), the same key again (already
// registered), and a browser without WebAuthn. A screenshot of each goes to SCREENSHOTS
// (i18n-notices-LANG-NN-step.png).
//
// Input (environment): KEYWARD_BASE, LANG_TAG, EMAIL and PASSWORD of a user without a second
// factor, SCREENSHOTS. Output: one JSON line: {"lang", "name_first", "codes_header",
// "registered", "unsupported", "shots": [...]}, or "error".
import { launch } from "./common.mjs";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const tag = process.env.LANG_TAG;
const email = process.env.EMAIL;
const password = process.env.PASSWORD;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

const result = { shots: [] };
let n = 0;
const browser = await launch();
let page;
try {
  const context = await browser.newContext({
    viewport: { width: 900, height: 900 },
    locale: tag,
    extraHTTPHeaders: { "Accept-Language": `${tag},en;q=0.5` },
  });
  page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "usb", hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true },
  });

  async function step(name) {
    n += 1;
    const file = `${shots}/i18n-notices-${tag}-${String(n).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    result.shots.push(file);
  }
  async function status() {
    await page.waitForFunction(() => {
      const s = document.getElementById("key-status");
      return s && s.textContent.trim() !== "" && !document.getElementById("add-key-button").disabled;
    }, null, { timeout: 20000 });
    return (await page.textContent("#key-status")).trim();
  }
  async function keyPage() {
    await page.goto(`${base}/settings/add/security-key`);
    if (page.url().includes("/settings/sudo")) {
      await page.fill("#password", password);
      await page.click("main button[type=submit]");
      await page.waitForURL(`${base}/settings/add/security-key`);
    }
  }

  await page.goto(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await keyPage();
  result.lang = await page.getAttribute("html", "lang");

  // No name: the script says so before anything else.
  await page.click("#add-key-button");
  result.name_first = (await page.textContent("#key-status")).trim();
  await step("key-without-name");

  // The first key: its backup codes, and the file to download.
  await page.fill("#name", "Chromium");
  await page.click("#add-key-button");
  await page.waitForSelector("#key-codes:not([hidden])", { timeout: 20000 });
  const href = await page.getAttribute("#download-codes", "href");
  result.codes_header = decodeURIComponent(href.split(",").slice(1).join(",")).split("\n")[0];
  await step("key-backup-codes");

  // The same authenticator again: the browser refuses it (InvalidStateError).
  await keyPage();
  await page.fill("#name", "Chromium again");
  await page.click("#add-key-button");
  result.registered = await status();
  await step("key-already-registered");

  // A browser without WebAuthn.
  const bare = await context.newPage();
  await bare.addInitScript(() => { delete window.PublicKeyCredential; });
  page = bare;
  await keyPage();
  await page.fill("#name", "Elsewhere");
  await page.click("#add-key-button");
  result.unsupported = await status();
  await step("key-unsupported");
} catch (e) {
  result.error = `${e.message} (at ${page ? page.url() : "start"})`;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
