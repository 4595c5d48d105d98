self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  if (e.request.url.includes("via=sw-answer")) {
    e.respondWith(new Response("answered by the service worker", {headers: {"Content-Type": "text/plain"}}));
  }
});
