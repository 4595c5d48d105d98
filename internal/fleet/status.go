package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Status is a run's progress.
type Status struct {
	Run store.Run
	// Done and Failed count stored results; Running the sites workers are
	// on; Pending the rest.
	Total, Done, Failed, Running, Pending int
	// PerMinute is the rate of results over the last StatusWindow (or
	// since the run began, when younger).
	PerMinute float64
	// ETA is the time left at that rate; 0 when unknown or finished.
	ETA     time.Duration
	Workers []store.WorkerStats
	// First and Last are the times of the first and last result.
	First, Last time.Time
}

// Finished reports whether every site has a result.
func (s Status) Finished() bool { return s.Done+s.Failed >= s.Total }

// StatusWindow is how far back Status measures the rate of results.
const StatusWindow = 5 * time.Minute

// staleMark is how old a crawling mark may be before its worker is taken
// for dead: longer than any site budget.
const staleMark = 30 * time.Minute

// RunStatus reads a run's progress as of now. An active run whose every
// site has a result is marked finished on the way.
func RunStatus(ctx context.Context, st store.Crawls, runID int64, now time.Time) (Status, error) {
	run, err := st.Run(ctx, runID)
	if err != nil {
		return Status{}, fmt.Errorf("fleet: %w", err)
	}
	since := now.Add(-StatusWindow)
	if run.Created.After(since) {
		since = run.Created
	}
	fs, err := st.FleetStats(ctx, runID, since, now.Add(-staleMark))
	if err != nil {
		return Status{}, fmt.Errorf("fleet: %w", err)
	}
	s := Status{Run: run, Total: fs.Total, Done: fs.Done, Failed: fs.Failed, Running: fs.Running,
		Workers: fs.Workers, First: fs.First, Last: fs.Last}
	s.Pending = max(0, s.Total-s.Done-s.Failed-s.Running)
	if s.Finished() && run.State == store.RunActive {
		// Every site has a result, but the count workers keep missed one
		// (a worker died between storing and counting): finish it here.
		if done, err := st.FinishRunIfComplete(ctx, runID); err == nil && done {
			s.Run.State = store.RunFinished
		}
	}
	if mins := now.Sub(since).Minutes(); mins > 0 && fs.Recent > 0 {
		s.PerMinute = float64(fs.Recent) / mins
	}
	if left := s.Total - s.Done - s.Failed; left > 0 && s.PerMinute > 0 {
		s.ETA = time.Duration(float64(left) / s.PerMinute * float64(time.Minute))
	}
	return s, nil
}

// Pause stops workers from starting the run's sites (sites running go on);
// Resume lets them start again; Cancel ends the run: its remaining jobs
// are cancelled as workers meet them.
func Pause(ctx context.Context, st store.Crawls, runID int64) (store.Run, error) {
	return setState(ctx, st, runID, store.RunPaused, store.RunActive)
}

// Resume lets workers start a paused run's sites again.
func Resume(ctx context.Context, st store.Crawls, runID int64) (store.Run, error) {
	return setState(ctx, st, runID, store.RunActive, store.RunPaused)
}

// Cancel ends an active or paused run.
func Cancel(ctx context.Context, st store.Crawls, runID int64) (store.Run, error) {
	return setState(ctx, st, runID, store.RunCancelled, store.RunActive, store.RunPaused)
}

func setState(ctx context.Context, st store.Crawls, runID int64, to store.RunState, from ...store.RunState) (store.Run, error) {
	run, err := st.Run(ctx, runID)
	if err != nil {
		return store.Run{}, fmt.Errorf("fleet: %w", err)
	}
	if run.State == to {
		return run, nil
	}
	ok := false
	for _, f := range from {
		ok = ok || run.State == f
	}
	if !ok {
		return run, fmt.Errorf("fleet: run %d is %s, cannot become %s: %w", runID, run.State, to, store.ErrConflict)
	}
	run, err = st.SetRunState(ctx, runID, to)
	if err != nil {
		return run, fmt.Errorf("fleet: %w", err)
	}
	return run, nil
}
