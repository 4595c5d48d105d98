package redact

import (
	"hash/maphash"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// hashSet remembers texts by a 128-bit hash (two keyed 64-bit hashes,
// the kind and the length folded in), not the texts themselves, in a
// table of fixed size where a text takes the slot of its hash's low bits,
// evicting the one that was there: memory stays bounded whatever the
// capture's size, and a text forgotten is only worked on again, as
// without the set. A nil set remembers nothing.
type hashSet struct {
	seeds [2]maphash.Seed
	slots []hashKey // made on the first add
	size  int       // a power of two
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

// Sizes of the hash sets' tables, at 16 bytes a slot.
const (
	maxLearned  = 1 << 16 // texts learned from
	maxDeadEnds = 1 << 15 // runs and streams that decode to no text
)

func newHashSet(size int) *hashSet {
	return &hashSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, size: size}
}

// fold mixes a kind and a length into a text's two hashes.
func fold(kind textKind, n int, h1, h2 uint64) hashKey {
	k := hashKey{h1 ^ uint64(kind)*0x9e3779b97f4a7c15, h2 ^ uint64(n)*0xc2b2ae3d27d4eb4f}
	if k == (hashKey{}) {
		k[1] = 1 // the zero key is an empty slot's
	}
	return k
}

func (h *hashSet) key(kind textKind, s string) hashKey {
	return fold(kind, len(s), maphash.String(h.seeds[0], s), maphash.String(h.seeds[1], s))
}

func (h *hashSet) keyBytes(kind textKind, b []byte) hashKey {
	return fold(kind, len(b), maphash.Bytes(h.seeds[0], b), maphash.Bytes(h.seeds[1], b))
}

func (h *hashSet) has(k hashKey) bool {
	return h != nil && h.slots != nil && h.slots[k[0]&uint64(h.size-1)] == k
}

func (h *hashSet) add(k hashKey) {
	if h == nil {
		return
	}
	if h.slots == nil {
		h.slots = make([]hashKey, h.size)
	}
	h.slots[k[0]&uint64(h.size-1)] = k
}

// first reports whether s (of the kind) is not remembered, and remembers
// it. A nil set sees everything first.
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
