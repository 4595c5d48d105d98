package browser

import (
	"strings"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		err  string
	}{
		{nil, ""},
		{[]string{"--host-resolver-rules=MAP *.test 127.0.0.1", "--lang=de"}, ""},
		{[]string{"--user-data-dir=/tmp/x"}, "ProfileDir"},
		{[]string{"--remote-debugging-port=9222"}, "set by leakwatch"},
		{[]string{"https://example.com/"}, "not a flag"},
	}
	for _, tt := range tests {
		o := Options{Args: tt.args}
		err := o.Validate()
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Validate(%q) = %v, want %q", tt.args, err, tt.err)
		}
	}
}
