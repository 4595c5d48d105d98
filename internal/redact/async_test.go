package redact

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestTeeLearnsAsInLine: the Tee, learning on its own goroutine, learns
// exactly the secrets and first parties the learner learns in line, on
// every real HAR and real-world capture, and passes every piece on
// unchanged and in order.
func TestTeeLearnsAsInLine(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{"har", "realworld"} {
		names, err := filepath.Glob(filepath.Join(sharedtest.Path(t, dir), "*.har*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, names...)
	}
	if len(files) == 0 {
		t.Fatal("no capture found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), f, har.Options{})
			if err != nil {
				t.Skip("unreadable: ", err)
			}
			inLine := NewRedactor(Options{})
			if err := c.Visit(inLine.Learner()); err != nil {
				t.Fatal(err)
			}
			async := NewRedactor(Options{})
			var seen traffic.Collector
			if err := c.Visit(async.Tee(&seen)); err != nil {
				t.Fatal(err)
			}
			async.settle()
			if !reflect.DeepEqual(async.r.secrets, inLine.r.secrets) || !reflect.DeepEqual(async.r.firstParty, inLine.r.firstParty) {
				t.Errorf("Tee learned %d secrets and %d first parties, the learner in line %d and %d",
					len(async.r.secrets), len(async.r.firstParty), len(inLine.r.secrets), len(inLine.r.firstParty))
			}
			if len(seen.Capture.Requests) != len(c.Requests) {
				t.Errorf("Tee passed on %d requests of %d", len(seen.Capture.Requests), len(c.Requests))
			}
		})
	}
}

// TestTeeBounded: a learner slower than the reader holds the reader back
// once asyncBytes are queued, so the queue never holds more than that (plus
// one piece).
func TestTeeBounded(t *testing.T) {
	t.Parallel()
	a := &asyncLearner{ch: make(chan piece, asyncPieces), done: make(chan struct{})}
	a.room = sync.NewCond(&a.mu)
	var mu sync.Mutex
	most := int64(0)
	body := []byte(strings.Repeat("x", 8<<20))
	go func() { // a learner that never learns: only counts what waits
		defer close(a.done)
		for p := range a.ch {
			a.mu.Lock()
			mu.Lock()
			most = max(most, a.pending)
			mu.Unlock()
			a.pending -= p.size
			a.room.Broadcast()
			a.mu.Unlock()
		}
	}()
	for range 64 {
		q := &traffic.Request{URL: "https://x.example/", Body: body}
		a.send(piece{req: q, size: requestSize(q)})
	}
	a.stop()
	if most > asyncBytes+int64(len(body))+64 {
		t.Errorf("%d bytes queued at most, want at most %d", most, asyncBytes)
	}
}
