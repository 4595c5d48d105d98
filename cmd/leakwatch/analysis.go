package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
)

// analysisFlags are the flags that shape the analysis, shared by analyze,
// scan and demo.
type analysisFlags struct {
	personas          []string
	entities          []string
	filterLists       []string
	includeFirstParty bool
	noPatterns        bool
	limits            audit.Limits
	budgets           leak.Budgets
}

func (f *analysisFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.personas, "persona", nil,
		"persona file (YAML or JSON) with the tester's values to look for; repeatable")
	fl.StringArrayVar(&f.entities, "entities", nil,
		"extra company ownership data (DuckDuckGo Tracker Radar entity JSON or Disconnect entities.json); repeatable")
	fl.StringArrayVar(&f.filterLists, "filter-list", nil,
		"Adblock Plus / EasyList filter list; requests it blocks are marked with the rule; repeatable")
	fl.BoolVar(&f.includeFirstParty, "include-first-party", false,
		"also report persona data sent to the site's own domains")
	fl.BoolVar(&f.noPatterns, "no-patterns", false,
		"do not look for emails, phone numbers, addresses, tracking and card numbers without a persona")
	fl.IntVar(&f.limits.MaxFindings, "max-findings", audit.DefaultMaxFindings,
		"most leak and pattern findings a report lists (the earliest requests win; the rest are counted in a warning)")
	fl.IntVar(&f.limits.MaxPixelHits, "max-pixel-hits", audit.DefaultMaxPixelHits,
		"most pixel hits a report lists in full (the rest are counted per product in a warning)")
	fl.IntVar(&f.limits.MaxEvidenceBytes, "max-evidence-bytes", audit.DefaultMaxEvidenceBytes,
		"most bytes of raw request evidence (headers, bodies) a report keeps")
	fl.IntVar(&f.budgets.MaxDecodedBytes, "max-decoded-bytes", leak.DefaultMaxDecodedBytes,
		"most bytes decoding (inflating, base64, URL, lz-string) may produce for one request; a body may use a quarter")
	fl.IntVar(&f.budgets.MaxExpansion, "max-expansion", leak.DefaultMaxExpansion,
		"most times its input size one decompression may produce, past 64 KiB (zip-bomb guard)")
	fl.IntVar(&f.budgets.MaxDepth, "max-decode-depth", leak.DefaultMaxDepth,
		"decoding layers tried below the wire form (base64 of gzip of JSON is two)")
	fl.IntVar(&f.budgets.MaxFindings, "max-findings-per-request", leak.DefaultMaxFindings,
		"most distinct findings kept for one request; the rest are counted per value")
}

// analysis is the prepared, reusable part of an analysis run.
type analysis struct {
	flags      analysisFlags
	classifier *party.Classifier
	pool       *leak.Pool
	personas   []leak.Persona
}

func (f *analysisFlags) prepare(ctx context.Context, e *env) (*analysis, error) {
	if err := f.budgets.Validate(); err != nil {
		return nil, usageError{err}
	}
	for _, l := range []struct {
		flag string
		n    int
	}{{"--max-findings", f.limits.MaxFindings}, {"--max-pixel-hits", f.limits.MaxPixelHits},
		{"--max-evidence-bytes", f.limits.MaxEvidenceBytes}} {
		if l.n <= 0 {
			return nil, usageError{fmt.Errorf("%s must be positive, got %d", l.flag, l.n)}
		}
	}
	personas, err := f.loadPersonas()
	if err != nil {
		return nil, err
	}
	return prepareWith(ctx, e, *f, personas)
}

// loadPersonas reads every --persona file.
func (f *analysisFlags) loadPersonas() ([]leak.Persona, error) {
	var personas []leak.Persona
	for _, path := range f.personas {
		ps, err := leak.LoadPersonas(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("persona %s: %w", path, err)}
		}
		personas = append(personas, ps...)
	}
	return personas, nil
}

func prepareWith(ctx context.Context, e *env, f analysisFlags, personas []leak.Persona) (*analysis, error) {
	for i, p := range personas {
		for _, w := range p.Validate() {
			e.log().Warn(p.Label(i) + ": " + w)
		}
	}
	pool, warnings := leak.NewPool(personas)
	for _, w := range warnings {
		e.log().Warn(w)
	}
	cl, err := party.NewClassifier(ctx, party.Options{EntityFiles: f.entities, FilterLists: f.filterLists})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageError{err}
		}
		return nil, err
	}
	return &analysis{flags: f, classifier: cl, pool: pool, personas: personas}, nil
}

func (a *analysis) auditor(ctx context.Context) (*audit.Auditor, error) {
	return audit.New(ctx, a.auditOptions())
}

// auditOptions are the analysis flags as audit takes them: the same for a
// HAR, a scan, the consent comparison and a service scan.
func (a *analysis) auditOptions() audit.Options {
	return audit.Options{
		Classifier:        a.classifier,
		Pool:              a.pool,
		NoPatterns:        a.flags.noPatterns,
		IncludeFirstParty: a.flags.includeFirstParty,
		Tool:              audit.Tool{Name: "leakwatch", Version: toolVersion()},
		Limits:            a.flags.limits,
		Budgets:           a.flags.budgets,
	}
}
