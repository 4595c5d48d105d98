#!/usr/bin/env python3
"""The research method, in plain Python, as the published studies ran it.

A line-for-line port of reference.go (Englehardt et al. 2018; Leaky Forms,
USENIX Security 2022): a pool of the persona's values x hashes x encodings,
searched as substrings in every URL, header, cookie, body and sent WebSocket
frame, and in what decoding them and their tokens gives, up to three layers
deep. The HAR is read whole with the json module. It works on bytes, as the
Go version does, so the two find the same leaks (bench/compare_test.go holds
them to it).

    python3 reference.py persona.json capture.har > leaks.json

persona.json is an object of persona key -> value; the output is a JSON
array of [request index, where, key, chain].
"""

import base64
import binascii
import hashlib
import json
import re
import sys
import zlib
from urllib.parse import quote, quote_plus, unquote_to_bytes

MAX_LAYERS = 3  # the decoding depth of the Leaky Forms study
MAX_INFLATE = 64 << 20  # what one gzip or zlib layer may expand to

HASHES = [
    ("md5", hashlib.md5),
    ("sha1", hashlib.sha1),
    ("sha256", hashlib.sha256),
    ("sha512", hashlib.sha512),
]

ENCODINGS = [
    ("plain", lambda s: s),
    ("url", lambda s: quote_plus(s, safe="").encode()),
    ("url-path", lambda s: quote(s, safe="$&+,:;=@").encode()),
    ("base64", lambda s: base64.b64encode(s)),
    ("base64url", lambda s: base64.urlsafe_b64encode(s).rstrip(b"=")),
    ("hex", lambda s: binascii.hexlify(s)),
]


def variants(key, value):
    """The forms a value is typed or normalised into before hashing."""
    s = value.strip()
    out = [(value, "as-given"), (s, "trim"), (s.lower(), "lower"), (s.upper(), "upper")]
    if key == "email":
        local, at, domain = s.lower().partition("@")
        if at:
            out.append((local.replace(".", "") + "@" + domain, "no-dots"))
    elif key == "phone":
        ds = "".join(c for c in s if "0" <= c <= "9")
        out += [(ds, "digits"), ("+" + ds, "e164")]
        if len(ds) > 10:
            out.append((ds[-10:], "national"))
    return [(v.encode(), chain) for v, chain in out]


def new_pool(values):
    """Every variant of every value, plain and hashed, in every encoding."""
    cands, seen = [], set()
    for key, value in values:
        for text, chain in variants(key, value):
            forms = [(text, chain)]
            for name, fn in HASHES:
                forms.append((fn(text).hexdigest().encode(), chain + "|" + name))
            for ftext, fchain in forms:
                for name, enc in ENCODINGS:
                    t = enc(ftext)
                    if len(t) < 4 or (key, t) in seen:
                        continue
                    seen.add((key, t))
                    cands.append((t, key, fchain + "|" + name))
    return cands


def read_har(path):
    """Reads a whole HAR into memory, as the research code does."""
    with open(path, "rb") as f:
        har = json.load(f)
    out = []
    for i, e in enumerate(har["log"]["entries"]):
        req = e.get("request") or {}
        body = b""
        pd = req.get("postData")
        if pd:
            body = (pd.get("text") or "").encode("utf-8", "surrogatepass")
            if pd.get("encoding") == "base64":
                try:
                    body = base64.b64decode(body, validate=True)
                except ValueError:
                    pass
        frames = [m.get("data", "").encode("utf-8", "surrogatepass")
                  for m in e.get("_webSocketMessages") or [] if m.get("type") == "send"]
        nv = lambda items: [(x.get("name", ""), x.get("value", "").encode("utf-8", "surrogatepass")) for x in items or []]
        out.append((i, req.get("url", "").encode("utf-8", "surrogatepass"), nv(req.get("headers")),
                    nv(req.get("cookies")), body, frames))
    return out


_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def dec_url(t):
    if b"%" not in t and b"+" not in t:
        return None
    if _BAD_ESCAPE.search(t):
        return None
    return unquote_to_bytes(t.replace(b"+", b" "))


_B64 = re.compile(rb"[A-Za-z0-9+/]*")
_B64URL = re.compile(rb"[A-Za-z0-9_-]*")


def _b64(t, url, padded):
    body = t.rstrip(b"=") if padded else t
    if not (_B64URL if url else _B64).fullmatch(body) or len(body) % 4 == 1:
        return None
    if padded:
        if len(t) % 4 or len(t) - len(body) > 2:
            return None
    elif b"=" in t:
        return None
    alt = b"-_" if url else None
    try:
        return base64.b64decode(body + b"=" * (-len(body) % 4), altchars=alt, validate=True)
    except ValueError:
        return None


def dec_base64(t):
    if len(t) < 8:
        return None
    for url, padded in ((False, True), (False, False), (True, True), (True, False)):
        b = _b64(t, url, padded)
        if b is not None and b != t:
            return b
    return None


_HEX = re.compile(rb"(?:[0-9A-Fa-f]{2})+")


def dec_hex(t):
    if not _HEX.fullmatch(t):
        return None
    return binascii.unhexlify(t)


def _inflate(t, wbits):
    try:
        d = zlib.decompressobj(wbits)
        out = d.decompress(t, MAX_INFLATE)
    except zlib.error:
        return None
    return out or None


def dec_gzip(t):
    return _inflate(t, 31) if t.startswith(b"\x1f\x8b") else None


def dec_zlib(t):
    return _inflate(t, 15) if len(t) >= 2 and t[0] == 0x78 else None


DECODERS = [("url", dec_url), ("base64", dec_base64), ("hex", dec_hex), ("gzip", dec_gzip), ("zlib", dec_zlib)]

_DELIMS = [re.compile(rb"[&=?;/,|#:\"'{}\[\]() \t\r\n]+"), re.compile(rb"[&=?;,|#:\"'{}\[\]() \t\r\n]+")]


def tokens(t):
    """t split on the delimiters of URLs, forms, cookies and JSON, and again
    on all of them but "/" and "+"; a token is listed once."""
    out, seen = [], set()
    for d in _DELIMS:
        for tok in d.split(t):
            if tok and tok not in seen:
                seen.add(tok)
                out.append(tok)
    return out


class Search:
    def __init__(self, cands, index):
        self.cands, self.index = cands, index
        self.min_len = min(len(c[0]) for c in cands)
        self.seen, self.out = set(), []

    def text(self, t, where, layers, depth):
        for ctext, key, chain in self.cands:
            if ctext in t and (where, key) not in self.seen:
                self.seen.add((where, key))
                self.out.append([self.index, where, key, chain + layers])
        if depth >= MAX_LAYERS:
            return
        self.decoded(t, where, layers, depth)
        for tok in tokens(t):
            if tok != t and len(tok) >= self.min_len:
                self.decoded(tok, where, layers, depth)

    def decoded(self, t, where, layers, depth):
        for name, fn in DECODERS:
            out = fn(t)
            if out is not None and out != t:
                self.text(out, where, layers + "<" + name, depth + 1)


def search(cands, req):
    index, url, headers, cookies, body, frames = req
    s = Search(cands, index)
    s.text(url, "url", "", 0)
    for name, value in headers:
        s.text(value, "header:" + name.lower(), "", 0)
    for name, value in cookies:
        s.text(value, "cookie:" + name, "", 0)
    if body:
        s.text(body, "body", "", 0)
    for f in frames:
        s.text(f, "websocket", "", 0)
    return s.out


def main(argv):
    if len(argv) != 3:
        print("usage: reference.py persona.json capture.har", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        persona = json.load(f)
    cands = new_pool(sorted(persona.items()))
    leaks = []
    for req in read_har(argv[2]):
        leaks += search(cands, req)
    json.dump(leaks, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
