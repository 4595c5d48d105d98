package consent

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Platform is a consent platform or framework a capture shows, with the
// evidence: which requests showed it and how.
type Platform struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence is one way a platform showed: Kind "host" (a request to one of
// its hosts), "path" (its script on another host), "cookie" (its cookie
// sent), "cmp id" (a TC string its CMP id wrote) or "signal" (a consent
// string of a framework). Detail names what matched; FirstRequest is the
// index of the first request showing it and Requests how many did.
type Evidence struct {
	Kind         string `json:"kind"`
	Detail       string `json:"detail"`
	FirstRequest int    `json:"first_request"`
	Requests     int    `json:"requests"`
}

// Detect returns the consent platforms and frameworks the requests show,
// in the order of the platform table, each with its evidence.
func Detect(reqs []Request) []Platform {
	return DetectSignals(reqs, ObserveAll(reqs))
}

// DetectSignals is Detect for a caller that already observed the
// requests' signals (ObserveAll), so they are not read twice.
func DetectSignals(reqs []Request, sigs []Signal) []Platform {
	d := detector{found: map[string]map[[2]string]*Evidence{}}
	for _, r := range reqs {
		d.request(r)
	}
	for _, s := range sigs {
		d.signal(s)
	}
	return d.platforms()
}

// detector collects evidence by platform name and (kind, detail).
type detector struct {
	found map[string]map[[2]string]*Evidence
}

// add records one piece of evidence for a platform.
func (d *detector) add(platform, kind, detail string, req int) {
	m := d.found[platform]
	if m == nil {
		m = map[[2]string]*Evidence{}
		d.found[platform] = m
	}
	key := [2]string{kind, detail}
	if e, ok := m[key]; ok {
		e.Requests++
		e.FirstRequest = min(e.FirstRequest, req)
		return
	}
	m[key] = &Evidence{Kind: kind, Detail: detail, FirstRequest: req, Requests: 1}
}

// request matches one request's URL and cookies against the table.
func (d *detector) request(r Request) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return
	}
	d.hostPath(strings.ToLower(u.Hostname()), u.Path, r.Index)
	for _, m := range cookieMatchesOf(r.Headers, r.Cookies) {
		d.add(m.platform, "cookie", m.cookie, r.Index)
	}
}

// hostPath matches a request's host and path against the table.
func (d *detector) hostPath(host, path string, index int) {
	for _, p := range platformRules {
		for _, h := range p.Hosts {
			if host == h || len(host) > len(h) && host[len(host)-len(h)-1] == '.' && strings.HasSuffix(host, h) {
				d.add(p.Name, "host", host, index)
			}
		}
		for _, x := range p.Paths {
			if strings.Contains(path, x) {
				d.add(p.Name, "path", x+" on "+host, index)
			}
		}
	}
}

// signal credits frameworks with their decoded strings and CMPs with the
// CMP id of TC strings.
func (d *detector) signal(s Signal) {
	if s.Err != "" {
		return
	}
	for _, p := range platformRules {
		for _, k := range p.Signals {
			if k == s.Kind && s.Source != "cookie" {
				d.add(p.Name, "signal", fmt.Sprintf("%s in %s %s", s.Kind, s.Source, s.Field), s.Request)
			}
		}
	}
	for _, tc := range signalTCs(s) {
		name := "IAB TCF"
		for _, p := range platformRules {
			if contains(p.CMPIDs, tc.CMPID) {
				name = p.Name
			}
		}
		d.add(name, "cmp id", fmt.Sprintf("CMP id %d in %s %s", tc.CMPID, s.Source, s.Field), s.Request)
	}
}

// signalTCs returns the TC strings a signal carries, directly or in a
// GPP tcfeuv2 section.
func signalTCs(s Signal) []*TCString {
	var out []*TCString
	if s.TC != nil {
		out = append(out, s.TC)
	}
	if s.GPP != nil {
		for _, sec := range s.GPP.Sections {
			if sec.TC != nil {
				out = append(out, sec.TC)
			}
		}
	}
	return out
}

// platforms returns what was found, in table order, evidence sorted.
func (d *detector) platforms() []Platform {
	var out []Platform
	for _, p := range platformRules {
		m := d.found[p.Name]
		if len(m) == 0 {
			continue
		}
		pl := Platform{Name: p.Name, Kind: p.Kind}
		for _, e := range m {
			pl.Evidence = append(pl.Evidence, *e)
		}
		sort.Slice(pl.Evidence, func(i, j int) bool {
			a, b := pl.Evidence[i], pl.Evidence[j]
			if a.FirstRequest != b.FirstRequest {
				return a.FirstRequest < b.FirstRequest
			}
			return a.Kind+a.Detail < b.Kind+b.Detail
		})
		out = append(out, pl)
	}
	return out
}
