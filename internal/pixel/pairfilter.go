package pixel

import "hash/maphash"

// pairFilter is a Bloom filter of the cookie (name, value) pairs held in
// Analyzer.pairs. Once the pair budget is spent, every cookie of a
// tracker-dense capture is a pair the map does not hold, and a miss in a
// map of tens of thousands of pairs costs a probe in memory the caches do
// not keep; the filter answers most of them from a few bits per pair, the
// two bits of a pair in one word (one memory access). It holds every pair
// of the map, so a clear bit proves the pair is new.
type pairFilter struct {
	seed maphash.Seed
	bits []uint64
	n    int // pairs added
}

// minPairFilterBits is the filter's first size; it doubles to keep at
// least 16 bits per pair.
const minPairFilterBits = 1 << 12

// hash returns the hash of a pair, from which both bits are taken.
func (f *pairFilter) hash(k pairKey) uint64 {
	if f.bits == nil {
		f.seed = maphash.MakeSeed()
		f.bits = make([]uint64, minPairFilterBits/64)
	}
	return maphash.String(f.seed, k.name)*0x9e3779b97f4a7c15 ^ maphash.String(f.seed, k.value)
}

// position returns the word of hash h and its two bits there.
func (f *pairFilter) position(h uint64) (int, uint64) {
	return int(h & uint64(len(f.bits)-1)), 1<<(h>>32&63) | 1<<(h>>40&63)
}

// mayHold reports whether the pair of hash h may be in the map.
func (f *pairFilter) mayHold(h uint64) bool {
	w, m := f.position(h)
	return f.bits[w]&m == m
}

// add records a pair of hash h just put in pairs, growing the filter
// (from every pair in pairs) when it gets too full.
func (f *pairFilter) add(h uint64, pairs map[pairKey]pairSeen) {
	f.n++
	if f.n*16 > len(f.bits)*64 {
		f.bits = make([]uint64, 2*len(f.bits))
		for k := range pairs {
			f.set(f.hash(k))
		}
		return
	}
	f.set(h)
}

func (f *pairFilter) set(h uint64) {
	w, m := f.position(h)
	f.bits[w] |= m
}
