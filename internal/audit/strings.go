package audit

// MapStrings replaces every string of the report that can carry captured
// data (URLs, values, evidence, headers, bodies, titles) with fn of it. It is
// how outputs mask persona values and redact secrets in one place.
func (r *Report) MapStrings(fn func(string) string) {
	for i := range r.Pages {
		p := &r.Pages[i]
		p.URL, p.Title = fn(p.URL), fn(p.Title)
	}
	for i := range r.Pixels {
		h := &r.Pixels[i]
		h.Request.URL, h.Page = fn(h.Request.URL), fn(h.Page)
		for j := range h.Fields {
			h.Fields[j].Value = fn(h.Fields[j].Value)
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Value, f.Evidence, f.Page, f.Summary = fn(f.Value), fn(f.Evidence), fn(f.Page), fn(f.Summary)
		if f.Request != nil {
			f.Request.URL = fn(f.Request.URL)
		}
		for j := range f.Details {
			f.Details[j].Value = fn(f.Details[j].Value)
		}
	}
	for i := range r.Requests {
		d := &r.Requests[i]
		d.URL, d.Page, d.Body = fn(d.URL), fn(d.Page), fn(d.Body)
		for j := range d.Headers {
			d.Headers[j] = fn(d.Headers[j])
		}
	}
	if r.Policy != nil {
		for i := range r.Policy.Rules {
			v := r.Policy.Rules[i].Violations
			for j := range v {
				v[j] = fn(v[j])
			}
		}
	}
	for i := range r.Warnings {
		r.Warnings[i] = fn(r.Warnings[i])
	}
}
