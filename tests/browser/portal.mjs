// The customer journey through Keyward's portal in headless Chromium (Debian's chromium,
// driven by playwright-core): sign up and confirm the address by the mailed link, add an
// authenticator app (the code computed by oathtool
// from the setup key on the page), save the backup codes, sign out, sign in with a code, add a
// security key (a CDP virtual authenticator), sign in with it, sign in with a backup code,
// remove a factor, change the password, reset a forgotten one by the mailed link. Every page is
// checked with axe-core; a screenshot is saved at every step.
//
// Input (environment): KEYWARD_BASE (http://localhost:PORT), SCREENSHOTS (a directory), MAILBOX
// (a test server that answers the newest mail's text: GET ?to=ADDRESS&kind=KIND).
// Output: one JSON line on stdout: {"steps": [...], "axe": {page: [violations]}, "error"?}.
import { axeViolations, launch } from "./common.mjs";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const mailbox = process.env.MAILBOX;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

const email = "journey@example.com";
const password = "a long enough secret";
const result = { steps: [], axe: {} };
const counters = {};

const browser = await launch();

function totp(key, offsetSeconds) {
  const args = ["--totp", "-b", key];
  if (offsetSeconds) args.push("-N", `now + ${offsetSeconds} seconds`);
  return execFileSync("oathtool", args).toString().trim();
}

let page;
try {
  // The page's own CSP forbids inline script: axe is injected with CSP bypassed for the check.
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, bypassCSP: true });
  page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "usb", hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true },
  });

  async function step(name, prefix = "portal") {
    counters[prefix] = (counters[prefix] || 0) + 1;
    const file = `${shots}/${prefix}-${String(counters[prefix]).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    const found = await axeViolations(page);
    result.axe[name] = found;
    result.steps.push({ name, url: page.url().replace(base, ""), screenshot: file });
  }

  async function signIn(shot) {
    await page.goto(`${base}/signin`);
    if (shot) await step("signin");
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("main button[type=submit]");
  }

  async function signOut() {
    await page.click("header button:has-text('Sign out')");
    await page.waitForURL(`${base}/signin`);
  }

  // The link in the newest mail of a kind to the journey's address.
  async function mailedLink(kind, path) {
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${mailbox}/?to=${encodeURIComponent(email)}&kind=${kind}`);
      if (r.ok) {
        const found = (await r.text()).split(/\s+/).find((w) => w.includes(path));
        if (found) return found.slice(found.indexOf(path));
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`no ${kind} mail with a link to ${path}`);
  }

  // Sign up; confirm the address with the mailed link; sign in.
  await page.goto(`${base}/signup`);
  await step("signup");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Check your inbox");
  await step("signup-check-inbox", "account");
  await page.goto(`${base}${await mailedLink("confirm_email", "/account/confirm/")}`);
  await step("confirm-email", "account");
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Your address is confirmed");
  await step("email-confirmed", "account");
  await signIn();
  await page.waitForURL(`${base}/settings`);
  await step("settings-empty");

  // Add an authenticator app: the password again, the method, a name, the setup page.
  await page.click("text=Add a second factor");
  await page.waitForURL(/\/settings\/sudo/);
  await step("sudo");
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings/add`);
  await step("choose-method");
  await page.click("a.method:has-text('Authenticator app')");
  await page.fill("#name", "My Phone");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/activate$/);
  const key = (await page.textContent("#setup-key")).replace(/\s+/g, "");
  result.setup_key_length = key.length;
  await step("totp-setup");
  await page.fill("#code", "000000");
  await page.click("main button[type=submit]");
  result.wrong_code_message = (await page.textContent("#code-error")).trim();
  await step("totp-wrong-code");
  const activationStep = Math.floor(Date.now() / 30000);
  await page.fill("#code", totp(key));
  await page.click("main button[type=submit]");
  await page.waitForSelector("#backup-codes");
  const codes = (await page.$$eval("#backup-codes code", (els) => els.map((e) => e.textContent.trim())));
  result.backup_codes = codes.length;
  await step("backup-codes");
  await page.click("text=I have saved these codes");
  await page.waitForURL(`${base}/settings`);

  // Sign out; sign in with a code (the next time step's: the current one was used up).
  await signOut();
  await signIn(true);
  await page.waitForURL(`${base}/signin/verify`);
  await step("second-step-totp");
  // A code for a later time step than the one activation used up: the current step's once the
  // clock has moved on, else the next step's (the server accepts one step of drift).
  const laterCode = Math.floor(Date.now() / 30000) > activationStep ? totp(key) : totp(key, 30);
  await page.fill("#code", laterCode);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await step("settings-totp");

  // Add a security key.
  await page.click("text=Add a second factor");
  await page.waitForURL(/\/settings\/sudo/);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings/add`);
  await page.click("a.method:has-text('YubiKey')");
  await page.waitForURL(`${base}/settings/add/yubikey`);
  await step("yubikey");
  await page.goto(`${base}/settings/add`);
  await page.click("a.method:has-text('Security key')");
  await page.waitForURL(`${base}/settings/add/security-key`);
  await step("security-key");
  await page.fill("#name", "Chromium key");
  await page.click("#add-key-button");
  await page.waitForURL(`${base}/settings?notice=added`, { timeout: 20000 });
  await step("settings-two-factors");

  // Sign out; sign in with the security key.
  await signOut();
  await signIn();
  await page.waitForURL(`${base}/signin/verify`);
  await step("second-step-choices");
  await page.click("#use-key");
  await page.waitForURL(`${base}/settings`, { timeout: 20000 });
  result.signed_in_with_key = true;

  // Sign out; sign in with a backup code, by keyboard only.
  await signOut();
  await page.goto(`${base}/signin`);
  // Tab until the email field has the focus (it is the first field in the focus order).
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === "email")) break;
  }
  result.email_focused_by_tab = await page.evaluate(() => document.activeElement.id === "email");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/signin/verify`);
  // The code field has the focus on arrival (autofocus is applied after load, so wait for it
  // rather than race it; a field that never gets the focus fails the test here).
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "code", null, { timeout: 10000 });
  result.code_focused_on_arrival = true;
  await page.keyboard.type(codes[0]);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/settings`);
  result.remaining_text = (await page.textContent("main")).match(/(\d+) backup codes left/)?.[1];
  await step("settings-after-backup-code");

  // Remove the authenticator app (the password first: this session has not confirmed it).
  await page.click("button[aria-label='Remove My Phone']");
  await page.waitForURL(/\/settings\/sudo/);
  await page.fill("#password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings`);
  await page.click("button[aria-label='Remove My Phone']");
  await page.waitForURL(`${base}/settings?notice=removed`);
  result.factors_left = await page.$$eval("table.factors tbody tr", (rows) => rows.map((r) => r.cells[0].textContent));
  await step("settings-removed");
  await page.setViewportSize({ width: 390, height: 844 });
  await step("settings-phone");
  // A message page, and the "this wasn't me" page for a link that is not valid.
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.goto(`${base}/account/report/rpt_0000.not-a-signature`);
  await step("report-link-invalid");

  // Change the password in the settings.
  const changed = "a changed long secret";
  await page.goto(`${base}/settings`);
  await page.click("text=Change password");
  await page.waitForURL(`${base}/settings/password`);
  await step("change-password", "account");
  await page.fill("#current", password);
  await page.fill("#password", changed);
  await page.fill("#confirm", changed);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/settings?notice=password`);
  await step("password-changed", "account");
  result.password_changed = true;

  // Forget it: the link from the mail sets a new one; the second factor is still asked for.
  await signOut();
  await page.click("text=Forgot your password?");
  await page.waitForURL(`${base}/signin/forgot`);
  await step("forgot-password", "account");
  await page.fill("#email", email);
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Check your inbox");
  await step("forgot-check-inbox", "account");
  await page.goto(`${base}${await mailedLink("password_reset", "/account/password/")}`);
  await step("choose-new-password", "account");
  const reset = "a reset long secret";
  await page.fill("#password", reset);
  await page.fill("#confirm", reset);
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Your new password is set");
  await step("password-reset-done", "account");
  await page.goto(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", reset);
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/signin/verify`);
  result.password_reset = true;
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  // What the page said when the step failed, so a failure in CI explains itself.
  try { if (page) result.error += "\npage " + page.url() + ": " + ((await page.textContent("main")) || "").trim().slice(0, 600); } catch (_) { /* page gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
