package sharedtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got, want string
		say       string // "" when equal, else a part of the description
	}{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", `line 2:`},
		{"a\nb\n", "a\nb", `line 2:`},
		{"a\nb\nc\n", "a\nb\n", `got 3 lines, want 2 (first missing or extra line 3: "c\n")`},
		{"", "x\n", `line 1:`},
		{"a\n", "a\nextra\n", `"extra\n"`},
	}
	for _, tt := range tests {
		d := FirstDiff([]byte(tt.got), []byte(tt.want))
		if (tt.say == "") != (d == "") || !strings.Contains(d, tt.say) {
			t.Errorf("FirstDiff(%q, %q) = %q, want it to say %q", tt.got, tt.want, d, tt.say)
		}
	}
}

func TestGoldenUpdateKeepsEqualFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	Golden(t, path, []byte("one\n"), true)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil { // a rewrite would now fail
		t.Fatal(err)
	}
	Golden(t, path, []byte("one\n"), true)
	Golden(t, path, []byte("one\n"), false)
	if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("-update rewrote a golden file that already held the output")
	}
	GoldenJSON(t, filepath.Join(filepath.Dir(path), "v.json"), map[string]int{"b": 2, "a": 1}, true)
	data, _ := os.ReadFile(filepath.Join(filepath.Dir(path), "v.json"))
	if string(data) != "{\n  \"a\": 1,\n  \"b\": 2\n}\n" {
		t.Errorf("GoldenJSON wrote %q", data)
	}
}
