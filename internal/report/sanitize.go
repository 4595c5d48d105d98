package report

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// terminalSafe returns a deep copy of r whose strings cannot drive a
// terminal: control characters (ESC, BEL, CR, C1, ...) become visible
// escapes such as "\x1b". Traffic is written by websites, so a URL or a
// header could otherwise rewrite the screen or the window title.
func terminalSafe(r *audit.Report) (*audit.Report, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("copy report: %w", err)
	}
	var c audit.Report
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("copy report: %w", err)
	}
	cleanStrings(reflect.ValueOf(&c).Elem())
	return &c, nil
}

func cleanStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(visibleControls(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			cleanStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			cleanStrings(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			cleanStrings(v.Index(i))
		}
	}
}

// visibleControls replaces control characters with Go-style escapes.
func visibleControls(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 && !strings.ContainsRune(s, '\u2028') {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u2028':
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
