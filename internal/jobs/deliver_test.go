package jobs

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestDeliverStatus calls the delivery worker against a real local server
// answering each status: which answers end the job, retry it or give up.
func TestDeliverStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		url    string // overrides the server's
		want   string // "ok", "retry" or "cancel"
	}{
		{"accepted", http.StatusAccepted, "", "ok"},
		{"server error is retried", http.StatusBadGateway, "", "retry"},
		{"rate limited is retried", http.StatusTooManyRequests, "", "retry"},
		{"client error is final", http.StatusBadRequest, "", "cancel"},
		{"gone is final", http.StatusGone, "", "cancel"},
		{"redirect is not followed", http.StatusFound, "", "cancel"},
		{"non-HTTP scheme", 0, "file:///etc/passwd", "cancel"},
		{"nothing listening is retried", 0, "http://127.0.0.1:1/", "retry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if tt.status == http.StatusFound {
					http.Redirect(w, r, "/elsewhere", tt.status)
					return
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			url := srv.URL + "/hook"
			if tt.url != "" {
				url = tt.url
			}
			r := &Runner{cfg: Config{Targets: func(context.Context, int64) ([]Target, error) {
				return []Target{{URL: url, Secret: []byte("k")}}, nil
			}}.withDefaults()}
			job := &river.Job[deliverArgs]{JobRow: &rivertype.JobRow{ID: 9, Attempt: 1, MaxAttempts: 5},
				Args: deliverArgs{ScanID: 1, SiteID: 1, URL: url, Format: FormatJSON, Body: []byte(`{}`)}}
			err := (&deliverWorker{r: r}).Work(context.Background(), job)
			var cancel *rivertype.JobCancelError
			got := "retry"
			switch {
			case err == nil:
				got = "ok"
			case errors.As(err, &cancel):
				got = "cancel"
			}
			if got != tt.want {
				t.Errorf("Work = %v (%s), want %s", err, got, tt.want)
			}
			if tt.status == http.StatusFound && hits.Load() != 1 {
				t.Errorf("%d requests: the redirect was followed", hits.Load())
			}
		})
	}
}
