// Submits the form of the element matching a selector (or the form itself)
// the way a user's click on its submit button would.
(sel) => {
  const el = document.querySelector(sel);
  if (!el) return "no element matches";
  const form = el.form || el.closest("form") || (el.tagName === "FORM" ? el : null);
  if (!form) return "no form around the element";
  setTimeout(() => {
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
  }, 0);
  return "";
}
