// A support agent resets a customer who lost their phone, in headless Chromium (Debian's
// chromium, driven by playwright-core); then the customer signs in with the password alone, is
// sent to enroll (the policy requires two-factor authentication) and adds an authenticator app
// again (the code computed by oathtool from the setup key on the page). Every page is checked
// with axe-core; a screenshot is saved at every step.
//
// Input (environment): KEYWARD_BASE (http://localhost:PORT), SCREENSHOTS (a directory),
// AGENT_EMAIL, AGENT_TOTP (the agent's authenticator secret, base32), SECURITY_EMAIL,
// SECURITY_TOTP (the same for a security team member), CUSTOMER_EMAIL,
// CUSTOMER_BACKUP_CODE (one the customer reads out), PASSWORD (both users').
// Output: one JSON line on stdout: {"steps": [...], "axe": {page: [violations]}, ..., "error"?}.
import { axeViolations, launch } from "./common.mjs";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const password = process.env.PASSWORD;
const result = { steps: [], axe: {} };
let n = 0;

const browser = await launch();

function totp(key, offsetSeconds) {
  const args = ["--totp", "-b", key];
  if (offsetSeconds) args.push("-N", `now + ${offsetSeconds} seconds`);
  return execFileSync("oathtool", args).toString().trim();
}

let page;
try {
  async function open() {
    // The page's own CSP forbids inline script: axe is injected with CSP bypassed for the check.
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, bypassCSP: true });
    return await context.newPage();
  }

  async function step(name) {
    n += 1;
    const file = `${shots}/support-${String(n).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    const found = await axeViolations(page);
    result.axe[name] = found;
    result.steps.push({ name, url: page.url().replace(base, ""), screenshot: file });
  }

  async function signIn(email) {
    await page.goto(`${base}/signin`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("main button[type=submit]");
  }

  // The agent signs in with a password and a code from their authenticator app.
  page = await open();
  await signIn(process.env.AGENT_EMAIL);
  await page.waitForURL(`${base}/signin/verify`);
  // The next time step's code: the test used the current one to activate the agent's app.
  await page.fill("#code", totp(process.env.AGENT_TOTP, 30));
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  result.agent_nav = (await page.textContent("header nav")).replace(/\s+/g, " ").trim();
  await step("agent-settings");

  // The console: find the customer; their factors and timeline.
  await page.click("header nav a:has-text('Support console')");
  await page.waitForURL(`${base}/support`);
  await page.fill("#email", process.env.CUSTOMER_EMAIL);
  await page.click("main form[role=search] button[type=submit]");
  await page.waitForURL(/\/support\?email=/);
  result.factors_before = await page.$$eval("table.factors:first-of-type tbody tr", (rows) => rows.map((r) => r.cells[0].textContent));
  await step("console-customer");

  // The reset: a reason and a backup code the customer reads out. The agent's password comes
  // first (sudo mode), then the console shows the customer again.
  await page.fill("#reason", "Lost phone; called from the number on file");
  await page.check("input[name=check][value=backup_code]");
  await page.fill("#code", process.env.CUSTOMER_BACKUP_CODE);
  await page.click("main button:has-text('Reset two-factor authentication')");
  await page.waitForURL(/\/settings\/sudo/);
  await step("agent-password");
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/support\?email=/);
  result.back_at_customer = await page.isVisible("#reason");
  await page.fill("#reason", "Lost phone; called from the number on file");
  await page.check("input[name=check][value=backup_code]");
  await page.fill("#code", process.env.CUSTOMER_BACKUP_CODE);
  await page.click("main button:has-text('Reset two-factor authentication')");
  await page.waitForSelector("main p.notice");
  result.reset_notice = (await page.textContent("main p.notice")).trim();
  result.no_factor_text = (await page.textContent("main")).includes("No second factor.");
  await step("console-after-reset");
  await page.context().close();

  // The security team's compliance view lists the customer until they enroll again.
  page = await open();
  await signIn(process.env.SECURITY_EMAIL);
  await page.waitForURL(`${base}/signin/verify`);
  await page.fill("#code", totp(process.env.SECURITY_TOTP, 30));
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await page.click("header nav a:has-text('Compliance')");
  await page.waitForURL(`${base}/compliance`);
  result.compliance_rows = await page.$$eval("table.factors tbody tr", (rows) => rows.map((r) => r.cells[0].textContent));
  await step("security-compliance");
  await page.context().close();

  // The customer: the password alone, then straight to enrollment (the policy requires it).
  page = await open();
  await signIn(process.env.CUSTOMER_EMAIL);
  await page.waitForURL(`${base}/settings/add`);
  result.enroll_notice = (await page.textContent("main p.notice")).trim();
  await step("customer-sent-to-enroll");
  await page.click("a.method:has-text('Authenticator app')");
  await page.fill("#name", "New phone");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/activate$/);
  const key = (await page.textContent("#setup-key")).replace(/\s+/g, "");
  await step("customer-totp-setup");
  await page.fill("#code", totp(key));
  await page.click("main button[type=submit]");
  await page.waitForSelector("#backup-codes");
  result.new_backup_codes = await page.$$eval("#backup-codes code", (els) => els.length);
  await step("customer-backup-codes");
  await page.click("text=I have saved these codes");
  await page.waitForURL(`${base}/settings`);
  result.factors_now = await page.$$eval("table.factors tbody tr", (rows) => rows.map((r) => r.cells[0].textContent));
  await step("customer-settings");
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  try { if (page) result.error += "\npage " + page.url() + ": " + ((await page.textContent("main")) || "").trim().slice(0, 600); } catch (_) { /* page gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
