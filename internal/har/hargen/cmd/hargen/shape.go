package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/har/hargen"
)

// shapeArgs are the flags of the tracker-dense and adversarial shapes.
type shapeArgs struct {
	size           int64
	requests       int
	n              string
	seed           int64
	truth, persona string
}

func runShape(shape, out string, a shapeArgs) error {
	if shape == "tracker-dense" {
		return runDense(out, a)
	}
	if !slices.Contains(hargen.ShapeNames(), shape) {
		return fmt.Errorf("unknown shape %q: want shop, tracker-dense or one of %s", shape, strings.Join(hargen.ShapeNames(), ", "))
	}
	opts := hargen.AdversarialOptions{Seed: a.seed}
	if a.n != "" {
		n, err := parseSize(a.n)
		if err != nil {
			return fmt.Errorf("-n: %w", err)
		}
		opts.N = n
	}
	if err := writePersona(a.persona); err != nil {
		return err
	}
	return write(out, func(w io.Writer) error { return hargen.Adversarial(w, shape, opts) })
}

func runDense(out string, a shapeArgs) error {
	opts := hargen.DenseOptions{Requests: a.requests, TargetBytes: a.size, Seed: a.seed}
	var plants []hargen.Plant
	err := write(out, func(w io.Writer) error {
		var err error
		plants, err = hargen.TrackerDense(w, opts)
		return err
	})
	if err != nil {
		return err
	}
	if err := writePersona(a.persona); err != nil {
		return err
	}
	if a.truth == "" {
		return nil
	}
	return write(a.truth, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, p := range plants {
			if err := enc.Encode(map[string]any{"request": p.Request, "key": p.Key, "where": p.Where, "encoding": p.Encoding}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writePersona writes hargen.DensePersona as a leakwatch persona file.
func writePersona(path string) error {
	if path == "" {
		return nil
	}
	p := hargen.DensePersona()
	text := fmt.Sprintf("name: hargen\nemail: %q\nphone: %q\nfirst_name: %q\nlast_name: %q\ntracking_numbers: [%q]\n",
		p["email"], p["phone"], p["first_name"], p["last_name"], p["tracking_numbers"])
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("persona: %w", err)
	}
	return nil
}
