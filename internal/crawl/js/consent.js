// Consent banners: finding them (through open shadow roots and same-origin
// iframes), clicking their buttons, and reading the TCF API's state.
() => {
  const MAX_NODES = 20000;
  // deep finds the first element matching sel under root, looking into
  // open shadow roots and same-origin iframes, visiting at most MAX_NODES.
  const deep = (sel, root) => {
    let budget = MAX_NODES;
    const walk = (r) => {
      let el = null;
      try { el = r.querySelector(sel); } catch (e) { return null; }
      if (el) return el;
      for (const n of r.querySelectorAll("*")) {
        if (--budget < 0) return null;
        let inner = null;
        if (n.shadowRoot) inner = n.shadowRoot;
        else if (n.tagName === "IFRAME" || n.tagName === "FRAME") {
          try { inner = n.contentDocument; } catch (e) { inner = null; }
        }
        if (inner) {
          const found = walk(inner);
          if (found) return found;
        }
      }
      return null;
    };
    return walk(root || document);
  };
  const visible = (el) => {
    if (!el || !el.getClientRects || el.getClientRects().length === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
  };
  const defined = (path) => {
    let v = window;
    for (const part of path.split(".")) {
      try { v = v == null ? undefined : v[part]; } catch (e) { return false; }
    }
    return v !== undefined && v !== null;
  };
  const tcf = () => new Promise((resolve) => {
    if (typeof window.__tcfapi !== "function") return resolve(null);
    const out = { displayStatus: "", tcString: "", eventStatus: "" };
    const timer = setTimeout(() => resolve(out), 500);
    try {
      window.__tcfapi("ping", 2, (p) => { if (p) out.displayStatus = String(p.displayStatus || ""); });
      window.__tcfapi("getTCData", 2, (d, ok) => {
        if (ok && d) { out.tcString = String(d.tcString || ""); out.eventStatus = String(d.eventStatus || ""); }
        clearTimeout(timer);
        resolve(out);
      });
    } catch (e) { clearTimeout(timer); resolve(out); }
  });
  return {
    // detect says, for each rule, whether the page shows the platform and
    // whether its banner is visible.
    detect: (rules) => rules.map((r) => {
      const shown = (r.banner || []).some((sel) => visible(deep(sel)));
      const present = shown || (r.globals || []).some(defined) ||
        (r.banner || []).some((sel) => deep(sel) !== null);
      return { present: present, shown: shown };
    }),
    // tcf is what the TCF API says (null without one).
    tcf: tcf,
    // click clicks the first visible element of selectors, in the frame
    // frame selects when it is set.
    click: (selectors, frame) => {
      let root = document;
      if (frame) {
        const f = deep(frame);
        if (!f) return { ok: false, why: "frame " + frame + " not found" };
        let doc = null;
        try { doc = f.contentDocument; } catch (e) { doc = null; }
        if (!doc) return { ok: false, crossOrigin: true, why: "frame " + frame + " is cross-origin" };
        root = doc;
      }
      for (const sel of selectors) {
        const el = deep(sel, root);
        if (visible(el)) {
          el.scrollIntoView({ block: "center" });
          el.click();
          return { ok: true, selector: sel, url: location.origin + location.pathname };
        }
      }
      return { ok: false, why: "no visible button matches " + selectors.join(", ") };
    },
    // state is what shows a choice took: the TC string and whether a
    // banner selector is still visible.
    state: async (banner) => {
      const t = await tcf();
      return { tcString: t ? t.tcString : "", shown: (banner || []).some((sel) => visible(deep(sel))) };
    },
  };
}
