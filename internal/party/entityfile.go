package party

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxEntityFile bounds what LoadEntities reads; the largest public entity
// lists are a few megabytes.
const maxEntityFile = 64 << 20

// LoadEntities reads one entity file. name labels errors (usually the path).
// Accepted forms, detected from the content:
//   - a DuckDuckGo Tracker Radar entity (entities/*.json: one object with
//     "name", "displayName" and "properties"),
//   - Disconnect's entities.json, either {"entities": {Name: {...}}} or the
//     bare {Name: {"properties": [...], "resources": [...]}} map,
//   - third-party-web's entities.json array ({"name", "company",
//     "homepage", "category", "domains"}).
//
// Tracker Radar and Disconnect list registrable domains that cover their
// subdomains; they are returned in wildcard form ("*.facebook.com").
// Entities are returned in file order, Disconnect's sorted by name.
func LoadEntities(r io.Reader, name string) ([]Entity, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxEntityFile+1))
	if err != nil {
		return nil, fmt.Errorf("entities file %s: %w", name, err)
	}
	if len(raw) > maxEntityFile {
		return nil, fmt.Errorf("entities file %s: larger than %d MiB", name, maxEntityFile>>20)
	}
	ents, err := decodeEntities(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	if err != nil {
		return nil, fmt.Errorf("entities file %s: %w", name, err)
	}
	if len(ents) == 0 {
		return nil, fmt.Errorf("entities file %s: no entities in it", name)
	}
	return ents, nil
}

func decodeEntities(raw []byte) ([]Entity, error) {
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("empty file")
	}
	switch trimmed[0] {
	case '[':
		return decodeTPW(raw)
	case '{':
	default:
		return nil, errors.New("not a JSON object or array")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if isArray(top["properties"]) || isString(top["displayName"]) {
		e, err := decodeRadar(raw)
		if err != nil {
			return nil, err
		}
		return []Entity{e}, nil
	}
	if ents, ok := top["entities"]; ok && isObject(ents) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(ents, &m); err != nil {
			return nil, fmt.Errorf("\"entities\": %w", err)
		}
		return decodeDisconnect(m)
	}
	return decodeDisconnect(top)
}

// radarEntity is a DuckDuckGo Tracker Radar entities/*.json file.
type radarEntity struct {
	Name        string   `json:"name"`
	DisplayName string   `json:"displayName"`
	Properties  []string `json:"properties"`
	Resources   []string `json:"resources"`
}

func decodeRadar(raw []byte) (Entity, error) {
	var r radarEntity
	if err := json.Unmarshal(raw, &r); err != nil {
		return Entity{}, fmt.Errorf("tracker radar entity: %w", err)
	}
	name := strings.TrimSpace(r.DisplayName)
	if name == "" {
		name = strings.TrimSpace(r.Name)
	}
	if name == "" {
		return Entity{}, errors.New("tracker radar entity: no \"name\" or \"displayName\"")
	}
	doms, err := wildcardDomains(name, append(r.Properties, r.Resources...))
	if err != nil {
		return Entity{}, err
	}
	return Entity{Name: name, Company: name, Domains: doms}, nil
}

// disconnectEntity is one value of Disconnect's entities map.
type disconnectEntity struct {
	Properties []string `json:"properties"`
	Resources  []string `json:"resources"`
}

func decodeDisconnect(m map[string]json.RawMessage) ([]Entity, error) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]Entity, 0, len(names))
	for _, n := range names {
		if n == "license" && isString(m[n]) {
			continue // Disconnect's wrapper carries a licence string
		}
		if !isObject(m[n]) {
			return nil, fmt.Errorf("unknown format: %q is not an entity object "+
				"(want Tracker Radar, Disconnect or third-party-web entities JSON)", n)
		}
		var d disconnectEntity
		if err := json.Unmarshal(m[n], &d); err != nil {
			return nil, fmt.Errorf("entity %q: %w", n, err)
		}
		name := strings.TrimSpace(n)
		if name == "" {
			return nil, errors.New("entity with an empty name")
		}
		if len(d.Properties)+len(d.Resources) == 0 {
			return nil, fmt.Errorf("entity %q: no \"properties\" or \"resources\"", n)
		}
		doms, err := wildcardDomains(name, append(d.Properties, d.Resources...))
		if err != nil {
			return nil, err
		}
		out = append(out, Entity{Name: name, Company: name, Domains: doms})
	}
	return out, nil
}

// tpwEntity is one entry of third-party-web's entities.json.
type tpwEntity struct {
	Name       string   `json:"name"`
	Company    string   `json:"company"`
	Homepage   string   `json:"homepage"`
	Category   string   `json:"category"`
	Categories []string `json:"categories"`
	Domains    []string `json:"domains"`
}

func decodeTPW(raw []byte) ([]Entity, error) {
	var in []tpwEntity
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("third-party-web entities array: %w", err)
	}
	out := make([]Entity, 0, len(in))
	for i, t := range in {
		name := strings.TrimSpace(t.Name)
		if name == "" {
			return nil, fmt.Errorf("entity %d: no \"name\"", i)
		}
		e := Entity{Name: name, Company: strings.TrimSpace(t.Company), Homepage: t.Homepage}
		for _, c := range append([]string{t.Category}, t.Categories...) {
			if c != "" && !slices.Contains(e.Categories, c) {
				e.Categories = append(e.Categories, c)
			}
		}
		for _, d := range t.Domains {
			n, err := checkDomain(name, d)
			if err != nil {
				return nil, err
			}
			e.Domains = append(e.Domains, n)
		}
		out = append(out, e)
	}
	return out, nil
}

// wildcardDomains validates domains and writes each as "*.domain".
func wildcardDomains(entity string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, d := range in {
		n, err := checkDomain(entity, d)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(n, "*.") {
			n = "*." + n
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// checkDomain normalizes a domain entry and rejects anything that is not a
// host name, an IP address or "*." followed by a host name.
func checkDomain(entity, d string) (string, error) {
	n := strings.TrimRight(strings.ToLower(strings.TrimSpace(d)), ".")
	h := strings.TrimPrefix(n, "*.")
	if _, err := netip.ParseAddr(h); err == nil && h == n {
		return n, nil
	}
	if !validHostname(h) {
		return "", fmt.Errorf("entity %q: domain %q is not a host name", entity, d)
	}
	return n, nil
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func isArray(r json.RawMessage) bool  { return firstByte(r) == '[' }
func isObject(r json.RawMessage) bool { return firstByte(r) == '{' }
func isString(r json.RawMessage) bool { return firstByte(r) == '"' }

func firstByte(r json.RawMessage) byte {
	t := bytes.TrimLeft(r, " \t\r\n")
	if len(t) == 0 {
		return 0
	}
	return t[0]
}

// loadEntityPaths reads every entity file; a directory stands for the *.json
// files in it (a Tracker Radar checkout's entities/ folder), in name order.
func loadEntityPaths(paths []string) ([]Entity, error) {
	var all []Entity
	for _, p := range paths {
		files, err := expandEntityPath(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			ents, err := loadEntityFile(f)
			if err != nil {
				return nil, err
			}
			all = append(all, ents...)
		}
	}
	return all, nil
}

func expandEntityPath(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("entities file: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	files, err := filepath.Glob(filepath.Join(p, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("entities directory %s: %w", p, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("entities directory %s: no *.json files in it", p)
	}
	slices.Sort(files)
	return files, nil
}

func loadEntityFile(path string) ([]Entity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("entities file: %w", err)
	}
	defer f.Close()
	return LoadEntities(f, path)
}
