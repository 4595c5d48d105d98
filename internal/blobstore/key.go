package blobstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

const (
	// maxKeyLen is S3's limit on an object key, in bytes.
	maxKeyLen = 1024
	// maxSegmentLen is the common file-system limit on one name.
	maxSegmentLen = 255
	// gzSuffix ends every stored key: the objects are gzip streams.
	gzSuffix = ".gz"
)

// ErrBadKey is wrapped by every error about a key or ref that could escape
// its store or name something no store can hold.
var ErrBadKey = errors.New("bad key")

// CheckKey reports whether key is safe to store under: 1 to 1024 bytes of
// UTF-8, slash-separated segments that are neither empty, "." nor "..", no
// segment starting with "." (temporary files use that), no backslash, no
// control character, and no segment longer than 255 bytes.
func CheckKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty", ErrBadKey)
	}
	if len(key) > maxKeyLen {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrBadKey, len(key), maxKeyLen)
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("%w %q: not UTF-8", ErrBadKey, key)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\\' {
			return fmt.Errorf("%w %q: control character or backslash", ErrBadKey, key)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return fmt.Errorf("%w %q: absolute, or an empty segment", ErrBadKey, key)
		case seg[0] == '.':
			return fmt.Errorf("%w %q: a segment starts with '.'", ErrBadKey, key)
		case len(seg) > maxSegmentLen:
			return fmt.Errorf("%w %q: a segment is longer than %d bytes", ErrBadKey, key, maxSegmentLen)
		}
	}
	return nil
}

// maxPartLen bounds one escaped part of Key, leaving room in a segment for
// the ".gz" a store appends.
const maxPartLen = 200

// Key joins parts (a run id, a site, a file name) into a key that CheckKey
// accepts, escaping in each part every byte outside [A-Za-z0-9_.~-] (and a
// leading '.') as %XX, so that distinct parts do not collide and no part can
// climb out of its folder. A part whose escaped form is longer than 200
// bytes is cut and ends in "~" and 16 hex digits of its SHA-256. Empty parts
// are dropped.
func Key(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(escapePart(p))
	}
	return b.String()
}

func escapePart(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if keepByte(c) && (i > 0 || c != '.') {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	e := b.String()
	if len(e) <= maxPartLen {
		return e
	}
	sum := sha256.Sum256([]byte(p))
	cut := e[:maxPartLen-17]
	if i := strings.LastIndexByte(cut[max(0, len(cut)-2):], '%'); i >= 0 {
		cut = cut[:len(cut)-2+i] // never split a %XX escape
	}
	return cut + "~" + hex.EncodeToString(sum[:8])
}

func keepByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// storedKey is the key an object is kept under: the caller's key, checked,
// ending in .gz.
func storedKey(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	if !strings.HasSuffix(key, gzSuffix) {
		key += gzSuffix
	}
	if err := CheckKey(key); err != nil {
		return "", fmt.Errorf("with %s: %w", gzSuffix, err)
	}
	return key, nil
}
