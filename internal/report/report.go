package report

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Options tune rendering. The zero value works.
type Options struct {
	// Color turns on ANSI colour in the text format.
	Color bool
	// Width is the terminal width for the text format; 0 means 100.
	Width int
	// Screenshots maps a PageInfo.Screenshot file name to its image bytes
	// (PNG or JPEG). The HTML format embeds them as data: URIs; a screenshot
	// without bytes here is named but not shown.
	Screenshots map[string][]byte
	// Verbose shows everything: pattern findings of every confidence with
	// their reason, every company, every cookie and identifier finding, and
	// every decoded pixel field. The default folds the long tail of a busy
	// page and shows only high-confidence pattern findings. JSON and CSV
	// always hold everything.
	Verbose bool
}

type renderer func(w io.Writer, r *audit.Report, opts Options) error

// formats lists the renderers in the order Formats reports them.
var formats = []struct {
	name   string
	render renderer
}{
	{"text", renderText},
	{"json", renderJSON},
	{"html", renderHTML},
	{"markdown", renderMarkdown},
	{"csv", renderCSV},
	{"junit", renderJUnit},
	{"sarif", renderSARIF},
}

// Formats returns the names Render accepts.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// Render writes r to w in the named format.
func Render(w io.Writer, r *audit.Report, format string, opts Options) error {
	if r == nil {
		return errors.New("render report: no report")
	}
	// Group by company as audit does, when the report (read from JSON,
	// written before companies existed) does not say.
	r = r.Grouped()
	name := strings.ToLower(strings.TrimSpace(format))
	if name == "md" {
		name = "markdown"
	}
	for _, f := range formats {
		if f.name == name {
			if err := f.render(w, r, opts); err != nil {
				return fmt.Errorf("render %s report: %w", name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("unknown report format %q (valid: %s)", format, strings.Join(Formats(), ", "))
}

func renderJSON(w io.Writer, r *audit.Report, _ Options) error {
	// Ends with a newline, as json.Encoder does.
	return renderJSONSafe(w, func(w io.Writer) error { return writeJSONStream(w, r) })
}
