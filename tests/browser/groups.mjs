// The security team puts a customer in a hardware-only group through the staff pages; at the
// customer's next sign-in they are sent to add a security key, and their authenticator app is
// refused. Headless Chromium (Debian's chromium, driven by playwright-core); every page is
// checked with axe-core and a screenshot is saved at every step (groups-*.png).
//
// Input (environment): KEYWARD_BASE (http://localhost:PORT), SCREENSHOTS (a directory),
// SECURITY_EMAIL, SECURITY_TOTP (base32), CUSTOMER_EMAIL, CUSTOMER_TOTP (base32), PASSWORD.
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
  async function open(width) {
    const context = await browser.newContext({ viewport: { width, height: 1000 }, bypassCSP: true });
    return await context.newPage();
  }

  async function step(name) {
    n += 1;
    const file = `${shots}/groups-${String(n).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    result.axe[name] = await axeViolations(page);
    result.steps.push({ name, url: page.url().replace(base, ""), screenshot: file });
  }

  async function signIn(email, key) {
    await page.goto(`${base}/signin`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("main button[type=submit]");
    await page.waitForURL(`${base}/signin/verify`);
    // The next time step's code: the test used the current one to activate the app.
    await page.fill("#code", totp(key, 30));
    await page.click("main button[type=submit]");
  }

  // The security team: Groups, a new group (the password again first: sudo mode).
  page = await open(1440);
  await signIn(process.env.SECURITY_EMAIL, process.env.SECURITY_TOTP);
  await page.waitForURL(`${base}/settings`);
  await page.click("header nav a:has-text('Groups')");
  await page.waitForURL(`${base}/groups`);
  await page.fill("#name", "Enterprise hardware");
  await page.click("main button:has-text('Create group')");
  await page.waitForURL(/\/settings\/sudo/);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/groups`);
  await page.fill("#name", "Enterprise hardware");
  await page.click("main button:has-text('Create group')");
  await page.waitForURL(/\/groups\/grp_[0-9a-f]+\?done=created/);
  result.group_url = page.url().replace(base, "").split("?")[0];
  await step("new-group");

  // Its policy: hardware keys only, required, attested, 7 days to enroll.
  await page.check("input[name=require_two_factor]");
  await page.fill("#grace", "7");
  await page.uncheck("input[name=method][value=totp]");
  await page.check("input[name=method][value=yubikey_otp]");
  await page.check("input[name=method][value=webauthn]");
  await page.check("input[name=require_attestation]");
  await page.click("main button:has-text(\"Save the group's policy\")");
  await page.waitForURL(/\?done=policy$/);
  result.policy_notice = (await page.textContent("main p.notice")).trim();

  // The customer joins it by email.
  await page.fill("#member-email", process.env.CUSTOMER_EMAIL);
  await page.click("main button:has-text('Add to group')");
  await page.waitForURL(/\?done=added$/);
  result.members = await page.$$eval("ul.members li", (els) => els.map((e) => e.firstChild.textContent.trim()));
  await step("group-with-policy-and-member");
  await page.click("main a:has-text('All groups')");
  await page.waitForURL(`${base}/groups`);
  result.group_rows = await page.$$eval("table.factors tbody tr", (rows) => rows.map((r) => [...r.cells].slice(0, 3).map((c) => c.textContent.trim())));
  await step("groups-list");

  // The support console shows the customer's groups and effective policy, rule by rule.
  await page.click("header nav a:has-text('Support console')");
  await page.fill("#email", process.env.CUSTOMER_EMAIL);
  await page.click("main form[role=search] button[type=submit]");
  await page.waitForURL(/\/support\?email=/);
  result.policy_rows = await page.$$eval("table.effective-policy tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  await step("console-effective-policy");
  await page.context().close();

  // The customer's next sign-in: the app once more, then straight to adding a security key.
  page = await open(900);
  await signIn(process.env.CUSTOMER_EMAIL, process.env.CUSTOMER_TOTP);
  await page.waitForURL(`${base}/settings/add`);
  result.enroll_notice = (await page.textContent("main p.notice")).trim();
  result.app_disabled = (await page.textContent("li:has(.method.disabled)")).replace(/\s+/g, " ").trim();
  result.app_link = await page.$$eval("a.method", (els) => els.map((e) => e.getAttribute("href")));
  await step("customer-sent-to-add-a-key");

  // The authenticator app is refused even when asked for directly.
  await page.goto(`${base}/settings/add/totp`);
  await page.fill("#name", "New phone");
  await page.click("main button[type=submit]");
  await page.waitForSelector("main .error");
  result.app_refused = (await page.textContent("main .error")).trim();
  await step("customer-app-refused");
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  try { if (page) result.error += "\npage " + page.url() + ": " + ((await page.textContent("main")) || "").trim().slice(0, 600); } catch (_) { /* page gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
