// The staff pages on a 1440×900 screen, in headless Chromium (Debian's chromium, driven by
// playwright-core): a security team member signs in with a password and opens the support
// console (a customer's factors and timeline), the audit log (filtered to that customer), the
// security policy and the compliance page (the 90-day chart). Every page is checked with
// axe-core and photographed.
//
// Input (environment): KEYWARD_BASE (http://localhost:PORT), SCREENSHOTS (a directory),
// SECURITY_EMAIL, PASSWORD, CUSTOMER_EMAIL.
// Output: one JSON line on stdout: {"steps": [...], "axe": {page: [violations]}, ..., "error"?}.
import { axeViolations, launch } from "./common.mjs";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const result = { steps: [], axe: {} };
let n = 0;

const browser = await launch();

let page;
try {
  // The page's own CSP forbids inline script: axe is injected with CSP bypassed for the check.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  page = await context.newPage();

  async function step(name) {
    n += 1;
    const file = `${shots}/staff-${String(n).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    const found = await axeViolations(page);
    result.axe[name] = found;
    // How wide the card is: staff pages use the screen.
    const width = await page.$eval("main.card", (m) => m.getBoundingClientRect().width);
    result.steps.push({ name, url: page.url().replace(base, ""), screenshot: file, card_width: width });
  }

  await page.goto(`${base}/signin`);
  await page.fill("#email", process.env.SECURITY_EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);

  // The support console: the customer's factors as badges, the timeline in words.
  await page.click("header nav a:has-text('Support console')");
  await page.waitForURL(`${base}/support`);
  await page.fill("#email", process.env.CUSTOMER_EMAIL);
  await page.click("main form[role=search] button[type=submit]");
  await page.waitForURL(/\/support\?email=/);
  result.badges = await page.$$eval("table.factors .badge", (els) => els.map((e) => e.textContent));
  result.timeline = await page.$$eval("table.timeline tbody tr", (rows) =>
    rows.map((r) => ({ words: r.cells[1].querySelector("span").textContent, name: r.cells[1].querySelector("span").title })));
  await step("support-console");

  await page.click("header nav a:has-text('Audit log')");
  await page.waitForURL(`${base}/audit`);
  // The customer's events: the filter by email.
  await page.fill("#email", process.env.CUSTOMER_EMAIL);
  await page.click("main form.filters button[type=submit]");
  await page.waitForURL(/\/audit\?email=/);
  result.audit_rows = await page.$$eval("table.audit tbody tr", (rows) => rows.length);
  await step("audit");

  await page.click("header nav a:has-text('Security policy')");
  await page.waitForURL(`${base}/policy`);
  await step("policy");

  await page.click("header nav a:has-text('Compliance')");
  await page.waitForURL(`${base}/compliance`);
  result.chart_label = await page.getAttribute("svg.chart", "aria-label");
  result.chart_lines = await page.$$eval("svg.chart polyline", (els) => els.length);
  result.trend_caption = (await page.textContent("table.trend caption")).trim();
  await step("compliance");
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  try { if (page) result.error += "\npage " + page.url() + ": " + ((await page.textContent("main")) || "").trim().slice(0, 600); } catch (_) { /* page gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
