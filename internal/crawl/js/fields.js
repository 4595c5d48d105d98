// Describes the visible, editable text fields of the page in DOM order and
// tags each with a data attribute so it can be addressed by a selector.
() => {
  const skip = new Set(["hidden", "submit", "button", "checkbox", "radio", "file", "image",
    "reset", "password", "range", "color"]);
  const out = [];
  let n = 0;
  for (const el of document.querySelectorAll("input, textarea")) {
    const type = (el.getAttribute("type") || "text").toLowerCase();
    if (skip.has(type) || el.disabled || el.readOnly) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || style.display === "none") continue;
    let label = "";
    if (el.labels && el.labels.length) label = el.labels[0].textContent || "";
    n++;
    el.setAttribute("data-leakwatch-field", String(n));
    out.push({
      selector: '[data-leakwatch-field="' + n + '"]',
      type: type,
      autocomplete: el.getAttribute("autocomplete") || "",
      name: el.getAttribute("name") || "",
      id: el.id || "",
      placeholder: el.getAttribute("placeholder") || "",
      label: (label + " " + (el.getAttribute("aria-label") || "")).trim(),
      filled: (el.value || "") !== "",
      form: el.form ? Array.prototype.indexOf.call(document.forms, el.form) : -1,
    });
  }
  return out;
}
