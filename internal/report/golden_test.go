package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

var fixtures = []struct {
	name   string
	report func() *audit.Report
	opts   Options
}{
	{"shop", shopReport, Options{}},
	{"empty", emptyReport, Options{}},
	{"crowd", crowdReport, Options{}},
	{"crowd-verbose", crowdReport, Options{Verbose: true}},
}

var extensions = map[string]string{
	"text": "txt", "json": "json", "html": "html", "markdown": "md", "csv": "csv", "junit": "xml", "sarif": "sarif",
}

// TestGolden renders every fixture in every format and compares it with
// testdata/<fixture>.<ext>.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures {
		for _, format := range Formats() {
			t.Run(fx.name+"/"+format, func(t *testing.T) {
				t.Parallel()
				var buf bytes.Buffer
				opts := fx.opts
				opts.Width = 100
				if err := Render(&buf, fx.report(), format, opts); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", fx.name+"."+extensions[format]), buf.Bytes())
			})
		}
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	sharedtest.Golden(t, path, got, *update)
}
