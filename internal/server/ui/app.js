// leakwatch web UI: plain DOM, no external assets. Everything shown is set
// with textContent, never parsed as HTML.
"use strict";

const state = { csrf: "", token: null, stream: null };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) e.append(k instanceof Node ? k : document.createTextNode(String(k ?? "")));
  return e;
}

function show(...kids) {
  const main = document.getElementById("main");
  main.replaceChildren(...kids);
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opts.headers["X-CSRF-Token"] = state.csrf;
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  if (res.status === 401) { state.token = null; loginView(); throw new Error("please log in"); }
  const type = res.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await res.json() : await res.text();
  if (!res.ok) throw new Error((data && data.error) || res.statusText);
  return data;
}

function errorBox(err) { return el("p", { class: "error", role: "alert" }, String(err.message || err)); }

function when(t) { return t ? new Date(t).toLocaleString() : ""; }

function stateCell(s) { return el("span", { class: "state-" + s.state }, s.state); }

function loginView() {
  document.getElementById("nav").hidden = true;
  const input = el("input", { type: "password", name: "token", id: "token", autocomplete: "current-password", required: true });
  const msg = el("div");
  const form = el("form", { id: "login", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const res = await fetch("/api/session", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: input.value }) });
      const data = await res.json();
      if (!res.ok) throw new Error(data.error || res.statusText);
      loggedIn(data);
      location.hash = "#/";
      route();
    } catch (err) { msg.replaceChildren(errorBox(err)); }
  } }, el("label", {}, "API token", el("span", {}, "printed by leakwatch serve on first start, or made with 'leakwatch serve token create'"), input),
    el("button", { type: "submit" }, "Log in"), msg);
  show(el("h1", {}, "Log in"), form);
}

function loggedIn(s) {
  state.csrf = s.csrf;
  state.token = s.token;
  document.getElementById("nav").hidden = false;
  document.getElementById("who").textContent = s.token.name + " (" + s.token.role + ")";
  document.getElementById("nav-tokens").hidden = s.token.role !== "admin";
}

async function sitesView() {
  const data = await api("GET", "/api/sites?limit=200");
  const rows = data.items.map((s) => el("tr", {},
    el("td", {}, el("a", { href: "#/sites/" + s.id }, s.name || s.url)),
    el("td", {}, s.url), el("td", {}, s.schedule || "—"), el("td", {}, when(s.created))));
  show(el("h1", {}, "Sites"),
    el("div", { class: "actions" }, el("a", { href: "#/scan" }, "Scan a site")),
    rows.length ? el("table", { id: "sites" }, el("tr", {}, el("th", {}, "Site"), el("th", {}, "URL"),
      el("th", {}, "Schedule"), el("th", {}, "Added")), rows) : el("p", {}, "No site yet: scan one."));
}

async function siteView(id) {
  const [site, hist] = await Promise.all([api("GET", "/api/sites/" + id), api("GET", "/api/sites/" + id + "/scans?limit=200")]);
  const picked = [];
  const diffBtn = el("button", { type: "button", disabled: true, id: "diff", onclick: () => {
    const [a, b] = picked.slice().sort((x, y) => x - y);
    location.hash = "#/diff/" + a + "/" + b;
  } }, "Diff the two chosen scans");
  const rows = hist.items.map((s) => {
    const box = el("input", { type: "checkbox", "aria-label": "choose scan " + s.id, disabled: s.state !== "done", onchange: (ev) => {
      if (ev.target.checked) picked.push(s.id); else picked.splice(picked.indexOf(s.id), 1);
      diffBtn.disabled = picked.length !== 2;
    } });
    return el("tr", {}, el("td", {}, box), el("td", {}, el("a", { href: "#/scans/" + s.id }, "#" + s.id)),
      el("td", {}, stateCell(s)), el("td", {}, when(s.created)), el("td", {}, s.error || ""));
  });
  show(el("h1", {}, site.name || site.url), el("p", {}, site.url),
    el("div", { class: "actions" }, el("a", { href: "#/scan?site=" + site.id }, "Scan again"), diffBtn),
    el("table", { id: "history" }, el("tr", {}, el("th", {}, ""), el("th", {}, "Scan"), el("th", {}, "State"),
      el("th", {}, "Submitted"), el("th", {}, "Error")), rows));
  if (state.token.role === "admin") document.getElementById("main").append(await notifySection(site.id));
}

// notifySection lists a site's notification targets (their URL path,
// secret and addresses are never sent back) and adds or removes them.
async function notifySection(siteID) {
  const base = "/api/sites/" + siteID + "/notifications";
  const data = await api("GET", base);
  const section = el("section", { id: "notify" });
  const redraw = async () => section.replaceWith(await notifySection(siteID));
  const rows = data.items.map((t) => el("tr", {}, el("td", {}, t.kind), el("td", {}, t.label),
    el("td", {}, t.kind === "webhook" ? (t.signed ? "signed" : "unsigned") : ""),
    el("td", {}, el("button", { type: "button", class: "secondary", onclick: async () => {
      if (!confirm("Remove this " + t.kind + " target?")) return;
      try { await api("DELETE", base + "/" + t.id); await redraw(); } catch (err) { section.append(errorBox(err)); }
    } }, "Remove"))));
  const f = {
    kind: el("select", { name: "kind", id: "notify-kind" }, [["webhook", "webhook (signed JSON)"], ["slack", "Slack-compatible webhook"], ["email", "email"]].map(([v, l]) => el("option", { value: v }, l))),
    url: el("input", { type: "url", name: "url", id: "notify-url", placeholder: "https://hooks.example.com/…" }),
    secret: el("input", { type: "password", name: "secret", id: "notify-secret", autocomplete: "new-password", placeholder: "16 to 256 characters" }),
    emails: el("input", { name: "emails", id: "notify-emails", placeholder: "dpo@example.com, security@example.com" }),
  };
  const msg = el("div");
  const form = el("form", { id: "notify-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { kind: f.kind.value };
    if (body.kind === "email") body.emails = f.emails.value.split(",").map((s) => s.trim()).filter(Boolean);
    else body.url = f.url.value;
    if (body.kind === "webhook" && f.secret.value) body.secret = f.secret.value;
    try { await api("POST", base, body); await redraw(); } catch (err) { msg.replaceChildren(errorBox(err)); }
  } }, el("label", {}, "Kind", f.kind),
    el("label", {}, "URL", el("span", {}, "webhook and Slack: where to POST; stored encrypted, never shown again"), f.url),
    el("label", {}, "Signing secret", el("span", {}, "webhook: the HMAC-SHA256 key of the X-Leakwatch-Signature header"), f.secret),
    el("label", {}, "Email addresses", el("span", {}, "email: comma-separated; messages go to the server's outbox"), f.emails),
    el("button", { type: "submit" }, "Add target"), msg);
  section.append(el("h2", {}, "Notifications"),
    el("p", {}, "Sent when a finished scan shows a new company, a new data kind or a new consent conflict against the site's baseline or previous scan."),
    rows.length ? el("table", { id: "notify-targets" }, el("tr", {}, el("th", {}, "Kind"), el("th", {}, "Target"), el("th", {}, ""), el("th", {}, "")), rows)
      : el("p", {}, "No notification target."), form);
  return section;
}

// personasView lists the stored personas by name; admins add, replace and
// delete them. A persona's values are write-only: never sent back.
async function personasView() {
  const data = await api("GET", "/api/personas");
  const admin = state.token.role === "admin";
  const msg = el("div");
  const rows = data.items.map((n) => el("tr", {}, el("td", {}, n), el("td", {}, admin ? el("button", { type: "button", class: "secondary", onclick: async () => {
    if (!confirm("Delete persona " + n + "?")) return;
    try { await api("DELETE", "/api/personas/" + encodeURIComponent(n)); await personasView(); } catch (err) { msg.replaceChildren(errorBox(err)); }
  } }, "Delete") : "")));
  const kids = [el("h1", {}, "Personas"),
    el("p", {}, "Test identities a scan types into forms and looks for in what the site sends. Stored encrypted; their values are never shown again."),
    rows.length ? el("table", { id: "personas" }, el("tr", {}, el("th", {}, "Name"), el("th", {}, "")), rows) : el("p", {}, "No persona yet."), msg];
  if (admin) {
    const name = el("input", { name: "name", id: "persona-name", required: true, pattern: "[A-Za-z0-9._-]+", placeholder: "jane" });
    const body = el("textarea", { name: "persona", id: "persona-body", required: true, autocomplete: "off", spellcheck: "false",
      placeholder: "email: jane.doe@example.com\nphone: +1 555 0100\nname: Jane Doe" });
    kids.push(el("h2", {}, "Add or replace a persona"), el("form", { id: "persona-form", onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const res = await fetch("/api/personas/" + encodeURIComponent(name.value), { method: "PUT", credentials: "same-origin",
          headers: { "X-CSRF-Token": state.csrf, "Content-Type": "application/yaml" }, body: body.value });
        if (!res.ok) throw new Error((await res.json()).error || res.statusText);
        body.value = "";
        await personasView();
      } catch (err) { msg.replaceChildren(errorBox(err)); }
    } }, el("label", {}, "Name", name),
      el("label", {}, "Persona file", el("span", {}, "YAML or JSON, as --persona takes; replaces a persona of the same name"), body),
      el("button", { type: "submit" }, "Store persona")));
  }
  show(...kids);
}

async function submitView(siteID) {
  const personas = await api("GET", "/api/personas");
  const f = {
    url: el("input", { type: "url", name: "url", id: "url", placeholder: "https://www.example.com/", required: !siteID }),
    persona: el("select", { name: "persona" }, el("option", { value: "" }, "none"), personas.items.map((p) => el("option", { value: p }, p))),
    consent: el("select", { name: "consent" }, ["", "none", "reject", "accept"].map((c) => el("option", { value: c }, c || "leave banners alone"))),
    steps: el("textarea", { name: "steps", placeholder: "steps file (JSON or YAML), optional" }),
    policy: el("textarea", { name: "policy", placeholder: "policy file (YAML or JSON), optional" }),
  };
  const msg = el("div");
  const form = el("form", { id: "submit", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { persona: f.persona.value, consent: f.consent.value, steps: f.steps.value, policy: f.policy.value };
    if (f.url.value) body.urls = [f.url.value];
    if (siteID) body.site_id = Number(siteID);
    try {
      const scan = await api("POST", "/api/scans", body);
      location.hash = "#/scans/" + scan.id;
    } catch (err) { msg.replaceChildren(errorBox(err)); }
  } }, el("label", {}, "URL", siteID ? el("span", {}, "empty: the site's own URL") : "", f.url),
    el("label", {}, "Persona", el("span", {}, "a stored test identity to look for"), f.persona),
    el("label", {}, "Consent banners", f.consent), el("label", {}, "Steps", f.steps), el("label", {}, "Policy", f.policy),
    el("button", { type: "submit" }, "Start scan"), msg);
  show(el("h1", {}, "New scan"), form);
}

function scanView(id) {
  const status = el("p", { id: "scan-state" }, "connecting…");
  const log = el("ol", { class: "events" });
  const links = el("div", { class: "actions", id: "scan-links" });
  const cancel = el("button", { type: "button", class: "secondary", id: "cancel", onclick: async () => {
    try { await api("POST", "/api/scans/" + id + "/cancel"); } catch (err) { links.append(errorBox(err)); }
  } }, "Cancel");
  show(el("h1", {}, "Scan #" + id), status, links, log);
  const es = new EventSource("/api/scans/" + id + "/events");
  state.stream = es;
  es.addEventListener("state", (ev) => {
    const s = JSON.parse(ev.data);
    status.replaceChildren("State: ", stateCell(s), s.error ? " — " + s.error : "");
    log.append(el("li", {}, when(new Date().toISOString()) + ": " + s.state));
    links.replaceChildren();
    if (s.site_id) links.append(el("a", { href: "#/sites/" + s.site_id }, "Site history"));
    if (s.state === "queued" || s.state === "running") links.append(cancel);
    if (s.state === "done") {
      links.append(el("a", { href: "/api/scans/" + id + "/report.html", target: "_blank", rel: "noopener", id: "report-link" }, "Open the report"),
        el("a", { href: "/api/scans/" + id + "/report.json" }, "JSON"),
        el("a", { href: "/api/scans/" + id + "/evidence" }, "Evidence bundle"));
    }
  });
  es.addEventListener("end", () => es.close());
  es.onerror = () => { if (es.readyState === EventSource.CLOSED) status.append(" (stream closed)"); };
}

async function diffView(a, b) {
  const text = await api("GET", "/api/diff?format=text&old=" + encodeURIComponent(a) + "&new=" + encodeURIComponent(b));
  show(el("h1", {}, "Scan #" + a + " → scan #" + b), el("pre", { id: "diff-text" }, text || "No change."));
}

async function tokensView() {
  const data = await api("GET", "/api/tokens");
  const secret = el("div");
  const name = el("input", { name: "name", required: true, placeholder: "who or what uses it" });
  const role = el("select", { name: "role" }, ["read", "scan", "admin"].map((r) => el("option", { value: r }, r)));
  const form = el("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const t = await api("POST", "/api/tokens", { name: name.value, role: role.value });
      await tokensView();
      document.getElementById("main").prepend(el("p", {}, "New token (shown once):"), el("p", { class: "secret" }, t.secret));
    } catch (err) { secret.replaceChildren(errorBox(err)); }
  } }, el("label", {}, "Name", name), el("label", {}, "Role", role), el("button", { type: "submit" }, "Create token"), secret);
  const rows = data.items.map((t) => el("tr", {}, el("td", {}, t.name), el("td", {}, t.role), el("td", {}, when(t.created)),
    el("td", {}, t.revoked ? "revoked " + when(t.revoked) : el("button", { type: "button", class: "secondary", onclick: async () => {
      if (!confirm("Revoke " + t.name + "?")) return;
      await api("DELETE", "/api/tokens/" + t.id);
      tokensView();
    } }, "Revoke"))));
  show(el("h1", {}, "API tokens"), el("table", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "Role"),
    el("th", {}, "Created"), el("th", {}, "")), rows), el("h1", {}, "New token"), form);
}

async function route() {
  if (state.stream) { state.stream.close(); state.stream = null; }
  if (!state.token) return;
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const parts = path.split("/").filter(Boolean);
  try {
    if (parts.length === 0) await sitesView();
    else if (parts[0] === "sites" && parts[1]) await siteView(parts[1]);
    else if (parts[0] === "scan") await submitView(new URLSearchParams(query).get("site"));
    else if (parts[0] === "scans" && parts[1]) scanView(parts[1]);
    else if (parts[0] === "diff" && parts[2]) await diffView(parts[1], parts[2]);
    else if (parts[0] === "tokens") await tokensView();
    else if (parts[0] === "personas") await personasView();
    else show(el("p", {}, "Nothing here."));
  } catch (err) {
    if (state.token) show(errorBox(err));
  }
}

document.getElementById("logout").addEventListener("click", async () => {
  try { await api("DELETE", "/api/session"); } catch (_) { /* logged out anyway */ }
  state.token = null;
  loginView();
});
window.addEventListener("hashchange", route);
(async () => {
  try {
    const res = await fetch("/api/session", { credentials: "same-origin" });
    if (!res.ok) return loginView();
    loggedIn(await res.json());
    route();
  } catch (_) { loginView(); }
})();
