package har

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func FuzzStream(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.har")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "{}", `{"log":{}}`, `{"log":{"entries":[]}}`, entries(okEntry, "42", "null"),
		entries(okEntry)[:30], `{"log":{"entries":[],"pages":[{"id":"x"}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Name: "fuzz.har", MaxResponseBody: 1 << 16}
		// Tight budgets as well, so that the cutting paths are explored;
		// what they leave must read back like anything else.
		tight := Options{Name: "fuzz.har", MaxResponseBody: 1 << 16, MaxString: 16, MaxEntry: 1024, MaxItems: 3, MaxDepth: 8}
		var tv countingVisitor
		if err := Stream(context.Background(), bytes.NewReader(data), tight, &tv); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("tight budgets: error does not wrap ErrInvalid: %v", err)
		}
		var v countingVisitor
		err := Stream(context.Background(), bytes.NewReader(data), opts, &v)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if v.ends != 1 {
			t.Fatalf("End called %d times", v.ends)
		}
		c := &v.Capture
		for i, r := range c.Requests {
			if r.Index != i {
				return // a skipped entry: indexes do not survive a rewrite
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, c, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		second, err := Read(context.Background(), &buf, opts)
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, buf.Bytes())
		}
		want := *c
		want.Warnings, second.Warnings = nil, nil
		if want.Creator == "" {
			want.Creator = "leakwatch" // the writer names itself
		}
		if !reflect.DeepEqual(&want, second) {
			reportDiff(t, &want, second)
		}
	})
}

// FuzzGuard checks the guard against encoding/json: valid JSON passes
// through unchanged but for whitespace, and whatever the budgets cut, what
// comes out is valid JSON or an error.
func FuzzGuard(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\u00e9"}],"log":{"entries":[{"x":1e5}]}}`, `"x"`, `[[[[]]]]`, `{"a":"\ud83d\ude00é€"}`,
		`{"log":{"entries":[{"request":{"url":"` + strings.Repeat("u", 40) + `"}}]}}`, "[1,2,3,4,5,6]", `{"a":-0.5e-3,"b":true,"c":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lim := range []limits{{str: 1 << 30, entry: 1 << 30, items: 1 << 30, depth: 1 << 30}, {str: 5, entry: 40, items: 2, depth: 4}} {
			warned := 0
			g := newGuard(context.Background(), bufio.NewReaderSize(bytes.NewReader(data), 16), lim, func(string) { warned++ })
			out, err := io.ReadAll(g)
			valid := json.Valid(data)
			if lim.str == 1<<30 && valid && warned == 0 {
				var want bytes.Buffer
				if err := json.Compact(&want, data); err != nil {
					t.Fatal(err)
				}
				if err != nil || !bytes.Equal(out, want.Bytes()) {
					t.Fatalf("valid JSON changed: %v\n got %q\nwant %q", err, out, want.Bytes())
				}
			}
			if err == nil && g.ph == phDone && !json.Valid(out) {
				t.Fatalf("limits %+v: output is not JSON: %q from %q", lim, out, data)
			}
			if err == nil && valid && lim.str != 1<<30 && !json.Valid(out) {
				t.Fatalf("limits %+v: valid input gave %q", lim, out)
			}
		}
	})
}
