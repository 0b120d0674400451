#!/usr/bin/env python3
"""The hand-off's cost: full OpenID Connect hand-offs for the second step per second.

Usage: bench/handoff.py BASE_URL SECURITY_KEY INTEGRATION_KEY [USERS] [CONCURRENCY]

Against a running Keyward (its KEYWARD_BASE_URL must be BASE_URL), it registers a client
trusted with the first factor, creates USERS users with an active authenticator app (the TOTP
code computed here) and then, with CONCURRENCY threads, runs one hand-off per backup code
(10 per user). One hand-off is what a control panel and a browser do: the authorize request with
a signed request object (HS256), the second-step page, the code posted, the way back (the page
with the code) and the token request (PKCE, client_secret_basic) with its signed ID token. It
prints hand-offs per second and latency percentiles. Standard library only.
"""

import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import re
import struct
import sys
import time
import urllib.parse
import uuid


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_hs256(claims: dict, secret: str) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "oauth-authz-req+jwt"}).encode())
    payload = b64url(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(sig)}"


def totp(secret_b32: str, at: float) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    o = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


class Http:
    def __init__(self, base: str):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if value and "Max-Age=0" not in v:
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def api(base, key, method, path, body=None):
    c = Http(base)
    status, _, data = c.request(method, path, json.dumps(body) if body is not None else None,
                                {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    if status >= 300:
        raise SystemExit(f"{method} {path}: {status} {data[:300]!r}")
    return json.loads(data) if data else None


def main():
    base, security, integration = sys.argv[1], sys.argv[2], sys.argv[3]
    users_n = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    concurrency = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    redirect = "http://127.0.0.1:9/callback"
    client = api(base, security, "POST", "/api/v1/clients",
                 {"name": "Bench Panel", "redirect_uris": [redirect], "trusted_first_factor": True})
    work = []
    t0 = time.time()
    for i in range(users_n):
        user = api(base, integration, "POST", "/api/v1/users", {"email": f"handoff{i}-{uuid.uuid4().hex[:6]}@example.org"})
        f = api(base, integration, "POST", f"/api/v1/users/{user['id']}/factors", {"type": "totp", "name": "Phone"})
        done = api(base, integration, "POST",
                   f"/api/v1/users/{user['id']}/factors/{f['factor']['id']}/activate",
                   {"code": totp(f["totp"]["secret"], time.time())})
        work += [(user["id"], code) for code in done["backup_codes"]]
    print(f"set up {users_n} users in {time.time() - t0:.1f} s; {len(work)} hand-offs to run")

    def hand_off(item):
        user_id, code = item
        start = time.perf_counter()
        verifier = b64url(os.urandom(32))
        challenge = b64url(hashlib.sha256(verifier.encode()).digest())
        now = int(time.time())
        jwt = jwt_hs256({
            "iss": client["client_id"], "aud": base.rstrip("/"), "iat": now, "exp": now + 300,
            "jti": uuid.uuid4().hex, "client_id": client["client_id"], "redirect_uri": redirect,
            "response_type": "code", "scope": "openid", "state": "s", "nonce": "n",
            "code_challenge": challenge, "code_challenge_method": "S256", "login_hint": user_id,
        }, client["client_secret"])
        b = Http(base)
        q = urllib.parse.urlencode({"client_id": client["client_id"], "request": jwt})
        status, h, _ = b.request("GET", f"/oauth2/authorize?{q}")
        assert status == 303 and h.get("location") == "/signin/verify", (status, h)
        status, _, page = b.request("GET", "/signin/verify")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": csrf, "code": code})
        status, h, _ = b.request("POST", "/signin/verify", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status
        status, _, page = b.request("GET", "/oauth2/authorize/resume")
        got = re.search(rb"code=([A-Za-z0-9_-]+)", page).group(1).decode()
        basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
        form = urllib.parse.urlencode({"grant_type": "authorization_code", "code": got,
                                       "redirect_uri": redirect, "code_verifier": verifier})
        status, _, data = b.request("POST", "/oauth2/token", form,
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "Authorization": f"Basic {basic}"})
        assert status == 200 and b"id_token" in data, (status, data[:200])
        return time.perf_counter() - start

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        lat = sorted(pool.map(hand_off, work))
    elapsed = time.time() - t0
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(f"{len(lat)} hand-offs in {elapsed:.1f} s: {len(lat) / elapsed:.0f} hand-offs/s "
          f"({5 * len(lat) / elapsed:.0f} requests/s), concurrency {concurrency}; "
          f"p50 {pct(0.5):.1f} ms, p90 {pct(0.9):.1f} ms, p99 {pct(0.99):.1f} ms")


if __name__ == "__main__":
    main()
