// Lists the absolute http(s) URLs of the page's links, without fragments.
() => {
  const out = new Set();
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    try {
      const u = new URL(a.href, document.baseURI);
      if (u.protocol !== "http:" && u.protocol !== "https:") continue;
      u.hash = "";
      out.add(u.href);
    } catch (e) {}
  }
  return Array.from(out);
}
