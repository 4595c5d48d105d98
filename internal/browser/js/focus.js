// Focuses the element matching a selector, with the caret at the end.
(sel) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  el.scrollIntoView({block: "center"});
  el.focus();
  if (typeof el.setSelectionRange === "function" && typeof el.value === "string") {
    try { el.setSelectionRange(el.value.length, el.value.length); } catch (e) {}
  }
  return document.activeElement === el;
}
