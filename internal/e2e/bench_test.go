package e2e

import (
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
)

// BenchmarkAuditVisit measures the full audit of the recorded visit (real
// tracker traffic: gzip, base64, nested JSON) with one persona; bytes are
// request URLs and bodies.
func BenchmarkAuditVisit(b *testing.B) {
	v := recorded(b)
	var size int64
	for _, r := range v.capture.Requests {
		size += int64(len(r.URL) + len(r.Body))
	}
	analyse(b, v.capture, audit.Options{}) // builds the classifier once
	pool, _ := leak.NewPool([]leak.Persona{persona("shopper", shopper)})
	opts := audit.Options{Classifier: classifier, Pool: pool}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := audit.Run(context.Background(), opts, v.capture); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadVisitHAR measures reading the visit's HAR back, the baseline
// the audit is compared with.
func BenchmarkReadVisitHAR(b *testing.B) {
	v := recorded(b)
	var size int64
	for _, r := range v.capture.Requests {
		size += int64(len(r.URL) + len(r.Body))
	}
	b.SetBytes(size)
	for b.Loop() {
		if _, err := har.ReadFile(context.Background(), v.harPath, har.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
