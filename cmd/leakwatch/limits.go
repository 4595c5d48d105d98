package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/har"
)

// readFlags bound what reading a HAR may cost: the har package's budgets
// and a deadline for the whole run.
type readFlags struct {
	maxString sizeValue
	maxEntry  sizeValue
	maxItems  int
	maxDepth  int
	timeout   time.Duration
}

func (f *readFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	f.maxString, f.maxEntry = har.DefaultMaxString, har.DefaultMaxEntry
	fl.Var(&f.maxString, "max-string",
		"longest string read from a HAR (URL, header value, body, WebSocket frame); longer ones are cut, with a warning; 0 for no limit")
	fl.Var(&f.maxEntry, "max-entry",
		"most JSON text read of one HAR entry; the rest of the entry is dropped, with a warning; 0 for no limit")
	fl.IntVar(&f.maxItems, "max-items", har.DefaultMaxItems,
		"most items of one list inside an entry (headers, cookies, WebSocket frames); the rest are dropped, with a warning; 0 for no limit")
	fl.IntVar(&f.maxDepth, "max-depth", har.DefaultMaxDepth,
		"deepest nesting of the HAR's JSON; deeper values read as null, with a warning; 0 for no limit")
	fl.DurationVar(&f.timeout, "timeout", 0,
		"stop after this long and report what was analyzed until then, marked incomplete (exit 1); 0 for no limit")
}

func (f *readFlags) validate() error {
	if f.timeout < 0 {
		return usagef("--timeout must not be negative, got %s", f.timeout)
	}
	if f.maxItems < 0 || f.maxDepth < 0 {
		return usagef("--max-items and --max-depth must not be negative")
	}
	if err := f.options("").Validate(); err != nil {
		return usageError{fmt.Errorf("%w (--max-string, --max-entry, --max-depth)", err)}
	}
	return nil
}

// options are the har.Options of the flags; the flags' 0 (no limit) is
// har's negative.
func (f *readFlags) options(name string) har.Options {
	off := func(v int) int {
		if v == 0 {
			return -1
		}
		return v
	}
	return har.Options{Name: name, MaxString: off(int(f.maxString)), MaxEntry: off(int(f.maxEntry)),
		MaxItems: off(f.maxItems), MaxDepth: off(f.maxDepth)}
}

// withTimeout applies --timeout to ctx.
func (f *readFlags) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.timeout == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, f.timeout, fmt.Errorf("--timeout %s reached", f.timeout))
}

// sizeValue is a byte count flag: "64MiB", "512KiB", "1GB", "1048576".
type sizeValue int64

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40}, {"b", 1},
}

func (v *sizeValue) String() string {
	if *v == 0 {
		return "0"
	}
	return strings.ReplaceAll(har.FormatSize(int64(*v)), " ", "")
}

func (v *sizeValue) Type() string { return "size" }

func (v *sizeValue) Set(s string) error {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n < 0 || n*float64(mult) > float64(1<<62) {
		return fmt.Errorf("%q is not a size: want bytes or a number with KiB, MiB, GiB (e.g. 64MiB)", s)
	}
	*v = sizeValue(n * float64(mult))
	return nil
}
