package browser

import (
	"strings"
	"testing"
)

func TestUndecodableEventsAreReported(t *testing.T) {
	t.Parallel()
	c := &Context{}
	var ev struct {
		RequestID string `json:"requestId"`
	}
	if !c.decode("onRequest", []byte(`{"requestId":"1"}`), &ev) || ev.RequestID != "1" {
		t.Fatal("a good event did not decode")
	}
	for range 3 {
		if c.decode("onRequest", []byte(`{"requestId":7}`), &ev) {
			t.Fatal("a bad event decoded")
		}
	}
	c.decode("onData", []byte(`{`), &ev)
	w := c.events.warnings()
	if len(w) != 2 || !strings.HasPrefix(w[0], "1 browser event(s) for onData") ||
		!strings.HasPrefix(w[1], "3 browser event(s) for onRequest") {
		t.Errorf("warnings %q", w)
	}
}
