package har

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Chrome marks responses a service worker gave; the mark survives a read
// and a write.
func TestFetchedViaServiceWorker(t *testing.T) {
	t.Parallel()
	const in = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
	{"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://a.example/x","headers":[]},
	 "response":{"status":200,"headers":[],"content":{"size":0,"mimeType":"text/plain"},"_fetchedViaServiceWorker":true}},
	{"startedDateTime":"2026-01-01T00:00:01Z","request":{"method":"GET","url":"https://a.example/y","headers":[]},
	 "response":{"status":200,"headers":[],"content":{"size":0,"mimeType":"text/plain"}}}]}}`
	c, err := Read(context.Background(), strings.NewReader(in), Options{Name: "sw.har"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Requests[0].Response.FromServiceWorker || c.Requests[1].Response.FromServiceWorker {
		t.Fatalf("FromServiceWorker = %v, %v; want true, false", c.Requests[0].Response.FromServiceWorker, c.Requests[1].Response.FromServiceWorker)
	}
	var buf bytes.Buffer
	if err := Write(&buf, c, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := Read(context.Background(), &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !back.Requests[0].Response.FromServiceWorker || back.Requests[1].Response.FromServiceWorker {
		t.Error("the mark did not survive a write")
	}
}
