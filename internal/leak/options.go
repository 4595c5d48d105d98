package leak

import (
	"context"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// ScanOptions chooses what Scan looks for besides persona values, how far
// it may go, and lets a caller stop it.
type ScanOptions struct {
	// Patterns also looks for value patterns (emails, phone numbers,
	// addresses, tracking numbers, cards, SSNs) without a persona.
	Patterns bool
	// Budgets bound the work on one request; zero fields take defaults.
	Budgets Budgets
	// Stop, when closed, ends the scan early: what was found so far is
	// returned with a warning. ScanContext sets it from a context.
	Stop <-chan struct{}
	// Splitters name the parts of vendors' structured values (see
	// Splitter); the caller passes those of the vendor packages.
	Splitters []Splitter
}

// Splitter splits one vendor's structured field value into named parts,
// so that a finding says which slot of it carried a value: Google's
// enhanced-conversions "tv.1~em.<hash>~pn.<hash>" is split by
// pixel.SplitGoogleTV into "tv.1~em" and "tv.1~pn". leak stays
// vendor-neutral: it only finds the values that start with Prefix and
// searches each part Split hands back.
type Splitter struct {
	// Prefix is how every value the splitter reads starts.
	Prefix string
	// Split calls part for each piece of v, a value starting with
	// Prefix: with its name, searched as a field of that name below the
	// value's own, or with a nil name, searched as part of the value.
	// v and the parts may be the scan's buffers: valid during the call
	// only, never to be kept.
	Split func(v []byte, part func(name, value []byte))
}

// Budgets bound what one request may cost. Every budget that is hit adds a
// warning to Result.Warnings naming it and the flag that raises it. A zero
// field means its default; Validate rejects negative values.
type Budgets struct {
	// MaxDecodedBytes caps the bytes decoding may produce for one request
	// over all its channels (inflating, base64, URL and lz-string
	// decoding). Default DefaultMaxDecodedBytes. Flag --max-decoded-bytes.
	MaxDecodedBytes int
	// MaxDecodedValue caps the bytes searched and decoded for one surface
	// of a request: its URL, its headers, its cookies, its body, one
	// WebSocket frame, its response's hand-off. Values as sent count
	// against it before any decoding; past it they are searched as sent
	// and not decoded, with a warning. Default a quarter of
	// MaxDecodedBytes (DefaultMaxDecodedValue), never more than it.
	MaxDecodedValue int
	// MaxExpansion caps how many times its input size one decompression
	// (gzip, zlib, deflate, brotli, zstd, lz-string) may produce, past a
	// floor of 64 KiB: a zip bomb is cut there. Default
	// DefaultMaxExpansion. Flag --max-expansion.
	MaxExpansion int
	// MaxDepth is how many decoding layers are tried below the wire form
	// (base64 of gzip of JSON is two). Default DefaultMaxDepth. Flag
	// --max-decode-depth.
	MaxDepth int
	// MaxFindings caps the distinct findings kept for one request; past it
	// findings are counted per (field, value) in Result.Dropped. Default
	// DefaultMaxFindings. Flag --max-findings-per-request.
	MaxFindings int
}

// Budget defaults.
const (
	DefaultMaxDecodedBytes = 128 << 20
	DefaultMaxDecodedValue = 32 << 20
	DefaultMaxExpansion    = 200
	DefaultMaxDepth        = 3
	DefaultMaxFindings     = 1000
)

// MaxDecodedBody is the default cap on the bytes decoding may produce for
// one body, frame or header value (Budgets.MaxDecodedValue).
const MaxDecodedBody = DefaultMaxDecodedValue

// expansionFloor is the output any decompression may produce whatever its
// ratio: small payloads compress well and are no threat.
const expansionFloor = 64 << 10

// Validate reports a negative budget.
func (b Budgets) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"max decoded bytes", b.MaxDecodedBytes}, {"max decoded value", b.MaxDecodedValue},
		{"max expansion", b.MaxExpansion}, {"max depth", b.MaxDepth}, {"max findings", b.MaxFindings}} {
		if f.v < 0 {
			return fmt.Errorf("budget %s is %d: it must be 0 (the default) or more", f.name, f.v)
		}
	}
	return nil
}

// withDefaults fills zero (or negative) fields with their defaults.
func (b Budgets) withDefaults() Budgets {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&b.MaxDecodedBytes, DefaultMaxDecodedBytes)
	def(&b.MaxDecodedValue, max(1, b.MaxDecodedBytes/4))
	def(&b.MaxExpansion, DefaultMaxExpansion)
	def(&b.MaxDepth, DefaultMaxDepth)
	def(&b.MaxFindings, DefaultMaxFindings)
	b.MaxDecodedValue = min(b.MaxDecodedValue, b.MaxDecodedBytes)
	return b
}

// expansionLimit is the most one decompression of n input bytes may give.
func (b Budgets) expansionLimit(n int) int {
	return max(expansionFloor, b.MaxExpansion*n)
}

// ScanContext is Scan that stops when ctx is done: a huge body stops
// within about a tenth of a second, returning what was found so far and a
// warning.
func (p *Pool) ScanContext(ctx context.Context, r *traffic.Request, opts ScanOptions) Result {
	if opts.Stop == nil {
		opts.Stop = ctx.Done()
	}
	return p.Scan(r, opts)
}
