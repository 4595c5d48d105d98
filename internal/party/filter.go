package party

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/AdguardTeam/urlfilter"
	"github.com/AdguardTeam/urlfilter/filterlist"
	"github.com/AdguardTeam/urlfilter/rules"
)

// maxFilterList bounds one list file; EasyList and EasyPrivacy are a few MB.
const maxFilterList = 256 << 20

// maxCached bounds each per-key cache; beyond it results are computed
// without being remembered.
const maxCached = 1 << 17

// filterSet matches requests against Adblock Plus / EasyList rules with one
// urlfilter network engine over all lists.
type filterSet struct {
	engine *urlfilter.NetworkEngine
	names  map[int]string // urlfilter list ID → list name

	// docRules caches, per page URL, the rules matching the page itself as a
	// document: they carry page-wide exceptions ($document, $urlblock).
	docRules sync.Map // string → []*rules.NetworkRule
	docCount atomic.Int64
}

// newFilterSet reads the lists into memory and builds the engine once.
func newFilterSet(ctx context.Context, paths []string) (*filterSet, error) {
	texts := make([]string, 0, len(paths))
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		text, err := readFilterList(p)
		if err != nil {
			return nil, err
		}
		texts = append(texts, text)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = listName(p, paths)
	}
	return buildFilterSet(texts, names, paths)
}

// buildFilterSet builds one engine over the lists' texts. labels name the
// lists in errors. A list in which no network rule parses is an error: it
// is most likely not a filter list at all.
func buildFilterSet(texts, names, labels []string) (*filterSet, error) {
	lists := make([]filterlist.RuleList, 0, len(texts))
	ids := make(map[int]string, len(texts))
	for i, text := range texts {
		ids[i+1] = names[i]
		lists = append(lists, &filterlist.StringRuleList{ID: i + 1, RulesText: text, IgnoreCosmetic: true})
	}
	storage, err := filterlist.NewRuleStorage(lists)
	if err != nil {
		return nil, fmt.Errorf("filter lists: %w", err)
	}
	engine := urlfilter.NewNetworkEngineSkipStorageScan(storage)
	counts := make(map[int]int, len(texts))
	scanner := storage.NewRuleStorageScanner()
	for scanner.Scan() {
		r, idx := scanner.Rule()
		if nr, ok := r.(*rules.NetworkRule); ok {
			engine.AddRule(nr, idx)
			counts[nr.FilterListID]++
		}
	}
	for i, l := range labels {
		if counts[i+1] == 0 {
			return nil, fmt.Errorf("filter list %s: no Adblock Plus network rules in it", l)
		}
	}
	return &filterSet{engine: engine, names: ids}, nil
}

func readFilterList(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("filter list: %w", err)
	}
	if st.IsDir() {
		return "", fmt.Errorf("filter list %s: is a directory", p)
	}
	if st.Size() > maxFilterList {
		return "", fmt.Errorf("filter list %s: larger than %d MiB", p, maxFilterList>>20)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("filter list: %w", err)
	}
	return strings.TrimPrefix(string(b), "\ufeff"), nil
}

// listName is the list's file name, or its path when two lists share a name.
func listName(p string, all []string) string {
	base := filepath.Base(p)
	for _, q := range all {
		if q != p && filepath.Base(q) == base {
			return p
		}
	}
	return base
}

// match returns the blocking rule for a request, or nil when no rule blocks
// it or an exception rule (@@) allows it. pageKnown false means the page URL
// is unknown; the request is then matched as third-party.
func (f *filterSet) match(reqURL, pageURL, resourceType string, pageKnown bool) *FilterMatch {
	req := rules.NewRequest(reqURL, pageURL, requestType(resourceType))
	if !pageKnown {
		req.ThirdParty = true
	}
	found := f.engine.MatchAll(req)
	if len(found) == 0 {
		return nil
	}
	var doc []*rules.NetworkRule
	if pageKnown {
		doc = f.documentRules(pageURL)
	}
	best := rules.NewMatchingResult(found, doc).GetBasicResult()
	if best == nil || best.Whitelist {
		return nil
	}
	return &FilterMatch{List: f.names[best.FilterListID], Rule: best.RuleText}
}

func (f *filterSet) documentRules(pageURL string) []*rules.NetworkRule {
	if v, ok := f.docRules.Load(pageURL); ok {
		return v.([]*rules.NetworkRule)
	}
	doc := f.engine.MatchAll(rules.NewRequest(pageURL, "", rules.TypeDocument))
	if f.docCount.Load() < maxCached {
		if _, loaded := f.docRules.LoadOrStore(pageURL, doc); !loaded {
			f.docCount.Add(1)
		}
	}
	return doc
}

// requestTypes maps the resource types of Chrome DevTools (HAR _resourceType,
// CDP), WebExtensions and Adblock Plus option names to urlfilter's types.
var requestTypes = map[string]rules.RequestType{
	"document":           rules.TypeDocument,
	"main_frame":         rules.TypeDocument,
	"subdocument":        rules.TypeSubdocument,
	"sub_frame":          rules.TypeSubdocument,
	"iframe":             rules.TypeSubdocument,
	"frame":              rules.TypeSubdocument,
	"script":             rules.TypeScript,
	"stylesheet":         rules.TypeStylesheet,
	"image":              rules.TypeImage,
	"imageset":           rules.TypeImage,
	"xhr":                rules.TypeXmlhttprequest,
	"xmlhttprequest":     rules.TypeXmlhttprequest,
	"fetch":              rules.TypeXmlhttprequest,
	"eventsource":        rules.TypeXmlhttprequest,
	"ping":               rules.TypePing,
	"beacon":             rules.TypePing,
	"cspviolationreport": rules.TypePing,
	"csp_report":         rules.TypePing,
	"websocket":          rules.TypeWebsocket,
	"media":              rules.TypeMedia,
	"font":               rules.TypeFont,
	"object":             rules.TypeObject,
	"object_subrequest":  rules.TypeObject,
}

// requestType maps a resource type name, case-insensitively; anything
// unknown (manifest, prefetch, texttrack, "") is "other".
func requestType(resourceType string) rules.RequestType {
	if t, ok := requestTypes[lower(resourceType)]; ok {
		return t
	}
	return rules.TypeOther
}
