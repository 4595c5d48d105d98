package redact

import (
	"reflect"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Report redacts a report in place and returns it: secrets found in its
// request evidence (headers, bodies, URLs) and anywhere else in its strings,
// and the literal Options.Secrets, are removed from every string it holds.
//
// A report holds only the requests its findings point at, so a secret sent
// elsewhere in the capture (a session cookie on a first-party request, a
// Basic password) is unknown here; (*Redactor).Report also uses what the
// Redactor learned from the whole capture.
func Report(rep *audit.Report, opts Options) *audit.Report {
	return NewRedactor(opts).Report(rep)
}

// Report redacts a report in place with what the Redactor learned from the
// capture (see Tee and Learner) plus the report's own evidence.
func (x *Redactor) Report(rep *audit.Report) *audit.Report {
	if rep == nil {
		return nil
	}
	x.settle()
	r := x.r
	if r.autoFirst {
		for _, d := range rep.FirstParty.Domains {
			r.firstParty[registrable(d)] = true
		}
	}
	for _, q := range rep.Requests {
		host := hostOf(q.URL)
		for _, h := range q.Headers {
			if name, value, ok := splitHeader(h); ok {
				r.harvestHeader(name, value, host)
			}
		}
	}
	seen := map[string]struct{}{}
	walkStrings(reflect.ValueOf(rep).Elem(), func(s string) string {
		if _, ok := seen[s]; ok {
			return s // a report repeats URLs and pages per finding: learn from each once
		}
		if len(seen) < maxMemo {
			seen[s] = struct{}{}
		}
		r.harvestText(s)
		return s
	})
	r.rep = nil // rebuild with what the report added
	r.finish()
	for i := range rep.Requests {
		q := &rep.Requests[i]
		for j, h := range q.Headers {
			if name, value, ok := splitHeader(h); ok {
				q.Headers[j] = name + ": " + r.header(name, value)
			}
		}
	}
	walkStrings(reflect.ValueOf(rep).Elem(), memo(r.text))
	return rep
}

// maxMemo bounds the strings remembered while walking a report.
const maxMemo = 1 << 16

// memo remembers f's result per string: a report holds the same request
// URL, page and evidence once per finding, and redacting each copy again
// made redaction quadratic in findings.
func memo(f func(string) string) func(string) string {
	done := map[string]string{}
	return func(s string) string {
		if out, ok := done[s]; ok {
			return out
		}
		out := f(s)
		if len(done) < maxMemo {
			done[s] = out
		}
		return out
	}
}

// splitHeader splits "Name: value"; HTTP/2 pseudo-headers keep their colon.
func splitHeader(h string) (name, value string, ok bool) {
	prefix := ""
	if strings.HasPrefix(h, ":") {
		prefix, h = ":", h[1:]
	}
	name, value, ok = strings.Cut(h, ":")
	return prefix + strings.TrimSpace(name), strings.TrimSpace(value), ok
}

// walkStrings rewrites every settable string reachable from v.
func walkStrings(v reflect.Value, f func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(f(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), f)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf(f(v.MapIndex(k).String())).Convert(v.Type().Elem()))
		}
	}
}
