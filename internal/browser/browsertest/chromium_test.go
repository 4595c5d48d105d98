package browsertest

import (
	"reflect"
	"testing"
)

func TestMapArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, addr, spki string
		want                []string
	}{
		{"*.test", "127.0.0.1", "abc=", []string{"--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost",
			"--ignore-certificate-errors-spki-list=abc="}},
		{"*", "127.0.0.1:8443", "", []string{"--host-resolver-rules=MAP * 127.0.0.1:8443, EXCLUDE localhost"}},
	}
	for _, tt := range tests {
		if got := MapArgs(tt.pattern, tt.addr, tt.spki); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MapArgs(%q, %q, %q) = %q, want %q", tt.pattern, tt.addr, tt.spki, got, tt.want)
		}
	}
}
