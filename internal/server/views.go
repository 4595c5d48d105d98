package server

import (
	"encoding/json"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// The API's JSON shapes: snake_case names, RFC 3339 times, absent when
// zero.

type siteView struct {
	ID       int64      `json:"id"`
	URL      string     `json:"url"`
	Name     string     `json:"name"`
	Schedule string     `json:"schedule"`
	Baseline int64      `json:"baseline,omitempty"`
	Created  time.Time  `json:"created"`
	Updated  *time.Time `json:"updated,omitempty"`
}

func viewSite(s store.Site) siteView {
	return siteView{ID: s.ID, URL: s.URL, Name: s.Name, Schedule: s.Schedule, Baseline: s.Baseline,
		Created: s.Created.UTC(), Updated: optTime(s.Updated)}
}

type scanView struct {
	ID       int64           `json:"id"`
	SiteID   int64           `json:"site_id,omitempty"`
	State    store.State     `json:"state"`
	Consent  string          `json:"consent,omitempty"`
	Options  json.RawMessage `json:"options"`
	Attempt  int             `json:"attempt"`
	Error    string          `json:"error,omitempty"`
	Created  time.Time       `json:"created"`
	Started  *time.Time      `json:"started,omitempty"`
	Finished *time.Time      `json:"finished,omitempty"`
}

func viewScan(s store.Scan) scanView {
	opts := s.Options
	if len(opts) == 0 {
		opts = json.RawMessage("{}")
	}
	return scanView{ID: s.ID, SiteID: s.SiteID, State: s.State, Consent: s.Consent, Options: opts,
		Attempt: s.Attempt, Error: s.Error, Created: s.Created.UTC(), Started: optTime(s.Started),
		Finished: optTime(s.Finished)}
}

type tokenView struct {
	ID      int64      `json:"id"`
	Name    string     `json:"name"`
	Role    store.Role `json:"role"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

func viewToken(t store.Token) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, Role: t.Role, Created: t.Created.UTC(), Revoked: optTime(t.Revoked)}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// list is a page of a listing with the cursor of the next page.
type list[T any] struct {
	Items []T `json:"items"`
	// Next is the after= value of the next page, 0 at the end.
	Next int64 `json:"next,omitempty"`
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}
