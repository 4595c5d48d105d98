package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// EnvChrome names the environment variable that overrides the Chromium binary.
const EnvChrome = "LEAKWATCH_CHROME"

// candidates are the executable names looked up on PATH, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNotFound is returned by Find when no Chromium binary is available.
var ErrNotFound = errors.New("no Chromium found: set " + EnvChrome +
	" to its path, or install it (Debian/Ubuntu: apt-get install chromium)")

// Find returns the Chromium executable to use: $LEAKWATCH_CHROME when set,
// else the first of chromium, chromium-browser, google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv(EnvChrome); p != "" {
		st, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvChrome, p, err)
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s=%s: not an executable file", EnvChrome, p)
		}
		return p, nil
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}
