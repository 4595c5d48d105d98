package pixel

import (
	"hash/maphash"
	"math/bits"
	"strings"
	"unsafe"
)

// The cookie-sync state keeps what it needs of every third-party request
// (URL text, host, domain) in flat arenas rather than maps and slices of
// strings: a string costs its bytes and about 16 bytes of bookkeeping, and
// every allocation is counted against the budget as it is made, so that
// the budget is the memory the state really holds.

// byteBudget counts the bytes a structure allocates against a limit; a
// limit of 0 or less means no limit.
type byteBudget struct {
	used, limit int
}

// take charges n bytes, or reports that the limit does not allow them.
func (b *byteBudget) take(n int) bool {
	if b.limit > 0 && b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

// give returns n bytes that were freed.
func (b *byteBudget) give(n int) { b.used -= n }

// Sizes of the arenas' chunks: the first ones are small, so that a capture
// of a few requests costs a few hundred bytes; each is twice the previous
// up to the maximum.
const (
	minByteChunk = 64
	maxByteChunk = 1 << 16 // also the longest string a strTable holds
	minListChunk = 4
	maxListChunk = 1 << 12
)

// chunkList is an append-only list kept in chunks that never move: growing
// it allocates one chunk and copies nothing.
type chunkList[T any] struct {
	chunks [][]T
	n      int
}

// addCost is what the next add allocates, in bytes: 0 while the last
// chunk has room.
func (l *chunkList[T]) addCost() int {
	if k := len(l.chunks); k > 0 && len(l.chunks[k-1]) < cap(l.chunks[k-1]) {
		return 0
	}
	var zero T
	return l.nextChunk()*int(unsafe.Sizeof(zero)) + int(unsafe.Sizeof(l.chunks))
}

func (l *chunkList[T]) nextChunk() int {
	if len(l.chunks) == 0 {
		return minListChunk
	}
	return min(2*cap(l.chunks[len(l.chunks)-1]), maxListChunk)
}

// add appends v and returns its position.
func (l *chunkList[T]) add(v T) int {
	if l.addCost() > 0 {
		l.chunks = append(l.chunks, make([]T, 0, l.nextChunk()))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, v)
	l.n++
	return l.n - 1
}

// at returns the element at position i.
func (l *chunkList[T]) at(i int) T {
	k, j := l.locate(i)
	return l.chunks[k][j]
}

// locate returns the chunk and the position in it of element i: chunk k
// holds minListChunk<<k elements up to maxListChunk, then maxListChunk each.
func (l *chunkList[T]) locate(i int) (chunk, pos int) {
	const doubling = minListChunk * (maxListChunk/minListChunk*2 - 1) // elements of the growing chunks
	if i >= doubling {
		j := i - doubling
		return bits.Len(maxListChunk/minListChunk) + j/maxListChunk, j % maxListChunk
	}
	k := bits.Len(uint(i/minListChunk+1)) - 1
	return k, i - minListChunk*(1<<k-1)
}

// ref returns the element at position i for changing in place.
func (l *chunkList[T]) ref(i int) *T {
	k, j := l.locate(i)
	return &l.chunks[k][j]
}

// each calls f with every element in order.
func (l *chunkList[T]) each(f func(int, T)) {
	i := 0
	for _, c := range l.chunks {
		for _, v := range c {
			f(i, v)
			i++
		}
	}
}

// strSpan locates a string in a strTable's byte chunks.
type strSpan struct {
	chunk uint16
	off   uint16
	n     uint32
}

// strTable is a set of distinct strings, each with an id (its position in
// insertion order). The bytes sit back to back in chunks; an open-addressing
// table of ids finds them again. It holds at most 65,536 chunks of at
// most 64 KiB, and no string longer than a chunk.
type strTable struct {
	seed   maphash.Seed
	bytes  [][]byte
	spans  chunkList[strSpan]
	slots  []int32 // id+1 of the string hashed there; 0 is empty
	maxLen int     // the length of the longest string held
	budget *byteBudget
}

// newStrTable returns an empty table that charges what it allocates to b.
func newStrTable(b *byteBudget) *strTable {
	return &strTable{seed: maphash.MakeSeed(), budget: b}
}

// len is the number of strings held.
func (t *strTable) len() int { return t.spans.n }

// str returns the string of id, copied out of the arena.
func (t *strTable) str(id int) string { return string(t.view(id)) }

// view returns the bytes of id, which must not be changed.
func (t *strTable) view(id int) []byte {
	s := t.spans.at(id)
	return t.bytes[s.chunk][s.off : uint32(s.off)+s.n]
}

// find returns the id of s, or -1.
func (t *strTable) find(s string) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := len(t.slots) - 1
	for i := int(maphash.String(t.seed, s)) & mask; ; i = (i + 1) & mask {
		id := int(t.slots[i]) - 1
		if id < 0 {
			return -1
		}
		if string(t.view(id)) == s {
			return id
		}
	}
}

// add returns the id of s, adding it when new. ok is false when s is new
// and the budget (or the table's own limits) cannot hold it.
func (t *strTable) add(s string) (id int, added, ok bool) {
	if id := t.find(s); id >= 0 {
		return id, false, true
	}
	if len(s) > maxByteChunk || len(t.bytes) >= 1<<16 || t.spans.n >= 1<<30 {
		return -1, false, false
	}
	grow, chunk := t.growSlots(), t.chunkFor(len(s))
	cost := 4*grow + t.spans.addCost()
	if chunk > 0 {
		cost += chunk + int(unsafe.Sizeof(t.bytes[0:0]))
	}
	if !t.budget.take(cost) {
		return -1, false, false
	}
	if grow > 0 {
		t.budget.give(4 * len(t.slots))
		t.rehash(grow)
	}
	if chunk > 0 {
		t.bytes = append(t.bytes, make([]byte, 0, chunk))
	}
	last := &t.bytes[len(t.bytes)-1]
	span := strSpan{chunk: uint16(len(t.bytes) - 1), off: uint16(len(*last)), n: uint32(len(s))}
	*last = append(*last, s...)
	id = t.spans.add(span)
	t.maxLen = max(t.maxLen, len(s))
	t.place(maphash.String(t.seed, s), id)
	return id, true, true
}

// growSlots returns the new slot count when one more string needs a
// bigger table (kept at most 3/4 full), else 0.
func (t *strTable) growSlots() int {
	if (t.spans.n+1)*4 <= len(t.slots)*3 {
		return 0
	}
	return max(8, 2*len(t.slots))
}

// chunkFor returns the size of the byte chunk to allocate for a string of
// n bytes, or 0 when the last chunk has room (offsets stay under 64 KiB).
func (t *strTable) chunkFor(n int) int {
	k := len(t.bytes)
	if k > 0 && cap(t.bytes[k-1])-len(t.bytes[k-1]) >= n && len(t.bytes[k-1]) < maxByteChunk {
		return 0
	}
	size := minByteChunk
	if k > 0 {
		size = min(2*cap(t.bytes[k-1]), maxByteChunk)
	}
	return max(size, n)
}

func (t *strTable) rehash(n int) {
	t.slots = make([]int32, n)
	t.spans.each(func(id int, s strSpan) {
		t.place(maphash.Bytes(t.seed, t.bytes[s.chunk][s.off:uint32(s.off)+s.n]), id)
	})
}

// place files id under hash h.
func (t *strTable) place(h uint64, id int) {
	mask := len(t.slots) - 1
	i := int(h) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = int32(id + 1)
}

// hasLower reports whether the ASCII lower case of s is in the table (a
// nil table holds nothing), without building that string when s is short.
func (t *strTable) hasLower(s string) bool {
	if t == nil || len(t.slots) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return t.has(strings.ToLower(s)) // Unicode lower case may change the length
		}
	}
	var buf [64]byte
	switch {
	case len(s) > t.maxLen:
		return false
	case len(s) > len(buf):
		return t.has(strings.ToLower(s))
	}
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	mask := len(t.slots) - 1
	for i := int(maphash.Bytes(t.seed, b)) & mask; ; i = (i + 1) & mask {
		id := int(t.slots[i]) - 1
		if id < 0 {
			return false
		}
		if string(t.view(id)) == string(b) {
			return true
		}
	}
}

// has reports whether s is in the table; a nil table holds nothing.
func (t *strTable) has(s string) bool {
	return t != nil && t.find(s) >= 0
}
