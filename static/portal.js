// Small enhancements for the portal's pages; every page works without them, except the
// security-key steps, which need the browser's WebAuthn API (static/webauthn.js).
// The words it shows come in the page's language as data attributes of its own script element
// (templates/portal/portal_js.html); English stays here for any that is missing.
"use strict";
(function () {
  const words = (document.currentScript && document.currentScript.dataset) || {};
  function word(key, english) {
    return words[key] || english;
  }

  const print = document.getElementById("print");
  if (print) print.addEventListener("click", () => window.print());

  function say(text) {
    const status = document.getElementById("key-status");
    if (status) status.textContent = text;
  }

  // A refused JSON step: the page's words for its error code ("too_many_attempts" reads
  // data-error-too-many-attempts), else the server's message, else a general one.
  function refusal(data) {
    const error = (data && data.error) || {};
    const key = "error" + String(error.code || "")
      .split("_")
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join("");
    return words[key] || error.message || word("failed", "Something went wrong. Try again.");
  }

  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await r.json(); } catch (_) { /* not JSON */ }
    if (!r.ok) {
      const e = new Error(refusal(data));
      e.shown = true;
      throw e;
    }
    return data;
  }

  function ceremonyError(e) {
    if (e && e.shown) return e.message;
    if (e && (e.name === "NotAllowedError" || e.name === "AbortError")) {
      return word("noAnswer", "The security key did not respond, or the request was cancelled. Try again.");
    }
    if (e && e.name === "InvalidStateError") return word("registered", "This security key is already registered.");
    if (e && e.name === "NotSupportedError") {
      return word("unsupported", "This browser cannot use security keys. Try another browser, or choose another method.");
    }
    return word("failed", "Something went wrong. Try again.");
  }

  const addForm = document.getElementById("add-key");
  if (addForm) {
    addForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const csrf = addForm.dataset.csrf;
      const name = document.getElementById("name").value.trim();
      if (!name) {
        say(word("nameFirst", "Give the key a name first."));
        document.getElementById("name").focus();
        return;
      }
      const button = document.getElementById("add-key-button");
      button.disabled = true;
      say("");
      try {
        const start = await post("/settings/add/security-key/start", { csrf, name });
        say(word("touchKey", "Touch or unlock your security key now."));
        const credential = await keywardWebauthn.create(start.options);
        const done = await post("/settings/add/security-key/finish", { csrf, factor_id: start.factor_id, credential });
        if (done.backup_codes) {
          const list = document.getElementById("backup-codes");
          for (const c of done.backup_codes) {
            const li = document.createElement("li");
            const code = document.createElement("code");
            code.textContent = c;
            li.appendChild(code);
            list.appendChild(li);
          }
          const header = word("codesHeader", "Backup codes. Each one signs you in once.");
          const text = header + "\n\n" + done.backup_codes.join("\n") + "\n";
          document.getElementById("download-codes").href = "data:text/plain;charset=utf-8," + encodeURIComponent(text);
          addForm.hidden = true;
          say("");
          document.getElementById("key-codes").hidden = false;
        } else {
          window.location.assign(done.redirect || "/settings?notice=added");
        }
      } catch (e) {
        say(ceremonyError(e));
        button.disabled = false;
      }
    });
  }

  const useKey = document.getElementById("use-key");
  if (useKey) {
    useKey.addEventListener("click", async () => {
      const csrf = useKey.dataset.csrf;
      useKey.disabled = true;
      say("");
      try {
        const start = await post("/signin/verify/webauthn/start", { csrf });
        say(word("touchKey", "Touch or unlock your security key now."));
        const credential = await keywardWebauthn.get(start.options);
        const done = await post("/signin/verify/webauthn/finish", { csrf, challenge_id: start.challenge_id, credential });
        window.location.assign(done.redirect || "/settings");
      } catch (e) {
        say(ceremonyError(e));
        useKey.disabled = false;
      }
    });
  }
})();
