// Keyward's WebAuthn ceremonies in the browser: the server's options (JSON, binary fields
// base64url) become navigator.credentials arguments, and the browser's credential becomes JSON
// again in the shape webauthn-rs reads. No inline script: pages load this file.
// A browser without WebAuthn (an old one, or a page not served over HTTPS) gets a
// NotSupportedError, which the page (static/portal.js) says in its own language.
"use strict";

(function (global) {
  function requireWebauthn() {
    if (!global.PublicKeyCredential || !navigator.credentials) {
      const e = new Error("This browser cannot use security keys.");
      e.name = "NotSupportedError";
      throw e;
    }
  }

  function toBytes(b64url) {
    const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "===".slice((b64.length + 3) % 4);
    const raw = atob(padded);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let raw = "";
    for (let i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // webauthn-rs writes absent options as null; browsers want them left out.
  function clean(value) {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== null && v !== undefined) out[k] = clean(v);
      }
      return out;
    }
    return value;
  }

  function withIds(list) {
    return (list || []).map((c) => Object.assign({}, c, { id: toBytes(c.id) }));
  }

  // options: {"publicKey": {...}} as the server sent it.
  async function create(options) {
    requireWebauthn();
    const pk = clean(options.publicKey);
    pk.challenge = toBytes(pk.challenge);
    pk.user = Object.assign({}, pk.user, { id: toBytes(pk.user.id) });
    pk.excludeCredentials = withIds(pk.excludeCredentials);
    const cred = await navigator.credentials.create({ publicKey: pk });
    const response = {
      attestationObject: toB64url(cred.response.attestationObject),
      clientDataJSON: toB64url(cred.response.clientDataJSON),
    };
    if (typeof cred.response.getTransports === "function") {
      response.transports = cred.response.getTransports();
    }
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      response: response,
      extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
    };
  }

  async function get(options) {
    requireWebauthn();
    const pk = clean(options.publicKey);
    pk.challenge = toBytes(pk.challenge);
    pk.allowCredentials = withIds(pk.allowCredentials);
    const cred = await navigator.credentials.get({ publicKey: pk });
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      response: {
        authenticatorData: toB64url(cred.response.authenticatorData),
        clientDataJSON: toB64url(cred.response.clientDataJSON),
        signature: toB64url(cred.response.signature),
        userHandle: cred.response.userHandle ? toB64url(cred.response.userHandle) : null,
      },
      extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
    };
  }

  global.keywardWebauthn = { create: create, get: get };
})(window);
