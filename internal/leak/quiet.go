package leak

import (
	"hash/maphash"
	"strconv"
	"sync"
	"sync/atomic"
)

// Real captures repeat themselves: every request to a site carries the
// same cookies, trackers resend the same client IDs in their query
// strings. A value a scan found nothing in (no candidate, no pattern, no
// warning, no budget or depth limit touched) is remembered by the pool,
// with the decoding budget its scan spent, and the next request that
// carries it in the same place skips its search and is charged the same
// budget: the result is the one a full search gives, whichever worker
// saw the value first.

// quietEntries bounds each of the cache's two generations; quietMinLen
// and quietMaxLen bound the values it takes (shorter ones cost less to
// search than to look up; longer ones rarely repeat and would weigh on
// memory: at most 2 × quietEntries × quietMaxLen bytes of values).
const (
	quietEntries = 2048
	quietMinLen  = 16
	quietMaxLen  = 1024
)

// quietCache is a bounded, approximately least-recently-used set of
// values known to hold nothing: when the current generation is full it
// becomes the old one, and a hit in the old one moves the entry back.
//
// A value is only admitted the second time it is seen: seen holds the
// hashes of recent values, one per slot, so that the values of a capture
// that never repeats itself cost a hash each and no memory.
type quietCache struct {
	mu       sync.Mutex
	cur, old map[string]quietCost
	seed     maphash.Seed
	any      atomic.Bool // an entry was ever added
	seen     [quietSlots]atomic.Uint64
}

// quietSlots is the size of the admission filter (a power of two).
const quietSlots = 1 << 12

// sawBefore reports whether a value of hash h was seen recently, and
// marks it seen.
func (q *quietCache) sawBefore(h uint64) bool {
	slot := &q.seen[h&(quietSlots-1)]
	if slot.Load() == h {
		return true
	}
	slot.Store(h)
	return false
}

// quietCost is what a value's search spent: decoded bytes charged to the
// surface's budget, and of them the bytes of the value as sent.
type quietCost struct{ budget, wire int }

func (q *quietCache) get(key []byte, again bool) (quietCost, bool) {
	if !again || !q.any.Load() {
		return quietCost{}, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if c, ok := q.cur[string(key)]; ok {
		return c, true
	}
	c, ok := q.old[string(key)]
	if ok {
		q.add(string(key), c)
	}
	return c, ok
}

func (q *quietCache) put(key []byte, c quietCost) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.add(string(key), c)
}

func (q *quietCache) add(key string, c quietCost) {
	q.any.Store(true)
	if len(q.cur) >= quietEntries {
		q.old, q.cur = q.cur, nil
	}
	if q.cur == nil {
		q.cur = make(map[string]quietCost, quietEntries)
	}
	q.cur[key] = c
}

// quietable reports whether v may be taken from or added to the cache:
// a value as sent, of a cacheable length, searched while nothing of the
// request's state (a spent budget, a depth limit met, a body whose
// encoding was undone, a stop) would make its search differ.
func (s *scanner) quietable(v []byte, chain []string) bool {
	return len(chain) == 0 && !s.inQuiet && len(v) >= quietMinLen && len(v) <= quietMaxLen &&
		!s.noWireCharge && !s.skipWarn && !s.depthHit && !s.capHit && !s.stopped
}

// quietField searches a top-level value through the pool's cache.
func (s *scanner) quietField(loc string, v []byte, depth, nest int) {
	s.qkey = s.quietKey(s.qkey[:0], loc, v, depth, nest)
	h := maphash.Bytes(s.p.quiet.seed, s.qkey)
	again := s.p.quiet.sawBefore(h)
	if c, ok := s.p.quiet.get(s.qkey, again); ok && s.budget >= 2*c.budget {
		// Twice the cost: a search with that much budget left is cut
		// nowhere (lz-string's output may use half of what is left).
		s.budget -= c.budget
		s.wire += c.wire
		return
	}
	events, budget, wire := s.events, s.budget, s.wire
	s.inQuiet = true
	s.fieldScan(loc, v, nil, depth, nest)
	s.inQuiet = false
	if again && s.events == events && !s.capHit && !s.depthHit && !s.stopped && !s.skipWarn {
		s.p.quiet.put(s.qkey, quietCost{budget - s.budget, s.wire - wire})
	}
}

// quietKey is everything a value's search depends on besides the budget
// left: the options, the channel, the field's name, the nesting, the
// value.
func (s *scanner) quietKey(k []byte, loc string, v []byte, depth, nest int) []byte {
	k = strconv.AppendBool(k, s.opts.Patterns)
	for _, n := range []int{s.b.MaxDepth, s.b.MaxExpansion, depth, nest, len(s.opts.Splitters)} {
		k = append(strconv.AppendInt(k, int64(n), 10), ',')
	}
	for _, sp := range s.opts.Splitters {
		k = append(strconv.AppendInt(k, int64(len(sp.Prefix)), 10), sp.Prefix...)
	}
	k = append(strconv.AppendInt(k, int64(len(s.ch)), 10), s.ch...)
	k = append(strconv.AppendInt(k, int64(len(loc)), 10), loc...)
	return append(k, v...)
}
