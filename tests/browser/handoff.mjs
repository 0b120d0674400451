// The hand-off from a control panel in headless Chromium: the example panel
// (examples/control-panel) signs its users in with its own password and sends them to Keyward
// over OpenID Connect. Alice turns on two-factor authentication (an authenticator app, the code
// computed by oathtool from the setup key, backup codes), signs out and in again (the second
// step at Keyward), passes the second step with a backup code and adds a security key through "Manage two-factor authentication" (a CDP
// virtual authenticator), and deletes a server after a step-up with it. Bob, who has no
// hardware key, is refused the step-up (acr_not_met) with the panel's message. Every Keyward
// page is checked with axe-core; a screenshot is saved at every step (handoff-*.png).
//
// Input (environment): KEYWARD_BASE, PANEL_BASE (http://localhost:PORT each), SCREENSHOTS.
// Output: one JSON line on stdout: {"steps": [...], "axe": {page: [violations]}, "error"?, ...}.
import { axeViolations, launch } from "./common.mjs";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const panel = process.env.PANEL_BASE;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

const result = { steps: [], axe: {} };
let counter = 0;
const browser = await launch();

function totp(key, offsetSeconds) {
  const args = ["--totp", "-b", key];
  if (offsetSeconds) args.push("-N", `now + ${offsetSeconds} seconds`);
  return execFileSync("oathtool", args).toString().trim();
}

let page;
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, bypassCSP: true });
  page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "usb", hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true },
  });

  // A screenshot of every step; an axe check of every Keyward page.
  async function step(name) {
    counter += 1;
    const file = `${shots}/handoff-${String(counter).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    if (page.url().startsWith(base)) result.axe[name] = await axeViolations(page);
    result.steps.push({ name, url: page.url(), screenshot: file });
  }

  async function panelSignIn(username, password) {
    await page.goto(`${panel}/signin`);
    await page.fill("#username", username);
    await page.fill("#password", password);
    await page.click("main button[type=submit]");
  }

  async function twoFactorText() {
    return (await page.textContent("#two-factor")).trim();
  }

  // Alice signs in at the panel: no second factor yet.
  await page.goto(`${panel}/signin`);
  await step("panel-signin");
  await panelSignIn("alice", "alice-panel-password");
  await page.waitForURL(`${panel}/`);
  result.before = await twoFactorText();
  await step("panel-2fa-off");

  // "Turn on two-factor authentication": Keyward's method choice, with the hand-off bar.
  await page.click("text=Turn on two-factor authentication");
  await page.waitForURL(`${base}/settings/add`);
  result.bar = (await page.textContent("aside.handoff")).replace(/\s+/g, " ").trim();
  await step("enroll-choose-method");
  await page.click("a.method:has-text('Authenticator app')");
  await page.fill("#name", "My Phone");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/activate$/);
  const key = (await page.textContent("#setup-key")).replace(/\s+/g, "");
  await step("enroll-totp-setup");
  await page.fill("#code", "000000");
  await page.click("main button[type=submit]");
  result.wrong_code_message = (await page.textContent("#code-error")).trim();
  await step("enroll-totp-wrong-code");
  const activationStep = Math.floor(Date.now() / 30000);
  await page.fill("#code", totp(key));
  await page.click("main button[type=submit]");
  await page.waitForSelector("#backup-codes");
  const codes = await page.$$eval("#backup-codes code", (els) => els.map((e) => e.textContent.trim()));
  result.backup_codes = codes.length;
  await step("enroll-backup-codes");
  await page.click("text=I have saved these codes");
  await page.waitForURL(`${panel}/`, { timeout: 20000 });
  result.after_enroll = await twoFactorText();
  result.enroll_flash = (await page.textContent(".flash")).trim();
  await step("panel-2fa-on");

  // Sign out; sign in: the password at the panel, the second step at Keyward.
  await page.click("header button:has-text('Sign out')");
  await page.waitForURL(`${panel}/signin`);
  await panelSignIn("alice", "alice-panel-password");
  await page.waitForURL(`${base}/signin/verify`);
  await step("second-step");
  const laterCode = Math.floor(Date.now() / 30000) > activationStep ? totp(key) : totp(key, 30);
  await page.fill("#code", laterCode);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${panel}/`, { timeout: 20000 });
  result.signin_flash = (await page.textContent(".flash")).trim();
  await step("panel-signed-in");

  // "Manage two-factor authentication": the second step, the settings, add a security key,
  // "Back to <panel>".
  await page.click("text=Manage two-factor authentication");
  await page.waitForURL(`${base}/signin/verify`);
  await step("manage-second-step");
  // A backup code (the app's codes of this time step and the next may both be used up).
  await page.fill("#code", codes[0]);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await step("manage-settings");
  await page.click("text=Add a second factor");
  await page.waitForURL(`${base}/settings/add`);
  await page.click("a.method:has-text('Security key')");
  await page.waitForURL(`${base}/settings/add/security-key`);
  await step("manage-security-key");
  await page.fill("#name", "Chromium key");
  await page.click("#add-key-button");
  await page.waitForURL(`${base}/settings`, { timeout: 20000 });
  result.factors = await page.$$eval("table.factors tbody tr", (rows) => rows.map((r) => r.cells[0].textContent.trim()));
  await step("manage-settings-two-factors");
  await page.click("aside.handoff a:has-text('Back to')");
  await page.waitForURL(`${panel}/`, { timeout: 20000 });
  result.manage_flash = (await page.textContent(".flash")).trim();

  // "Delete server": a step-up that offers only hardware keys.
  await page.click("button[aria-label='Delete server web-01']");
  await page.waitForURL(`${base}/signin/verify`);
  result.stepup_options = await page.$$eval("main ul li", (els) => els.map((e) => e.textContent.trim()));
  await step("stepup-security-key");
  await page.click("#use-key");
  await page.waitForURL(`${panel}/`, { timeout: 20000 });
  result.delete_flash = (await page.textContent(".flash")).trim();
  result.servers_left = await page.$$eval("span.server", (els) => els.map((e) => e.textContent));
  await step("panel-server-deleted");
  await page.click("header button:has-text('Sign out')");
  await page.waitForURL(`${panel}/signin`);

  // Bob has no hardware key: the step-up is refused, and the panel says why.
  await panelSignIn("bob", "bob-panel-password");
  await page.waitForURL(`${panel}/`);
  await page.click("button[aria-label='Delete server web-01']");
  await page.waitForSelector("p.error");
  result.refused_message = (await page.textContent("p.error")).trim();
  result.refused_url = page.url();
  await step("panel-stepup-refused");
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  try { if (page) result.error += "\npage " + page.url() + ": " + ((await page.textContent("body")) || "").trim().slice(0, 800); } catch (_) { /* page gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
