package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// TestJSONStreamIsEncodingJSON: the streamed JSON report is byte for byte
// what encoding/json writes for the grouped report, companies included.
func TestJSONStreamIsEncodingJSON(t *testing.T) {
	t.Parallel()
	reports := map[string]func() *audit.Report{
		"shop": shopReport, "empty": emptyReport, "crowd": crowdReport,
		"big":       func() *audit.Report { return bigReport(3) },
		"ungrouped": func() *audit.Report { r := shopReport(); r.Companies, r.Unattributed = nil, nil; return r },
	}
	for name, report := range reports {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got, want bytes.Buffer
			if err := Render(&got, report(), "json", Options{}); err != nil {
				t.Fatal(err)
			}
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(report().Grouped()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed JSON differs from encoding/json:\n%s", firstDiff(got.Bytes(), want.Bytes()))
			}
			if !bytes.Contains(got.Bytes(), []byte(`"companies": [`)) {
				t.Error("the JSON report has no companies")
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(al), len(bl)) {
		if !bytes.Equal(al[i], bl[i]) {
			return "line " + strconv.Itoa(i+1) + ": " + string(al[i]) + " | " + string(bl[i])
		}
	}
	return "lengths differ"
}

// TestViewFollowsAudit: the cards hold what audit attributed to each
// company, whatever the findings' own names say.
func TestViewFollowsAudit(t *testing.T) {
	t.Parallel()
	r := shopReport()
	meta, google := -1, -1
	for i, c := range r.Companies {
		switch c.Name {
		case "Meta":
			meta = i
		case "Google":
			google = i
		}
	}
	if meta < 0 || google < 0 {
		t.Fatal("the shop fixture lacks Meta or Google")
	}
	// Audit moves the GA hit to Meta (as a report read back may say).
	moved := r.Companies[google].Pixels[0]
	r.Companies[google].Pixels = nil
	r.Companies[meta].Pixels = append(r.Companies[meta].Pixels, moved)
	v := newView(r, Options{})
	for _, c := range v.companies {
		has := slices.Contains(c.pixels, moved)
		if want := c.tp.Company == "Meta"; has != want {
			t.Errorf("card %s holds pixel %d: %v, want %v", c.tp.Company, moved, has, want)
		}
	}
}
