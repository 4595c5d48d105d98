// Remembers the parts of the Blobs the page builds, and reports the bytes
// of a Blob sent with sendBeacon or fetch through the binding, before the
// request leaves: Chromium gives no Blob body in its request events, and
// cannot read it back once the page that sent it is gone (beacons sent on
// pagehide). The page keeps working as before.
(binding) => {
  const report = globalThis[binding];
  if (typeof report !== "function" || typeof Blob !== "function") return;
  try { delete globalThis[binding]; } catch (e) {}
  const NativeBlob = Blob;
  const parts = new WeakMap();
  const enc = new TextEncoder();
  globalThis.Blob = new Proxy(NativeBlob, {
    construct(target, args, newTarget) {
      const b = Reflect.construct(target, args, newTarget);
      try { parts.set(b, args[0] == null ? [] : Array.from(args[0])); } catch (e) {}
      return b;
    },
  });
  const bytes = (blob) => {
    const ps = parts.get(blob);
    if (!ps) return null;
    const chunks = [];
    for (const p of ps) {
      let u;
      if (p instanceof NativeBlob) u = bytes(p);
      else if (p instanceof ArrayBuffer) u = new Uint8Array(p);
      else if (ArrayBuffer.isView(p)) u = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
      else u = enc.encode(String(p));
      if (!u) return null;
      chunks.push(u);
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out;
  };
  const note = (url, body) => {
    if (!(body instanceof NativeBlob)) return;
    const u = bytes(body);
    if (!u || u.length > (16 << 20)) return;
    let s = "";
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
    report(JSON.stringify({url: new URL(String(url), location.href).href, body: btoa(s)}));
  };
  if (typeof Navigator === "function" && Navigator.prototype.sendBeacon) {
    const beacon = Navigator.prototype.sendBeacon;
    Navigator.prototype.sendBeacon = function (url, data) {
      try { note(url, data); } catch (e) {}
      return beacon.apply(this, arguments);
    };
  }
  const nativeFetch = globalThis.fetch;
  if (typeof nativeFetch === "function") {
    globalThis.fetch = function (input, init) {
      try {
        if (init && init.body && (typeof input === "string" || input instanceof URL)) note(input, init.body);
      } catch (e) {}
      return nativeFetch.apply(this, arguments);
    };
  }
}
