package har

import (
	"fmt"
	"math"
	"strings"
)

// Defaults of the reading budgets (Options.MaxString and the rest). They are
// far above anything a browser records (Chrome caps a URL at 2 MiB, a
// request's headers at 256 KiB) and low enough that a hostile file cannot
// make one entry cost more than a few hundred MiB.
const (
	DefaultMaxString = 32 << 20
	DefaultMaxEntry  = 128 << 20
	DefaultMaxItems  = 100_000
	DefaultMaxDepth  = 1000
)

// maxKey is the longest object key kept, in bytes of JSON text; no HAR field
// name comes close.
const maxKey = 1024

// maxScalar is the longest number or literal kept; a longer number reads
// as 0, with a warning.
const maxScalar = 512

// limits are Options' budgets with defaults applied; math.MaxInt64 is no
// limit.
type limits struct {
	str, entry int64
	items      int
	depth      int
}

func (o Options) limits() limits {
	return limits{
		str:   budget(int64(o.MaxString), DefaultMaxString),
		entry: budget(int64(o.MaxEntry), DefaultMaxEntry),
		items: int(budget(int64(o.MaxItems), DefaultMaxItems)),
		depth: int(budget(int64(o.MaxDepth), DefaultMaxDepth)),
	}
}

func budget(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return math.MaxInt64
	}
	return v
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	if o.MaxString > 0 && o.MaxString < 16 {
		return fmt.Errorf("har: MaxString %d is below the minimum of 16 bytes", o.MaxString)
	}
	if o.MaxEntry > 0 && o.MaxEntry < 1024 {
		return fmt.Errorf("har: MaxEntry %d is below the minimum of 1024 bytes", o.MaxEntry)
	}
	if o.MaxDepth > 0 && o.MaxDepth < 8 {
		return fmt.Errorf("har: MaxDepth %d is below the minimum of 8 (a HAR entry nests 6 deep)", o.MaxDepth)
	}
	return nil
}

// FormatSize writes a byte count the way the budgets' messages do: "64 MiB",
// "1.5 KiB", "17 bytes".
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, i := float64(n), -1
	for f >= unit && i < 3 {
		f /= unit
		i++
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + " " + [...]string{"KiB", "MiB", "GiB", "TiB"}[i]
}
