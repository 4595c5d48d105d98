package audit

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Options configures an audit. A nil Classifier is an error; a nil Pool means
// no persona was given (value patterns are still searched).
type Options struct {
	Classifier *party.Classifier
	Pool       *leak.Pool
	// NoPatterns turns off the search for values found without a persona.
	NoPatterns bool
	// IncludeFirstParty also reports persona data sent to the site itself.
	IncludeFirstParty bool
	Tool              Tool
	// Workers is the number of goroutines searching requests for personal
	// data; 0 means GOMAXPROCS.
	Workers int
	// Limits bound what the report keeps; the zero value uses the defaults.
	Limits Limits
	// Budgets bound the leak search of one request (decoded bytes,
	// decompression ratio, decoding depth, findings); zero values use the
	// defaults.
	Budgets leak.Budgets
}

// Validate reports what is wrong with the options.
func (o Options) Validate() error {
	if o.Classifier == nil {
		return fmt.Errorf("audit: no party classifier")
	}
	if o.Workers < 0 {
		return fmt.Errorf("audit: workers must not be negative, got %d", o.Workers)
	}
	if err := o.Budgets.Validate(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Auditor builds one report from one or more captures delivered piece by
// piece. Call Source for each capture, feed it through the returned Visitor,
// then call Report once.
type Auditor struct {
	opts  Options
	state *state
	// search is the leak search of one request: the pool's, replaced only
	// by tests that need it to fail.
	search func(context.Context, *traffic.Request, leak.ScanOptions) leak.Result

	jobs chan scanJob
	wg   sync.WaitGroup
	// steps carry what the sources' visitors are handed (pages, requests,
	// ends) to the one goroutine that classifies and decodes them in
	// order, so that reading the next entry overlaps with analysing this
	// one; stepsDone is closed when it has run them all.
	steps     chan func()
	stepsDone chan struct{}
	mu        sync.Mutex
	scans     []scanResult
	kept      keptTotals // what scans holds, for the limits
	closed    bool
	// visitors are the sources' visitors, so that Report can analyse what
	// a source held back when its reading stopped before End.
	visitors []*sourceVisitor
}

// New returns an Auditor. Its workers run until Report is called or ctx ends.
func New(ctx context.Context, opts Options) (*Auditor, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Pool == nil {
		opts.Pool, _ = leak.NewPool(nil)
	}
	opts.Limits = opts.Limits.withDefaults()
	n := opts.Workers
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	a := &Auditor{opts: opts, state: newState(opts), jobs: make(chan scanJob, 2*n), search: opts.Pool.ScanContext,
		steps: make(chan func(), stepQueue), stepsDone: make(chan struct{})}
	for range n {
		a.wg.Add(1)
		go a.worker(ctx)
	}
	go a.runSteps()
	return a, nil
}

// stepQueue is how many visitor calls may wait for the analysing
// goroutine: enough to keep it busy while the next entry is read, and as
// few as the search queue holds, so that memory stays a small multiple of
// the largest entry.
const stepQueue = 4

// runSteps runs the visitors' calls in the order they were made.
func (a *Auditor) runSteps() {
	defer close(a.stepsDone)
	for step := range a.steps {
		a.runStep(step)
	}
}

// runStep runs one visitor call. A panic in it (a bug: hostile input must
// never cause one) costs that entry, not the analysis: it becomes a
// warning, and the entries after it are analysed.
func (a *Auditor) runStep(step func()) {
	defer func() {
		if r := recover(); r != nil && len(a.state.internalErrors) < 100 {
			a.state.internalErrors = append(a.state.internalErrors,
				fmt.Sprintf("internal error while analysing an entry: %v; that entry was not analysed (please report it)", r))
		}
	}()
	step()
}

// Source starts a new capture named name and returns the Visitor that takes it.
func (a *Auditor) Source(name string) traffic.Visitor {
	v := &sourceVisitor{a: a, src: len(a.visitors), pixels: pixel.NewAnalyzer(),
		site: newSiteDecider(a.opts.Classifier, isBackground)}
	a.visitors = append(a.visitors, v)
	a.steps <- func() { a.state.sources = append(a.state.sources, Source{Path: name}) }
	return v
}

// Report waits for the searches in flight and builds the report. Call it once.
func (a *Auditor) Report() *Report {
	for _, v := range a.visitors {
		if !v.ended {
			// Reading stopped before End (interrupted, a broken file): what
			// was read is still analysed, nothing is lost.
			_ = v.End(&traffic.Capture{})
		}
	}
	if !a.closed {
		close(a.steps)
		<-a.stepsDone
		close(a.jobs)
		a.closed = true
	}
	a.wg.Wait()
	for _, v := range a.visitors {
		v.pixels = nil // the state keeps what cookieIdentifiers needs, and drops it then
	}
	a.prune()
	return a.state.build(a.scans, a.kept)
}

// Run audits whole captures in one call.
func Run(ctx context.Context, opts Options, captures ...*traffic.Capture) (*Report, error) {
	a, err := New(ctx, opts)
	if err != nil {
		return nil, err
	}
	for _, c := range captures {
		if err := c.Visit(a.Source(c.Source)); err != nil {
			a.Report()
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		a.Report()
		return nil, err
	}
	return a.Report(), nil
}

// scanJob is one request waiting for the leak search, with the fields its
// pixel hits named (for the meaning of a leak's location).
type scanJob struct {
	req     *traffic.Request
	ref     reqMeta
	third   bool
	pattern bool
	fields  []pixel.Field
}

// scanResult is what the leak search found in one request.
type scanResult struct {
	ref      reqMeta
	res      leak.Result
	meanings []string // pixel meaning of each of res.Matches
	detail   *RequestDetail
}

func (a *Auditor) worker(ctx context.Context) {
	defer a.wg.Done()
	for job := range a.jobs {
		if ctx.Err() != nil {
			continue
		}
		res := a.scan(ctx, job)
		if len(res.Matches) == 0 && len(res.Patterns) == 0 && len(res.Warnings) == 0 {
			continue
		}
		sr := scanResult{ref: job.ref, res: res}
		for _, m := range res.Matches {
			sr.meanings = append(sr.meanings, meaning(job.fields, m.Location))
		}
		for i := range res.Patterns {
			judgeByMeaning(&res.Patterns[i], job.fields)
		}
		if len(res.Matches) > 0 || len(res.Patterns) > 0 {
			sr.detail = requestDetail(job.req, job.ref)
		}
		a.keep(sr)
	}
}

// scan runs the leak search on one request. A panic in it (a bug; hostile
// input must never cause one) costs that request, not the whole analysis:
// it becomes a warning naming the request, and the other workers go on.
func (a *Auditor) scan(ctx context.Context, job scanJob) (res leak.Result) {
	defer func() {
		if r := recover(); r != nil {
			res = leak.Result{Warnings: []string{fmt.Sprintf(
				"internal error while searching request %d (%s): %v; that request was not searched (please report it)",
				job.ref.index, capString(job.ref.url, 200), r)}}
		}
	}()
	return a.search(ctx, job.req, leak.ScanOptions{Patterns: job.pattern, Budgets: a.opts.Budgets,
		Splitters: splitters})
}

// splitters are the vendors' structured values the leak search splits
// into named slots: parsed in pixel, searched in leak.
var splitters = []leak.Splitter{{Prefix: pixel.GoogleTVPrefix, Split: pixel.SplitGoogleTV}}

// sourceVisitor feeds one capture into the auditor. Requests wait in the
// site decider until the capture's first party is known.
type sourceVisitor struct {
	a       *Auditor
	src     int
	pixels  *pixel.Analyzer
	site    *siteDecider
	consent consentState
	ended   bool
}

// Page, Request and End hand their work to the auditor's analysing
// goroutine and return: the reader goes on with the next entry.
func (v *sourceVisitor) Page(p *traffic.Page) error {
	v.a.steps <- func() { v.page(p) }
	return nil
}

func (v *sourceVisitor) Request(r *traffic.Request) error {
	v.a.steps <- func() { v.request(r) }
	return nil
}

func (v *sourceVisitor) End(c *traffic.Capture) error {
	if v.ended {
		return nil
	}
	v.ended = true
	v.a.steps <- func() { v.end(c) }
	return nil
}

func (v *sourceVisitor) page(p *traffic.Page) {
	v.site.pages[p.ID] = p
	v.a.state.addPage(v.src, p)
}

func (v *sourceVisitor) request(r *traffic.Request) {
	d := v.site
	if d.decided {
		v.process(r)
		return
	}
	d.observe(r)
	d.pending = append(d.pending, r)
	d.bytes += approxSize(r)
	if len(d.pending) >= siteLookahead || d.bytes >= siteLookaheadBytes {
		v.flush()
	}
}

// flush decides the site and analyses the requests held back.
func (v *sourceVisitor) flush() {
	d := v.site
	if !d.decided {
		d.decide()
		v.a.state.sources[v.src].Site = d.site
		v.a.state.firstParty.add(d.site)
	}
	pending := d.pending
	d.pending, d.bytes = nil, 0
	for _, r := range pending {
		v.process(r)
	}
}

func approxSize(r *traffic.Request) int {
	n := len(r.URL) + len(r.Body)
	for _, h := range r.Headers {
		n += len(h.Name) + len(h.Value)
	}
	for _, f := range r.WebSocket {
		n += len(f.Data)
	}
	return n
}

// process classifies and analyses one request.
func (v *sourceVisitor) process(r *traffic.Request) {
	st := v.a.state
	st.sources[v.src].Coverage.add(r)
	if r.Response != nil && r.Response.FromServiceWorker {
		// A service worker answered it: nothing left the browser. What the
		// worker fetched, if anything, is a request of its own.
		st.requests++
		st.sources[v.src].Requests++
		return
	}
	if isBackground(r.URL) {
		st.addBackground(v.src, r)
		return
	}
	page := v.site.pageFor(r)
	pageURL := page.url
	if pageURL == "" {
		pageURL = r.URL // no sign of a site at all: nothing is claimed
	}
	rt := r.ResourceType
	if rt == "document" && r.Target == "iframe" {
		rt = "subdocument" // so filter rules with $subdocument apply
	}
	p := v.a.opts.Classifier.Classify(pageURL, r.URL, rt)
	ref := reqMeta{source: v.src, index: r.Index, url: r.URL, method: r.Method,
		page: pageURL, initiator: r.InitiatorScript(), pageID: r.PageID, party: p}
	if !r.Started.IsZero() {
		ref.time = r.Started.UTC().Format(timeLayout)
	}
	hits := v.pixels.Request(r, p, pageURL)
	st.addRequest(ref, r, hits)
	v.observeConsent(r, ref, hits)
	var fields []pixel.Field
	for _, h := range hits {
		fields = append(fields, h.Fields...)
	}
	if page.site != "" {
		st.firstParty.add(page.site)
	}
	scan := p.ThirdParty || v.a.opts.IncludeFirstParty
	if !scan {
		return
	}
	v.a.jobs <- scanJob{req: r, ref: ref, third: p.ThirdParty, pattern: p.ThirdParty && !v.a.opts.NoPatterns,
		fields: fields}
}

func (v *sourceVisitor) end(c *traffic.Capture) {
	v.flush()
	st := v.a.state
	s := &st.sources[v.src]
	s.Path = firstNonEmpty(c.Source, s.Path)
	s.Creator, s.Browser = c.Creator, c.Browser
	s.Warnings = append(s.Warnings, c.Warnings...)
	if w := s.Coverage.websocketWarning(); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	v.endConsent()
	st.endScanConsent(v.src, c)
	v.pixels.Finish() // only what Identifier needs is kept past here
	for _, f := range v.pixels.Findings() {
		st.behaviour = append(st.behaviour, behaviourFinding(v.src, f, v.a.opts.Classifier))
	}
	s.Warnings = append(s.Warnings, v.pixels.Warnings()...)
	st.analyzers[v.src] = v.pixels
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
