self.addEventListener("install", (e) => {
  e.waitUntil(fetch("/collect?from=sw", {method: "POST", body: "sw-body"}));
});
