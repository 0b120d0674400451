// Registers and then uses a security key through Keyward's API from a real browser: Debian's
// Chromium, driven by playwright-core, with a CDP virtual authenticator (CTAP2 over USB).
// The page is the test's own, served at the server's origin by Playwright's router; its
// script is Keyward's /static/webauthn.js, and every API call goes to the real server.
//
// Input (environment): KEYWARD_BASE (http://localhost:PORT), KEYWARD_KEY (an integration API
// key), KEYWARD_USER (a user id), SCREENSHOTS (a directory). Output: one JSON line on stdout.
import { launch } from "./common.mjs";
import { mkdirSync } from "node:fs";

const base = process.env.KEYWARD_BASE;
const key = process.env.KEYWARD_KEY;
const user = process.env.KEYWARD_USER;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

const page_html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyward WebAuthn test page</title>
<style>body{font:16px system-ui;margin:2rem} pre{background:#f4f4f4;padding:1rem;white-space:pre-wrap}</style>
<script src="/static/webauthn.js"></script></head>
<body><h1>Security key</h1>
<button id="register">Register a security key</button>
<button id="verify">Verify with the security key</button>
<pre id="status">ready</pre>
<script>
const api = async (path, body) => {
  const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json",
    authorization: "Bearer ${key}" }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};
const show = (label, v) => { document.getElementById("status").textContent = label + "\\n" + JSON.stringify(v, null, 2); window.lastResult = v; };
document.getElementById("register").onclick = async () => {
  try {
    const start = await api("/api/v1/users/${user}/factors", { type: "webauthn", name: "Chromium virtual key" });
    const credential = await keywardWebauthn.create(start.body.webauthn.options);
    const done = await api("/api/v1/users/${user}/factors/" + start.body.factor.id + "/activate", { credential });
    show("registered", { start: start.status, activate: done.status, factor: done.body.factor, error: done.body.error });
  } catch (e) { show("error", { error: String(e) }); }
};
document.getElementById("verify").onclick = async () => {
  try {
    const start = await api("/api/v1/users/${user}/verify/webauthn", {});
    const credential = await keywardWebauthn.get(start.body.options);
    const done = await api("/api/v1/users/${user}/verify/webauthn/" + start.body.challenge_id, { credential });
    const replay = await api("/api/v1/users/${user}/verify/webauthn/" + start.body.challenge_id, { credential });
    show("verified", { start: start.status, finish: done.status, answer: done.body, replay: replay.status, replay_error: replay.body.error });
  } catch (e) { show("error", { error: String(e) }); }
};
</script></body></html>`;

const browser = await launch();
const result = {};
try {
  const page = await browser.newPage();
  await page.route(`${base}/webauthn-test`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: page_html }));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "usb", hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true },
  });
  await page.goto(`${base}/webauthn-test`);
  await page.screenshot({ path: `${shots}/webauthn-1-page.png` });

  const step = async (button, label) => {
    await page.click(button);
    await page.waitForFunction(() => window.lastResult !== undefined, null, { timeout: 20000 });
    const v = await page.evaluate(() => { const r = window.lastResult; window.lastResult = undefined; return r; });
    await page.screenshot({ path: `${shots}/webauthn-${label}.png` });
    return v;
  };
  result.registration = await step("#register", "2-registered");
  const creds = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  result.authenticator_credentials = creds.credentials.length;
  result.sign_count_after_registration = creds.credentials[0]?.signCount;
  result.verification = await step("#verify", "3-verified");
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
