package redact

import (
	"sync"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Bounds of what Tee lets the learner fall behind: pieces queued, and
// their bytes (a piece larger than the byte bound is still queued alone).
const (
	asyncPieces = 256
	asyncBytes  = 16 << 20
)

// asyncLearner runs the learner on a goroutine of its own, so learning a
// capture's secrets (the slowest reader of a request) overlaps reading it
// and analysing it instead of adding to them. Pieces are learned in the
// order they arrive, so what is learned is what the learner would learn
// in line. Senders block while too much is queued: memory stays bounded
// however slow the learner is.
type asyncLearner struct {
	l    learner
	ch   chan piece
	done chan struct{}

	mu      sync.Mutex
	room    *sync.Cond
	pending int64
}

// piece is one page, request or capture end, with its size in bytes.
type piece struct {
	page *traffic.Page
	req  *traffic.Request
	end  *traffic.Capture
	size int64
}

func startAsync(l learner) *asyncLearner {
	a := &asyncLearner{l: l, ch: make(chan piece, asyncPieces), done: make(chan struct{})}
	a.room = sync.NewCond(&a.mu)
	go a.run()
	return a
}

func (a *asyncLearner) run() {
	defer close(a.done)
	for p := range a.ch {
		switch {
		case p.page != nil:
			_ = a.l.Page(p.page)
		case p.req != nil:
			_ = a.l.Request(p.req)
		case p.end != nil:
			_ = a.l.End(p.end)
		}
		a.mu.Lock()
		a.pending -= p.size
		a.room.Broadcast()
		a.mu.Unlock()
	}
}

// send queues p, waiting while the bytes queued would pass asyncBytes.
func (a *asyncLearner) send(p piece) {
	a.mu.Lock()
	for a.pending > 0 && a.pending+p.size > asyncBytes {
		a.room.Wait()
	}
	a.pending += p.size
	a.mu.Unlock()
	a.ch <- p
}

// stop lets the learner finish what is queued and waits for it.
func (a *asyncLearner) stop() {
	close(a.ch)
	<-a.done
}

// requestSize is what a request holds that the learner reads.
func requestSize(q *traffic.Request) int64 {
	n := len(q.URL) + len(q.Body)
	for _, f := range q.WebSocket {
		n += len(f.Data)
	}
	if q.Response != nil {
		n += len(q.Response.Body)
	}
	return int64(n)
}

// asyncTee hands each piece to the learner's goroutine and on to next.
type asyncTee struct {
	a    *asyncLearner
	next traffic.Visitor
}

func (t asyncTee) Page(p *traffic.Page) error {
	t.a.send(piece{page: p, size: int64(len(p.URL))})
	return t.next.Page(p)
}

func (t asyncTee) Request(q *traffic.Request) error {
	t.a.send(piece{req: q, size: requestSize(q)})
	return t.next.Request(q)
}

func (t asyncTee) End(c *traffic.Capture) error {
	t.a.send(piece{end: c})
	return t.next.End(c)
}
