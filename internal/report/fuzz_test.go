package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"

	"golang.org/x/net/html"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// FuzzRender feeds reports read from JSON (as `leakwatch diff` and stored
// scans do) to every renderer: none may fail or panic, the HTML must fetch
// nothing, and the machine formats must parse back.
func FuzzRender(f *testing.F) {
	for _, fx := range fixtures {
		b, err := json.Marshal(fx.report())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 80)
	}
	f.Add([]byte(`{"findings":[{"type":"leak","request":{"index":-1}}],"policy":{"rules":[{"id":"x","violations":["a"],"findings":[99,-4]}]}}`), 0)
	f.Add([]byte(`{"third_parties":[{"company":"<b>x</b>","data_kinds":["email","email"]}],"pixels":[{"vendor":"<b>x</b>"}]}`), -5)
	f.Add([]byte(`{"findings":[{"type":"leak"}],"companies":[{"name":"x","third_party":99,"findings":[0,0,-3]}],"unattributed":{"pixels":[7]}}`), 3)
	f.Fuzz(func(t *testing.T, data []byte, width int) {
		var r audit.Report
		if json.Unmarshal(data, &r) != nil {
			return
		}
		opts := Options{Width: width % 1000, Color: width%2 == 0, Verbose: width%3 == 0}
		for _, format := range Formats() {
			var buf bytes.Buffer
			if err := Render(&buf, &r, format, opts); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			checkMachineFormat(t, format, buf.Bytes(), len(r.Findings))
		}
	})
}

func checkMachineFormat(t *testing.T, format string, out []byte, findings int) {
	t.Helper()
	switch format {
	case "html":
		doc, err := html.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("html: %v", err)
		}
		if p := fetchProblems(doc); len(p) > 0 {
			t.Fatalf("html fetches: %v", p)
		}
	case "json", "sarif":
		if !json.Valid(out) {
			t.Fatalf("%s output is not JSON", format)
		}
	case "csv":
		rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		if len(rows) != findings+1 {
			t.Fatalf("csv has %d rows for %d findings", len(rows), findings)
		}
	case "junit":
		dec := xml.NewDecoder(bytes.NewReader(out))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("junit: %v", err)
			}
		}
	}
}
