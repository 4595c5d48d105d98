package blobstore

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// BenchmarkPut stores a real 1 MB HAR in a directory and in an S3 server on
// loopback: the cost a crawl worker pays per site for keeping its HAR.
func BenchmarkPut(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "har", "harviewer-firefox47.har"))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		open func(t testing.TB) Store
	}{
		{"file", openFileStore},
		{"s3", func(t testing.TB) Store { return startFakeS3(t, "hars").open(t, "s3://hars/bench") }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := tc.open(b)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := s.Put(context.Background(), "run/site.har", bytes.NewReader(data), int64(len(data))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
