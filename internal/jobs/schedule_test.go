package jobs

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

func TestParseSchedule(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		text, from, next string
		err              string
	}{
		{"0 2 * * *", "2026-12-06T10:00:00Z", "2026-12-07T02:00:00Z", ""},
		{"*/15 * * * *", "2026-12-06T10:07:00Z", "2026-12-06T10:15:00Z", ""},
		{"30 3 * * 1", "2026-12-06T10:00:00Z", "2026-12-07T03:30:00Z", ""}, // a Sunday; next Monday
		{"@daily", "2026-12-06T10:00:00Z", "2026-12-07T00:00:00Z", ""},
		{"@hourly", "2026-12-06T10:00:00Z", "2026-12-06T11:00:00Z", ""},
		{"@every 6h", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", ""},
		{"CRON_TZ=Europe/Paris 0 2 * * *", "2026-12-06T10:00:00Z", "2026-12-07T01:00:00Z", ""},
		{"TZ=Asia/Tokyo @daily", "2026-12-06T10:00:00Z", "2026-12-06T15:00:00Z", ""},
		{"@every 30s", "", "", "under 1m0s"},
		{"TZ=", "", "", "invalid schedule"},
		{"CRON_TZ=Nowhere/City 0 2 * * *", "", "", "invalid schedule"},
		{"0 2 * *", "", "", "invalid schedule"},
		{"61 * * * *", "", "", "invalid schedule"},
		{"0 0 2 * * *", "", "", "invalid schedule"}, // six fields: seconds are not offered
		{"", "", "", "invalid schedule"},
		{"@reboot", "", "", "invalid schedule"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			s, err := ParseSchedule(tt.text)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseSchedule(%q) = %v, want error containing %q", tt.text, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(at(tt.from)).UTC(); !got.Equal(at(tt.next)) {
				t.Errorf("Next(%s) = %s, want %s", tt.from, got.Format(time.RFC3339), tt.next)
			}
		})
	}
}

func TestScheduleLatest(t *testing.T) {
	t.Parallel()
	s, err := ParseSchedule("@every 1h")
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		from, to time.Duration
		want     time.Duration
		ok       bool
	}{
		{-time.Hour, 0, 0, true}, // a slot exactly at "to" is due
		{-90 * time.Minute, 30 * time.Minute, 0, true},
		{time.Minute, 59 * time.Minute, 0, false},
		{-3 * time.Hour, -time.Minute, -time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := s.Latest(base.Add(tt.from), base.Add(tt.to))
		if ok != tt.ok || (ok && !got.Equal(base.Add(tt.want))) {
			t.Errorf("Latest(%s, %s) = %s %v, want %s %v", tt.from, tt.to, got, ok, tt.want, tt.ok)
		}
	}
	// Slots of @every are the same whatever the tick's time.
	a, _ := s.Latest(base.Add(-time.Hour+7*time.Second), base.Add(7*time.Second))
	b, _ := s.Latest(base.Add(-time.Hour+41*time.Second), base.Add(41*time.Second))
	if !a.Equal(b) {
		t.Errorf("two ticks see slots %s and %s", a, b)
	}
}

// TestSchedulerTwoServers runs two runners ("servers") ticking often on one
// database: each due slot of each site becomes exactly one scan.
func TestSchedulerTwoServers(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, dsn string) {
		st := openStore(t, dsn)
		ctx := context.Background()
		nightly := newSite(t, st, "https://nightly.example/")
		nightly.Schedule = "0 2 * * *"
		hourly := newSite(t, st, "https://hourly.example/")
		hourly.Schedule = "@hourly"
		none := newSite(t, st, "https://none.example/")
		for _, s := range []store.Site{nightly, hourly} {
			if _, err := st.UpdateSite(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		// The clock says 02:30 tomorrow: both sites have a due slot
		// (02:00), created after them.
		now := time.Now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + 150*time.Minute)
		cfg := fastConfig()
		cfg.ScheduleTick, cfg.ScheduleLookback = 100*time.Millisecond, 3*time.Hour
		cfg.Now = func() time.Time { return now }
		hs := newHARScan(t)
		scan := func(ctx context.Context, s ScanSpec) (Result, error) {
			s.Options = json.RawMessage(`{"har":"pagexray-http2-firefox.har"}`)
			return hs.Scan(ctx, s)
		}
		for range 2 {
			startRunner(t, dsn, st, scan, cfg)
		}
		for _, s := range []store.Site{nightly, hourly} {
			waitScans(t, st, s.ID, 1, 60*time.Second)
		}
		time.Sleep(2 * time.Second) // many more ticks of both
		for _, tt := range []struct {
			site store.Site
			want int
			slot string
		}{{nightly, 1, "02:00"}, {hourly, 1, "02:00"}, {none, 0, ""}} {
			scans, err := st.History(ctx, tt.site.ID, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(scans) != tt.want {
				t.Fatalf("site %s has %d scans, want %d", tt.site.URL, len(scans), tt.want)
			}
			for _, sc := range scans {
				var o slotOptions
				if err := json.Unmarshal(sc.Options, &o); err != nil || o.Slot.Format("15:04") != tt.slot {
					t.Errorf("scan options %s, want slot %s", sc.Options, tt.slot)
				}
				if got := waitState(t, st, sc.ID, 30*time.Second); got.State != store.Done {
					t.Errorf("scheduled scan %d = %s (%s)", sc.ID, got.State, got.Error)
				}
			}
		}
	})
}

// waitScans waits until a site has at least n scans.
func waitScans(t *testing.T, st store.Store, siteID int64, n int, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		scans, err := st.History(context.Background(), siteID, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(scans) >= n {
			return
		}
	}
	t.Fatalf("site %d has fewer than %d scans after %s", siteID, n, timeout)
}
