package pixel

import "strings"

// FieldAt returns the field of a hit that a location names, for tagging a
// leak found at that location with the field's meaning. It accepts the
// names this package uses and the leak package's spelling of them (nested
// names joined with " > ", ";k" path parameters), and falls back to the
// same name without array indexes. ok is false when no field matches.
func FieldAt(fields []Field, location string) (Field, bool) {
	loc := normalizeLocation(location)
	if loc == "" {
		return Field{}, false
	}
	for _, f := range fields {
		if f.Name == location || normalizeLocation(f.Name) == loc {
			return f, true
		}
	}
	bare := stripIndexes(loc)
	for _, f := range fields {
		if stripIndexes(normalizeLocation(f.Name)) == bare {
			return f, true
		}
	}
	// A value found inside a field (a tracking number in the query of the
	// page URL "dl > tn") has the meaning of the field that holds it.
	if i := strings.LastIndex(loc, ">"); i > 0 {
		return FieldAt(fields, loc[:i])
	}
	return Field{}, false
}

// normalizeLocation removes the spaces around ">" and a leading ";".
func normalizeLocation(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), ";")
	if !strings.Contains(s, " >") && !strings.Contains(s, "> ") {
		return s
	}
	parts := strings.Split(s, ">")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ">")
}
