package report

import "github.com/leakwatch/leakwatch/internal/audit"

// resolver finds the company card a finding or pixel hit belongs to: by
// the receiver's company, then the request host, then the pixel product,
// then the vendor name.
type resolver struct {
	byName    map[string]int
	byHost    map[string]int
	byProduct map[string]int
	urls      map[reqKey]string // request URLs known from details, pixel hits and findings
	n         int
}

func newResolver(r *audit.Report) *resolver {
	res := &resolver{byName: map[string]int{}, byHost: map[string]int{}, byProduct: map[string]int{},
		urls: map[reqKey]string{}}
	for _, d := range r.Requests {
		res.urls[reqKey{d.Source, d.Index}] = d.URL
	}
	for _, h := range r.Pixels {
		res.urls[reqKey{h.Request.Source, h.Request.Index}] = h.Request.URL
	}
	for _, f := range r.Findings {
		if f.Request != nil && f.Request.URL != "" {
			res.urls[reqKey{f.Request.Source, f.Request.Index}] = f.Request.URL
		}
	}
	for i := range r.ThirdParties {
		tp := &r.ThirdParties[i]
		setFirst(res.byName, tp.Company, i)
		for _, h := range tp.Hosts {
			setFirst(res.byHost, h, i)
		}
		for _, p := range tp.Products {
			setFirst(res.byProduct, p, i)
		}
	}
	res.n = len(r.ThirdParties)
	return res
}

func setFirst(m map[string]int, key string, i int) {
	if _, ok := m[key]; !ok && key != "" {
		m[key] = i
	}
}

// add registers a company that only findings name and returns its index.
func (res *resolver) add(name string) int {
	res.byName[name] = res.n
	res.n++
	return res.n - 1
}

func (res *resolver) lookup(name, url, product, vendor string) int {
	if i, ok := res.byName[name]; ok && name != "" {
		return i
	}
	if i, ok := res.byHost[hostOf(url)]; ok && url != "" {
		return i
	}
	if i, ok := res.byProduct[product]; ok && product != "" {
		return i
	}
	if i, ok := res.byName[vendor]; ok && vendor != "" {
		return i
	}
	return -1
}

func (res *resolver) finding(f *audit.Finding) int {
	var name, url string
	if f.Receiver != nil {
		name = f.Receiver.Company
		if i, ok := res.byHost[f.Receiver.Host]; ok && name == "" {
			return i
		}
	}
	src := 0
	if f.Request != nil {
		url, src = f.Request.URL, f.Request.Source
	}
	if i := res.lookup(name, url, f.Product, f.Vendor); i >= 0 {
		return i
	}
	// Last resort: the host of any request the finding points at.
	for _, n := range f.Requests {
		if i, ok := res.byHost[hostOf(res.urls[reqKey{src, n}])]; ok {
			return i
		}
	}
	return -1
}

func (res *resolver) pixel(h *audit.PixelHit) int {
	return res.lookup("", h.Request.URL, h.Product, h.Vendor)
}
