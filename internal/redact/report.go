package redact

import (
	"reflect"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Report redacts a report in place and returns it: secrets found in its
// request evidence (headers, bodies, URLs) and anywhere else in its strings,
// and the literal Options.Secrets, are removed from every string it holds.
func Report(rep *audit.Report, opts Options) *audit.Report {
	if rep == nil {
		return nil
	}
	out := rep
	r := newRedactor(opts)
	if len(opts.FirstParty) == 0 {
		for _, d := range rep.FirstParty.Domains {
			r.firstParty[registrable(d)] = true
		}
	}
	for _, q := range out.Requests {
		host := hostOf(q.URL)
		for _, h := range q.Headers {
			if name, value, ok := splitHeader(h); ok {
				r.harvestHeader(name, value, host)
			}
		}
	}
	walkStrings(reflect.ValueOf(out).Elem(), func(s string) string {
		r.harvestText(s)
		return s
	})
	r.rep = r.secrets.replacer()
	for i := range out.Requests {
		q := &out.Requests[i]
		for j, h := range q.Headers {
			if name, value, ok := splitHeader(h); ok {
				q.Headers[j] = name + ": " + r.header(name, value)
			}
		}
	}
	walkStrings(reflect.ValueOf(out).Elem(), r.text)
	return out
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
