package har

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
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
