package browser

import (
	"embed"
	"strings"
)

//go:embed js/*.js
var jsFiles embed.FS

// script returns an embedded page script without its leading comment lines.
func script(name string) string {
	data, err := jsFiles.ReadFile("js/" + name + ".js")
	if err != nil {
		panic("browser: missing embedded script " + name) // a build mistake, caught by tests
	}
	var keep []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") && len(keep) == 0 {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
