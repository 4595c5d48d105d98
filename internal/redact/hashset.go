package redact

import (
	"hash/maphash"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// hashSet remembers texts by a 128-bit hash (two keyed 64-bit hashes and
// the length) and a kind, not the texts themselves: its memory stays
// bounded whatever the capture's size. Once full it remembers nothing
// more, and callers then do the work every time, as without it. A nil
// set remembers nothing.
type hashSet struct {
	seeds [2]maphash.Seed
	seen  map[hashKey]struct{}
	limit int
}

// hashKey is a text's hash, its length and its kind folded in.
type hashKey [2]uint64

// textKind is what a hashSet remembers of a text.
type textKind uint8

const (
	kindText         textKind = iota + 1 // a text learned from (harvestText)
	kindCookieHeader                     // a Cookie header's value learned from
	kindNoLZ                             // a run no lz-string decoder reads as text
	kindNoGzip                           // sniffed bytes that do not inflate to text
	kindNoZlib
	kindNoDeflate
)

// noStream is the kind of sniffed bytes of a coding that do not inflate
// to text.
func noStream(coding string) textKind {
	switch coding {
	case codec.Gzip:
		return kindNoGzip
	case codec.Zlib:
		return kindNoZlib
	}
	return kindNoDeflate
}

// Bounds of the hash sets, at about 40 bytes an entry.
const (
	maxLearned  = 1 << 17 // texts learned from
	maxDeadEnds = 1 << 16 // runs and streams that decode to no text
)

func newHashSet(limit int) *hashSet {
	return &hashSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, seen: map[hashKey]struct{}{}, limit: limit}
}

// fold mixes a kind and a length into a text's two hashes.
func fold(kind textKind, n int, h1, h2 uint64) hashKey {
	return hashKey{h1 ^ uint64(kind)*0x9e3779b97f4a7c15, h2 ^ uint64(n)*0xc2b2ae3d27d4eb4f}
}

func (h *hashSet) key(kind textKind, s string) hashKey {
	return fold(kind, len(s), maphash.String(h.seeds[0], s), maphash.String(h.seeds[1], s))
}

func (h *hashSet) keyBytes(kind textKind, b []byte) hashKey {
	return fold(kind, len(b), maphash.Bytes(h.seeds[0], b), maphash.Bytes(h.seeds[1], b))
}

func (h *hashSet) has(k hashKey) bool {
	if h == nil {
		return false
	}
	_, ok := h.seen[k]
	return ok
}

func (h *hashSet) add(k hashKey) {
	if h != nil && len(h.seen) < h.limit {
		h.seen[k] = struct{}{}
	}
}

// first reports whether s (of the kind) is seen for the first time, and
// remembers it while there is room. A nil set sees everything first.
func (h *hashSet) first(kind textKind, s string) bool {
	if h == nil {
		return true
	}
	k := h.key(kind, s)
	if h.has(k) {
		return false
	}
	h.add(k)
	return true
}
