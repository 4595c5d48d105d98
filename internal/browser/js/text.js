// Reports whether the page's visible text contains a string.
(text) => !!document.body && (document.body.innerText || "").includes(text)
