"""Drives PyPI's yubico-client (an independent YubiCloud-protocol client) against a server.

usage: yubico_client_check.py CLIENT_ID SECRET URL OTP MODE [NONCE]
MODE: verify   - the client's own verify(): prints OK, or the exception's class name
      status   - one request built and checked by the client: prints "<status> <signature>",
                 where <signature> is "accepted" when the client verified the answer's signature
                 (and the echoed otp and nonce), "rejected" when it refused it
      tampered - as status, with a wrong request signature
"""
import re
import sys
import urllib.request

from yubico_client import Yubico
from yubico_client.yubico_exceptions import (InvalidClientIdError, SignatureVerificationError,
                                             StatusCodeError)

client_id, secret, url, otp, mode = sys.argv[1:6]
nonce = sys.argv[6] if len(sys.argv) > 6 else "kw0test0nonce0abcdefghij"
client = Yubico(client_id, secret, api_urls=(url,))

if mode == "verify":
    try:
        print("OK" if client.verify(otp, timestamp=True) else "FALSE")
    except Exception as e:  # the class says which refusal it was
        print(type(e).__name__)
    sys.exit(0)

query = client.generate_query_string(otp, nonce)
if mode == "tampered":
    query = re.sub(r"h=[^&]*", "h=" + "A" * 27 + "%3D", query)
body = urllib.request.urlopen(url + "?" + query, timeout=10).read().decode()
status = re.search(r"status=([A-Z_]+)", body).group(1)
try:
    client.verify_response(body, otp, nonce)
    signature = "accepted"
except (StatusCodeError, InvalidClientIdError):
    signature = "accepted"
except SignatureVerificationError:
    signature = "rejected"
print(status, signature)
