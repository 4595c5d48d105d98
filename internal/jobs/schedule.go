package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"

	"github.com/leakwatch/leakwatch/internal/store"
)

// ErrSchedule says a site's schedule text cannot be used.
var ErrSchedule = errors.New("invalid schedule")

// MinInterval is the shortest @every interval a schedule may ask for.
const MinInterval = time.Minute

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Schedule is a parsed site schedule: five cron fields (minute hour
// day-of-month month day-of-week) or a descriptor (@hourly, @daily,
// @weekly, @monthly, @yearly, @every 6h), in UTC unless prefixed by
// CRON_TZ=Zone (so that every server reads it the same whatever its TZ).
type Schedule struct {
	text  string
	cron  cron.Schedule
	every time.Duration // set for @every: slots are whole multiples of it (time.Truncate), the same on every server
}

// ParseSchedule parses a site's schedule text.
func ParseSchedule(text string) (Schedule, error) {
	s, err := parseCron(text)
	if err != nil {
		return Schedule{}, fmt.Errorf("%w %q: %w", ErrSchedule, text, err)
	}
	sc := Schedule{text: text, cron: s}
	if d, ok := s.(cron.ConstantDelaySchedule); ok {
		if d.Delay < MinInterval {
			return Schedule{}, fmt.Errorf("%w %q: intervals under %s are not allowed", ErrSchedule, text, MinInterval)
		}
		sc.every = d.Delay
	}
	return sc, nil
}

// parseCron runs the cron parser, which panics on some malformed time
// zone prefixes ("TZ=") in v3.0.1, turning a panic into an error.
func parseCron(text string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("malformed: %v", p)
		}
	}()
	if t := strings.TrimSpace(text); !strings.HasPrefix(t, "CRON_TZ=") && !strings.HasPrefix(t, "TZ=") {
		text = "CRON_TZ=UTC " + t
	}
	return cronParser.Parse(text)
}

func (s Schedule) String() string { return s.text }

// Next returns the first slot after t.
func (s Schedule) Next(t time.Time) time.Time {
	if s.every > 0 {
		return t.Truncate(s.every).Add(s.every)
	}
	return s.cron.Next(t)
}

// Latest returns the last slot in (from, to], or false when there is none.
func (s Schedule) Latest(from, to time.Time) (time.Time, bool) {
	var last time.Time
	for t := s.Next(from); !t.IsZero() && !t.After(to); t = s.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "leakwatch_schedule_tick" }

func (tickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 1}
}

// slotArgs is one due slot of one site; River keeps it unique, so two
// servers, or two ticks, never enqueue a slot twice.
type slotArgs struct {
	SiteID int64     `json:"site_id"`
	Slot   time.Time `json:"slot"`
}

func (slotArgs) Kind() string { return "leakwatch_schedule_slot" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	r *Runner
}

// Work enqueues the latest due slot of every scheduled site.
func (w *tickWorker) Work(ctx context.Context, _ *river.Job[tickArgs]) error {
	r := w.r
	now := r.cfg.Now().UTC()
	for p := (store.Page{Limit: store.MaxLimit}); ; {
		sites, err := r.store.ListSites(ctx, p)
		if err != nil {
			return fmt.Errorf("list sites: %w", err)
		}
		for _, site := range sites {
			if err := r.enqueueSlot(ctx, site, now); err != nil {
				r.cfg.Logger.WarnContext(ctx, "schedule", "site", site.ID, "error", err)
			}
		}
		if len(sites) < p.Limit {
			return nil
		}
		p.After = sites[len(sites)-1].ID
	}
}

func (r *Runner) enqueueSlot(ctx context.Context, site store.Site, now time.Time) error {
	if site.Schedule == "" {
		return nil
	}
	s, err := ParseSchedule(site.Schedule)
	if err != nil {
		return err
	}
	from := now.Add(-r.cfg.ScheduleLookback)
	if site.Created.After(from) {
		from = site.Created
	}
	slot, ok := s.Latest(from, now)
	if !ok {
		return nil
	}
	_, err = r.q.Insert(ctx, slotArgs{SiteID: site.ID, Slot: slot.UTC()}, &river.InsertOpts{
		Queue: QueueNotify, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return fmt.Errorf("enqueue slot %s of site %d: %w", slot.UTC().Format(time.RFC3339), site.ID, err)
	}
	return nil
}

// slotOptions marks a scheduled scan's options with its slot, so a retried
// slot job finds the scan it made before.
type slotOptions struct {
	Schedule string    `json:"schedule"`
	Slot     time.Time `json:"slot"`
}

type slotWorker struct {
	river.WorkerDefaults[slotArgs]
	r *Runner
}

// Work creates the slot's scan (once) and submits it.
func (w *slotWorker) Work(ctx context.Context, job *river.Job[slotArgs]) error {
	r, a := w.r, job.Args
	site, err := r.store.Site(ctx, a.SiteID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted since the tick
	} else if err != nil {
		return fmt.Errorf("read site %d: %w", a.SiteID, err)
	}
	id, err := r.slotScan(ctx, a)
	if err != nil {
		return err
	}
	if id == 0 {
		opts, _ := json.Marshal(slotOptions{Schedule: site.Schedule, Slot: a.Slot.UTC()})
		sc, err := r.store.CreateScan(ctx, store.Scan{SiteID: site.ID, Options: opts})
		if err != nil {
			return fmt.Errorf("create scheduled scan of site %d: %w", site.ID, err)
		}
		id = sc.ID
	}
	return r.Submit(ctx, id)
}

// slotScan finds the scan an earlier attempt made for the slot, among the
// site's recent scans, or returns 0.
func (r *Runner) slotScan(ctx context.Context, a slotArgs) (int64, error) {
	scans, err := r.store.History(ctx, a.SiteID, store.Page{Limit: 100})
	if err != nil {
		return 0, fmt.Errorf("history of site %d: %w", a.SiteID, err)
	}
	for _, sc := range scans {
		var o slotOptions
		if json.Unmarshal(sc.Options, &o) == nil && o.Slot.Equal(a.Slot) {
			return sc.ID, nil
		}
	}
	return 0, nil
}
