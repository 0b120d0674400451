// A customer's journey in one language in headless Chromium (Debian's chromium through
// playwright-core), the browser asking for that language (Accept-Language): sign in, add an
// authenticator app (the code from oathtool), save the backup codes, the settings, sign out,
// sign in again to the second step. A screenshot of every step goes to docs/screenshots/
// (i18n-LANG-NN-step.png); every page's HTML comes back for the check that no English is
// left, with the buttons and links whose text does not fit them.
//
// Input (environment): KEYWARD_BASE, LANG_TAG (ru, de, …), EMAIL and PASSWORD of a user without
// a second factor, I18N_SHOTS (the screenshot directory).
// Output: one JSON line: {"pages": [{"name", "lang", "html", "overflow": [...]}], "error"?}.
import { launch } from "./common.mjs";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const tag = process.env.LANG_TAG;
const email = process.env.EMAIL;
const password = process.env.PASSWORD;
const shots = process.env.I18N_SHOTS;
mkdirSync(shots, { recursive: true });

const result = { pages: [] };
let n = 0;
const browser = await launch();
let page;
try {
  const context = await browser.newContext({
    viewport: { width: 900, height: 1000 },
    locale: tag,
    extraHTTPHeaders: { "Accept-Language": `${tag},en;q=0.5` },
  });
  page = await context.newPage();

  async function step(name) {
    n += 1;
    await page.screenshot({ path: `${shots}/i18n-${tag}-${String(n).padStart(2, "0")}-${name}.png`, fullPage: true });
    // Buttons and button-like links whose text is wider than the box (cut or overflowing).
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll("button, a.button, nav a, .languages a")]
        .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent.trim())
        // A table wider than the card it sits in.
        .concat([...document.querySelectorAll("main table")]
          .filter((t) => {
            const main = document.querySelector("main");
            const inner = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
            return t.getBoundingClientRect().right > inner + 1;
          })
          .map((t) => `table ${t.className}`)));
    result.pages.push({
      name,
      lang: await page.getAttribute("html", "lang"),
      html: await page.content(),
      overflow,
    });
  }

  await page.goto(`${base}/signin`);
  await step("signin");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await page.click("main a[href='/settings/add']");
  await page.waitForURL(/\/settings\/sudo/);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings/add`);
  await step("add-factor");
  await page.click("main a[href='/settings/add/totp']");
  await page.fill("#name", "Phone");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/activate$/);
  await step("app-setup");
  const key = (await page.textContent("#setup-key")).replace(/\s+/g, "");
  await page.fill("#code", "000000");
  await page.click("main button[type=submit]");
  await step("app-setup-wrong-code");
  const code = execFileSync("oathtool", ["--totp", "-b", key]).toString().trim();
  await page.fill("#code", code);
  await page.click("main button[type=submit]");
  await page.waitForSelector("#backup-codes");
  await step("backup-codes");
  await page.click("main a.button.primary");
  await page.waitForURL(/\/settings/);
  await step("settings");
  await page.click("header form[action='/signout'] button");
  await page.waitForURL(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/signin/verify`);
  await step("second-step");
  await page.fill("#code", "000000");
  await page.click("main button[type=submit]");
  await step("second-step-wrong-code");
} catch (e) {
  result.error = `${e.message} (at ${page ? page.url() : "start"})`;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
