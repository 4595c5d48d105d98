package redact

import "hash/maphash"

// maxLearned bounds the texts a redactor remembers having learned from:
// about 40 bytes each, a few megabytes in all.
const maxLearned = 1 << 17

// learnedSet remembers which texts were already learned from. Learning
// from a text only adds to the secrets, and adds the same whatever was
// learned before, so learning from it again changes nothing: a capture
// repeats its headers (User-Agent, client hints, Referer, a host's
// cookies) on every request and a report repeats the URLs and headers the
// capture held, and each is now read once. Texts are remembered by a
// 128-bit hash (two keyed 64-bit hashes and the length), not kept: memory
// stays bounded whatever the capture's size, and once the set is full
// further texts are learned every time, as before.
type learnedSet struct {
	seeds [2]maphash.Seed
	seen  map[learnedKey]struct{}
}

// learnedKey is a text's kind (how it is learned) and its hash.
type learnedKey struct {
	kind   textKind
	n      int
	h1, h2 uint64
}

// textKind is how a text is learned from.
type textKind uint8

const (
	kindText         textKind = iota // harvestText
	kindCookieHeader                 // a Cookie header's value
)

func newLearnedSet() *learnedSet {
	return &learnedSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, seen: map[learnedKey]struct{}{}}
}

// first reports whether s (of the kind) is seen for the first time, and
// remembers it while there is room.
func (l *learnedSet) first(kind textKind, s string) bool {
	k := learnedKey{kind, len(s), maphash.String(l.seeds[0], s), maphash.String(l.seeds[1], s)}
	if _, ok := l.seen[k]; ok {
		return false
	}
	if len(l.seen) < maxLearned {
		l.seen[k] = struct{}{}
	}
	return true
}
