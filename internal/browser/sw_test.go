package browser_test

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// A request a service worker answered itself is recorded from the page,
// marked as such, so analysis can tell it never reached the network.
func TestServiceWorkerAnswerIsMarked(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", true, "/sw-answer.html")
	r, c := waitRequest(t, tab, "request answered by the service worker", func(r *traffic.Request) bool {
		return urlHas("via=sw-answer")(r) && r.Target == "page" && r.Response != nil
	})
	if !r.Response.FromServiceWorker {
		t.Errorf("page request answered by the worker is not marked: %+v", r.Response)
	}
	for _, q := range c.Requests {
		if urlHas("via=sw-answer")(q) && q.Target == "service_worker" {
			t.Errorf("the worker answered without the network, yet a worker request was recorded: %s", q.URL)
		}
	}
	for _, h := range env.Server.Hits("/collect") {
		if h.Query == "via=sw-answer" {
			t.Errorf("the server saw the request the worker answered: %+v", h)
		}
	}
}
