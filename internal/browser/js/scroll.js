// Scrolls down a screen at a time, as a reader would, so lazy content loads.
async (steps, pause) => {
  for (let i = 0; i < steps; i++) {
    window.scrollBy(0, window.innerHeight);
    await new Promise((r) => setTimeout(r, pause));
    const el = document.scrollingElement || document.documentElement;
    if (!el || window.innerHeight + window.scrollY >= el.scrollHeight) break;
  }
  return window.scrollY;
}
