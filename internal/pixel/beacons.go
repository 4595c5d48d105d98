package pixel

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// beaconTable is what the Analyzer keeps of the hosts that received
// unknown beacons. A capture can reach hundreds of thousands of hosts, so
// a host costs its name's bytes in a strTable and one small record; the
// company is looked up when findings are made.
type beaconTable struct {
	hosts *strTable // a host's id is the position of its record
	recs  chunkList[beaconRec]
	// domains are the registrable domains that are not a suffix of their
	// host, by host id.
	domains map[int]string
	used    byteBudget // counted, not limited: the hosts are few per request
	dropped int        // names beyond maxNamesPerFinding, over all hosts
}

// beaconRec is one host's beacons.
type beaconRec struct {
	keys  []string    // sorted, distinct parameter names; may be shared
	more  *requestSet // the requests after the first, when there are any
	first int32       // the first request
	// suffix is the length of the host's suffix that is its registrable
	// domain, or -1 when the domain is in beaconTable.domains.
	suffix int32
}

// addRequest records one more request of the host.
func (e *beaconRec) addRequest(i int) {
	last := e.first
	if e.more != nil && len(*e.more) > 0 {
		last = (*e.more)[len(*e.more)-1]
	}
	if last == int32(i) {
		return
	}
	if e.more == nil {
		e.more = &requestSet{}
	}
	e.more.add(i)
}

// requests returns the host's requests, sorted and distinct.
func (e *beaconRec) requests() []int {
	all := requestSet{e.first}
	if e.more != nil {
		all = append(all, *e.more...)
	}
	return all.sorted()
}

// recordBeacon notes tiny image requests with query parameters to third
// parties that no decoder recognised.
func (a *Analyzer) recordBeacon(r *traffic.Request, u *url.URL, p party.Party, hits []Hit) {
	if len(hits) > 0 || !p.ThirdParty || u.RawQuery == "" || !tinyImage(r) {
		return
	}
	t := &a.beacons
	if t.hosts == nil {
		t.hosts = newStrTable(&t.used)
	}
	h := host(u)
	id, added, ok := t.hosts.add(h)
	if !ok {
		return // a host name longer than a chunk is no host
	}
	if added {
		rec := beaconRec{first: int32(r.Index), suffix: int32(len(p.Domain))}
		if !strings.HasSuffix(h, p.Domain) {
			rec.suffix = -1
			if t.domains == nil {
				t.domains = map[int]string{}
			}
			t.domains[id] = strings.Clone(p.Domain)
		}
		t.recs.add(rec)
	}
	e := t.recs.ref(id)
	if !added {
		e.addRequest(r.Index)
	}
	var buf [maxBeaconParams]string
	for _, name := range appendBeaconNames(buf[:0], u.RawQuery) {
		e.keys, t.dropped = addName(e.keys, t.dropped, name, a.internName)
	}
	if added {
		e.keys = a.shareNames(e.keys)
	}
}

// maxBeaconParams is how many of a beacon's parameters name it.
const maxBeaconParams = 20

// appendBeaconNames appends the names of the first maxBeaconParams
// parameters of query to dst, as parseQuery reads them; the values are
// neither cut out nor unescaped.
func appendBeaconNames(dst []string, query string) []string {
	for n := 0; query != "" && n < maxBeaconParams; {
		var part string
		part, query, _ = strings.Cut(query, "&")
		if part == "" {
			continue
		}
		name, _, _ := strings.Cut(part, "=")
		dst = append(dst, codec.QueryUnescape(name))
		n++
	}
	return dst
}

// domain returns the registrable domain of beacon host id, named h.
func (t *beaconTable) domain(id int, h string, e *beaconRec) string {
	if e.suffix < 0 {
		return t.domains[id]
	}
	return h[len(h)-int(e.suffix):]
}

func (a *Analyzer) beaconFindings() []Finding {
	var out []Finding
	t := &a.beacons
	for _, id := range a.listedBeacons() {
		e := t.recs.ref(id)
		h := t.hosts.str(id)
		domain := t.domain(id, h, e)
		reqs := e.requests()
		out = append(out, Finding{
			Type: FindingUnknownBeacon, Vendor: a.companyOf(domain), Host: h, Domain: domain,
			Summary: fmt.Sprintf("%s received %d tracking-pixel request(s) (tiny images with query "+
				"parameters) that no decoder recognizes.", h, len(reqs)),
			Details:  []Detail{{"parameters", strings.Join(e.keys, ",")}},
			Requests: reqs,
		})
	}
	return out
}

// listedBeacons returns the ids of the beacon hosts to list, in host name
// order: all of them, or past maxBeaconFindings the hosts with the most
// beacon requests (ties by name), the rest counted in a warning.
func (a *Analyzer) listedBeacons() []int {
	t := &a.beacons
	a.limits[limitBeacons] = limitHit{first: -1}
	ids := make([]int, t.recs.n)
	for i := range ids {
		ids[i] = i
	}
	byName := func(x, y int) int { return bytes.Compare(t.hosts.view(x), t.hosts.view(y)) }
	if len(ids) > maxBeaconFindings {
		counts := make([]int32, len(ids))
		for i := range counts {
			if e := t.recs.ref(i); e.more != nil {
				counts[i] = int32(len(e.requests()))
			} else {
				counts[i] = 1
			}
		}
		slices.SortFunc(ids, func(x, y int) int { return cmp.Or(cmp.Compare(counts[y], counts[x]), byName(x, y)) })
		a.limits[limitBeacons].count = len(ids) - maxBeaconFindings
		ids = ids[:maxBeaconFindings]
	}
	slices.SortFunc(ids, byName)
	return ids
}
