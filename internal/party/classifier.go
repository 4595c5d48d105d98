package party

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Classifier answers who a request goes to. Build it once with
// NewClassifier; Classify is safe for concurrent use.
type Classifier struct {
	idx       *entityIndex
	filters   *filterSet        // nil without filter lists
	companies map[string]string // lowercased canonical company → spelling
	generic   map[string]bool   // labels that never make sibling domains

	hosts     sync.Map // normalized host → *hostInfo
	hostCount atomic.Int64
}

// hostInfo is what the classifier remembers of one host.
type hostInfo struct {
	host, domain string
	// label is the registrable domain's label before its ICANN public
	// suffix when it may name a sibling domain ("almundo" of almundo.com.ar);
	// "" otherwise (see siblingLabel).
	label string
	ref   domainRef
	known bool
}

// NewClassifier loads the embedded entity data, merges opts.EntityFiles over
// it (later files win for a domain they share) and builds one filter engine
// over opts.FilterLists. Errors name the file and what is wrong with it.
func NewClassifier(ctx context.Context, opts Options) (*Classifier, error) {
	idx, err := embeddedIndex()
	if err != nil {
		return nil, err
	}
	if len(opts.EntityFiles) > 0 {
		ents, err := loadEntityPaths(opts.EntityFiles)
		if err != nil {
			return nil, err
		}
		idx = idx.clone()
		for _, e := range ents {
			idx.add(e)
		}
	}
	generic, err := embeddedGenericLabels()
	if err != nil {
		return nil, err
	}
	c := &Classifier{idx: idx, companies: companyNames(idx), generic: generic}
	if len(opts.FilterLists) > 0 {
		if c.filters, err = newFilterSet(ctx, opts.FilterLists); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Classify describes the request to reqURL made by the page at pageURL.
//
// ThirdParty is false when the request's registrable domain equals the
// page's, both are owned by the same company (facebook.com and fbcdn.net) or
// they are sibling domains (almundo.com and almundo.com.ar; SameCompany).
// When pageURL has no host (unknown page), nothing can be first party to it
// and ThirdParty is true for every request with a host. A request without a
// host (data:, about:) is not third party and has no Company.
//
// resourceType is the browser's name for the request's kind, as HAR
// _resourceType, CDP or WebExtensions spell it (document, subdocument or
// sub_frame, script, stylesheet, image, xhr, fetch, ping, beacon, websocket,
// media, font, other...); case does not matter and unknown names count as
// "other". Filter lists see the request as a browser would: third-party when the
// registrable domains differ (the lists' meaning of $third-party), or when
// the page is unknown. Rules are matched with one engine call, plus one per
// distinct page URL for page-wide exceptions ($document); the entity and
// registrable domain of each host are computed once and cached, so the
// third-party decision is two cache lookups.
func (c *Classifier) Classify(pageURL, reqURL, resourceType string) Party {
	r := c.info(hostOf(reqURL))
	p := Party{Host: r.host, Domain: r.domain, Company: r.domain}
	if r.known {
		e := &c.idx.ents[r.ref.ent]
		p.Company, p.Entity, p.Known, p.Categories = e.Company, e.Name, true, e.Categories
	}
	if r.host == "" {
		return p
	}
	pageHost := hostOf(pageURL)
	if pageHost == "" {
		p.ThirdParty = true
	} else {
		p.ThirdParty = !c.same(c.info(pageHost), r)
	}
	if c.filters != nil {
		p.Filter = c.filters.match(reqURL, pageURL, resourceType, pageHost != "")
	}
	return p
}

// Entity returns the entity owning host (a host name, optionally with a
// port, or a URL), or nil when the data does not know it. The result is a
// copy the caller may keep.
func (c *Classifier) Entity(host string) *Entity {
	r := c.info(hostArg(host))
	if !r.known {
		return nil
	}
	e := c.idx.ents[r.ref.ent]
	e.Categories = slices.Clone(e.Categories)
	e.Domains = slices.Clone(e.Domains)
	return &e
}

// SameCompany reports whether two hosts (or URLs) belong to one owner: the
// same registrable domain, entities with the same Company, or sibling
// domains (the same distinctive label under two ICANN public suffixes:
// almundo.com and almundo.com.ar; see siblingLabel). A match through a shared
// hosting suffix (*.github.io) names the platform, not the site owner, and
// does not count; when the entity data knows both hosts and names different
// companies, the data decides.
func (c *Classifier) SameCompany(hostA, hostB string) bool {
	return c.same(c.info(hostArg(hostA)), c.info(hostArg(hostB)))
}

func (c *Classifier) same(a, b *hostInfo) bool {
	if a.domain == "" || b.domain == "" {
		return false
	}
	if a.domain == b.domain {
		return true
	}
	if a.ref.platform && a.known || b.ref.platform && b.known {
		return false
	}
	if a.known && b.known {
		return a.ref.ent == b.ref.ent ||
			strings.EqualFold(c.idx.ents[a.ref.ent].Company, c.idx.ents[b.ref.ent].Company)
	}
	return a.label != "" && a.label == b.label
}

// hostArg accepts a bare host ("Example.com:443") or a URL.
func hostArg(s string) string {
	if strings.Contains(s, "://") {
		return hostOf(s)
	}
	return normalizeHost(s)
}

var noHost = &hostInfo{}

// maxCachedHosts bounds the host cache: the hosts seen first are cached
// (a site's few hundred trackers), later ones are worked out each time, so
// a capture to hundreds of thousands of one-off hosts does not keep a
// record of each.
const maxCachedHosts = 1 << 15

// info returns the cached facts about a normalized host.
func (c *Classifier) info(host string) *hostInfo {
	if host == "" {
		return noHost
	}
	if v, ok := c.hosts.Load(host); ok {
		return v.(*hostInfo)
	}
	h := &hostInfo{host: host, domain: RegistrableDomain(host)}
	h.ref, h.known = c.idx.lookup(host)
	if !h.known {
		h.ref, h.known = c.idx.fam.lookup(host, h.domain)
	}
	h.label = siblingLabel(h.domain, c.generic)
	if len(host) <= 253 && c.hostCount.Load() < maxCachedHosts {
		if v, loaded := c.hosts.LoadOrStore(host, h); loaded {
			return v.(*hostInfo)
		}
		c.hostCount.Add(1)
	}
	return h
}
