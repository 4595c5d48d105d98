package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimiters bounds the buckets kept; idle ones are dropped first.
const maxLimiters = 10000

// limiters are token buckets, one per token or client address.
type limiters struct {
	mu    sync.Mutex
	m     map[string]*limiter
	limit rate.Limit
	burst int
	now   func() time.Time
}

type limiter struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters(limit rate.Limit, burst int, now func() time.Time) *limiters {
	return &limiters{m: map[string]*limiter{}, limit: limit, burst: burst, now: now}
}

// allow spends one request from key's bucket.
func (ls *limiters) allow(key string) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	now := ls.now()
	l := ls.m[key]
	if l == nil {
		if len(ls.m) >= maxLimiters {
			ls.prune(now)
		}
		l = &limiter{l: rate.NewLimiter(ls.limit, ls.burst)}
		ls.m[key] = l
	}
	l.seen = now
	return l.l.AllowN(now, 1)
}

// prune drops buckets idle long enough to have refilled; if none has, the
// map is cleared (a flood of new keys gains nothing over waiting).
func (ls *limiters) prune(now time.Time) {
	full := time.Duration(float64(ls.burst)/float64(ls.limit)*float64(time.Second)) + time.Second
	for k, l := range ls.m {
		if now.Sub(l.seen) > full {
			delete(ls.m, k)
		}
	}
	if len(ls.m) >= maxLimiters {
		clear(ls.m)
	}
}
