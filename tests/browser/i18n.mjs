// A customer's journey in one language in headless Chromium (Debian's chromium through
// playwright-core), the browser asking for that language (Accept-Language): sign in, add an
// authenticator app (the code from oathtool), save the backup codes, the settings, sign out,
// sign in again to the second step. A screenshot of every step goes to docs/screenshots/
// (i18n-LANG-NN-step.png); every page's HTML comes back for the check that no English is
// left, with the buttons and links whose text does not fit them.
//
// With STAFF_PAGES ("name=/path name=/path …") the user is a staff member instead: signed in on
// a 1440×900 screen, they open each page in turn (support console, audit log, …); each is
// photographed into SCREENSHOTS (i18n-staff-LANG-name.png), and those named in DOC_SHOTS into
// I18N_SHOTS as well (i18n-LANG-name.png).
//
// Input (environment): KEYWARD_BASE, LANG_TAG (ru, de, …), EMAIL and PASSWORD of a user without
// a second factor, I18N_SHOTS (the screenshot directory); STAFF_PAGES, DOC_SHOTS, SCREENSHOTS.
// Output: one JSON line: {"pages": [{"name", "lang", "html", "overflow": [...]}], "error"?}.
import { launch } from "./common.mjs";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const tag = process.env.LANG_TAG;
const email = process.env.EMAIL;
const password = process.env.PASSWORD;
const shots = process.env.I18N_SHOTS;
const staffPages = (process.env.STAFF_PAGES || "").split(/\s+/).filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]);
const docShots = (process.env.DOC_SHOTS || "").split(/\s+/).filter(Boolean);
mkdirSync(shots, { recursive: true });

const result = { pages: [] };
let n = 0;
const browser = await launch();
let page;
try {
  const context = await browser.newContext({
    viewport: staffPages.length ? { width: 1440, height: 900 } : { width: 900, height: 1000 },
    locale: tag,
    extraHTTPHeaders: { "Accept-Language": `${tag},en;q=0.5` },
  });
  page = await context.newPage();

  if (staffPages.length) {
    await staffJourney();
  } else {
    await customerJourney();
  }
} catch (e) {
  result.error = `${e.message} (at ${page ? page.url() : "start"})`;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

// A screenshot of the page, and what the check needs of it.
async function step(name) {
  n += 1;
  if (!staffPages.length) {
    await page.screenshot({ path: `${shots}/i18n-${tag}-${String(n).padStart(2, "0")}-${name}.png`, fullPage: true });
  } else {
    mkdirSync(process.env.SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${process.env.SCREENSHOTS}/i18n-staff-${tag}-${name}.png`, fullPage: true });
    if (docShots.includes(name)) {
      await page.screenshot({ path: `${shots}/i18n-${tag}-${name}.png`, fullPage: true });
    }
  }
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

// A staff member signs in with the password and opens each of STAFF_PAGES.
async function staffJourney() {
  await page.goto(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  for (const [name, path] of staffPages) {
    await page.goto(`${base}${path}`);
    // The compliance page's table of every recorded day is shown too.
    for (const d of await page.$$("main details")) {
      await d.evaluate((el) => { el.open = true; });
    }
    await step(name);
  }
}

async function customerJourney() {
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
}
