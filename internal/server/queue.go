package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/leakwatch/leakwatch/internal/store"
)

// ScanFunc runs one scan: it visits (or reads) the targets the request
// names and returns the report JSON and, when kept, the HAR. The scan is
// already running in the store; ctx ends when the scan is cancelled or
// the server stops.
type ScanFunc func(ctx context.Context, scan store.Scan, req ScanRequest) (store.Result, error)

// InlineOptions tune an InlineQueue.
type InlineOptions struct {
	// Sessions bounds the scans running at once; 0 means 1.
	Sessions int
	Logger   *slog.Logger
	// OnChange is told each state a scan enters.
	OnChange func(scanID int64, state store.State)
}

// InlineQueue runs scans in this process, at most Sessions at once. Its
// queue is the store: a scan left queued or running by a stop or a crash
// is picked up again by Resume.
type InlineQueue struct {
	st   store.Scans
	run  ScanFunc
	opts InlineOptions
	sem  chan struct{}

	mu      sync.Mutex
	cancels map[int64]context.CancelFunc
	stopped bool
	base    context.Context
	stop    context.CancelFunc
	wg      sync.WaitGroup
}

// NewInlineQueue returns a queue running scans through run.
func NewInlineQueue(st store.Scans, run ScanFunc, opts InlineOptions) *InlineQueue {
	if opts.Sessions <= 0 {
		opts.Sessions = 1
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.OnChange == nil {
		opts.OnChange = func(int64, store.State) {}
	}
	base, stop := context.WithCancel(context.Background())
	return &InlineQueue{st: st, run: run, opts: opts, sem: make(chan struct{}, opts.Sessions),
		cancels: map[int64]context.CancelFunc{}, base: base, stop: stop}
}

// Enqueue starts the scan as soon as a session is free.
func (q *InlineQueue) Enqueue(_ context.Context, scanID int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return errors.New("queue stopped")
	}
	if _, ok := q.cancels[scanID]; ok {
		return nil // already queued here
	}
	ctx, cancel := context.WithCancel(q.base)
	q.cancels[scanID] = cancel
	q.wg.Add(1)
	go q.work(ctx, scanID)
	return nil
}

// Cancel stops the scan if this queue holds it.
func (q *InlineQueue) Cancel(_ context.Context, scanID int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if cancel, ok := q.cancels[scanID]; ok {
		cancel()
	}
	return nil
}

// Depth is the number of scans waiting or running.
func (q *InlineQueue) Depth() (waiting, running int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.cancels) - len(q.sem), len(q.sem)
}

// Resume enqueues the scans the store holds as queued or running, oldest
// first.
func (q *InlineQueue) Resume(ctx context.Context) error {
	var ids []int64
	for _, st := range []store.State{store.Running, store.Queued} {
		p := store.Page{Limit: store.MaxLimit}
		for {
			scans, err := q.st.ListScans(ctx, st, p)
			if err != nil {
				return fmt.Errorf("resume scans: %w", err)
			}
			for _, s := range scans {
				ids = append(ids, s.ID)
			}
			if len(scans) < p.Limit {
				break
			}
			p.After = scans[len(scans)-1].ID
		}
	}
	for i := len(ids) - 1; i >= 0; i-- { // listings are newest first
		if err := q.Enqueue(ctx, ids[i]); err != nil {
			return err
		}
	}
	return nil
}

// Stop refuses new scans, waits for those in flight until ctx ends, then
// cancels them; they stay queued or running in the store for Resume.
func (q *InlineQueue) Stop(ctx context.Context) error {
	q.mu.Lock()
	q.stopped = true
	q.mu.Unlock()
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	q.stop()
	<-done
	return nil
}

func (q *InlineQueue) work(ctx context.Context, id int64) {
	defer q.wg.Done()
	defer func() {
		q.mu.Lock()
		q.cancels[id]()
		delete(q.cancels, id)
		q.mu.Unlock()
	}()
	select {
	case q.sem <- struct{}{}:
		defer func() { <-q.sem }()
	case <-ctx.Done():
		return
	}
	if err := q.runScan(ctx, id); err != nil {
		q.opts.Logger.Error("scan failed", "scan", id, "err", err)
	}
}

// runScan takes a scan from queued to a final state.
func (q *InlineQueue) runScan(ctx context.Context, id int64) error {
	sc, err := q.st.StartScan(ctx, id)
	if errors.Is(err, store.ErrConflict) {
		return nil // finished or cancelled meanwhile
	}
	if err != nil {
		return err
	}
	q.opts.OnChange(id, store.Running)
	var req ScanRequest
	if err := json.Unmarshal(sc.Options, &req); err != nil {
		return q.end(id, store.Failed, fmt.Sprintf("stored options unreadable: %v", err))
	}
	if q.run == nil {
		return q.end(id, store.Failed, "this server has no scanner")
	}
	res, err := q.run(ctx, sc, req)
	if ctx.Err() != nil {
		if q.base.Err() != nil {
			return nil // the server stops: left running, resumed on restart
		}
		return q.end(id, store.Cancelled, "cancelled")
	}
	if err != nil {
		return q.end(id, store.Failed, err.Error())
	}
	stored, err := q.st.FinishScan(context.WithoutCancel(ctx), id, res)
	if errors.Is(err, store.ErrConflict) {
		return nil // cancelled while it ran: the result is dropped
	}
	if err != nil {
		return fmt.Errorf("store scan %d: %w", id, err)
	}
	if stored {
		q.opts.OnChange(id, store.Done)
	}
	return nil
}

func (q *InlineQueue) end(id int64, state store.State, reason string) error {
	if cur, err := q.st.Scan(context.Background(), id); err == nil && cur.State.Final() {
		return nil // cancelled through the API: already ended and announced
	}
	_, err := q.st.EndScan(context.Background(), id, state, reason)
	if errors.Is(err, store.ErrConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("end scan %d: %w", id, err)
	}
	q.opts.OnChange(id, state)
	return nil
}
