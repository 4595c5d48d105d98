package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// bigReport is the shop report scaled up: companies × the shop's findings,
// pixels and requests, as a large news site with many trackers would give.
func bigReport(companies int) *audit.Report {
	base := shopReport()
	r := *base
	r.ThirdParties, r.Findings, r.Pixels, r.Requests, r.Companies, r.Unattributed = nil, nil, nil, nil, nil, nil
	for i := range companies {
		suffix := fmt.Sprintf(" %03d", i)
		for _, tp := range base.ThirdParties {
			tp.Company += suffix
			r.ThirdParties = append(r.ThirdParties, tp)
		}
		for _, f := range base.Findings {
			if f.Receiver != nil {
				rc := *f.Receiver
				rc.Company += suffix
				f.Receiver = &rc
			}
			if f.Request != nil {
				ref := *f.Request
				ref.Index += i * 100
				f.Request = &ref
			}
			f.Vendor += suffix
			r.Findings = append(r.Findings, f)
		}
		for _, p := range base.Pixels {
			p.Vendor += suffix
			p.Request.Index += i * 100
			r.Pixels = append(r.Pixels, p)
		}
		for _, d := range base.Requests {
			d.Index += i * 100
			r.Requests = append(r.Requests, d)
		}
	}
	return r.Grouped()
}

func BenchmarkRender(b *testing.B) {
	r := bigReport(40) // 200 companies, 520 findings, 160 pixel hits
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			cw := &countWriter{}
			for b.Loop() {
				if err := Render(cw, r, format, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(cw.n / int64(b.N))
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
