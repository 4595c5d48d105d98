// Finds the first element matching a CSS selector, scrolls it into view and
// returns the centre of its box, or null when there is none yet.
(sel) => {
  const el = document.querySelector(sel);
  if (!el) return null;
  el.scrollIntoView({block: "center", inline: "center"});
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const visible = r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  return {x: r.left + r.width / 2, y: r.top + r.height / 2, visible: visible};
}
