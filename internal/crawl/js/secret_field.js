// Reports whether the focused element takes a secret: a password field,
// or one whose autocomplete names a password or a one-time code. Focus is
// followed into shadow roots and same-origin frames.
(() => {
  let e = document.activeElement;
  try {
    for (let i = 0; i < 16 && e; i++) {
      if (e.shadowRoot && e.shadowRoot.activeElement) {
        e = e.shadowRoot.activeElement;
      } else if (e.contentDocument && e.contentDocument.activeElement) {
        e = e.contentDocument.activeElement;
      } else {
        break;
      }
    }
  } catch (_) {}
  if (!e) return false;
  const type = String(e.type || "").toLowerCase();
  const auto = String((e.getAttribute && e.getAttribute("autocomplete")) || "").toLowerCase().split(/\s+/);
  return type === "password" || auto.some((t) => t === "current-password" || t === "new-password" || t === "one-time-code");
})()
