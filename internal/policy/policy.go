package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Policy is a named list of rules.
type Policy struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Rules       []Rule `json:"rules"`
}

// Rule is one allow/deny statement.
type Rule struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	// Match scopes the rule; nil applies it to every item.
	Match *Selector `json:"match,omitempty"`
	// Deny says which items break the rule. It is required.
	Deny *Selector `json:"deny"`
	// Allow makes exceptions to Deny; nil makes none.
	Allow *Selector `json:"allow,omitempty"`
	// Line is where the rule starts in its file, 0 when built in code.
	Line int `json:"-"`
}

// Selector picks items. Every non-empty key must match; within a key any
// value may match. Values are case-insensitive globs (* and ?).
type Selector struct {
	// What an item is. When none of these is set, a deny selector picks
	// every finding and a match or allow selector every item.
	Data         []string `json:"data,omitempty"`          // persona keys, custom.*, or *
	Patterns     []string `json:"patterns,omitempty"`      // pattern rules: email, us-ssn, ...
	Types        []string `json:"finding_types,omitempty"` // finding types: leak, session-replay, ...
	ThirdParties bool     `json:"third_parties,omitempty"` // each third-party company
	Pixels       bool     `json:"pixels,omitempty"`        // each pixel ID (vendor, product, account)

	// Where and how it went.
	Companies  []string `json:"company,omitempty"`
	Domains    []string `json:"domain,omitempty"`   // registrable domain or host; a plain name covers its subdomains
	Categories []string `json:"category,omitempty"` // third-party-web categories: ad, analytics, ...
	Pages      []string `json:"pages,omitempty"`    // "/path/*" matches the page path, anything else the full URL
	Channels   []string `json:"channels,omitempty"`
	Meanings   []string `json:"meanings,omitempty"` // pixel field meanings: page_url, hashed_email, ...
	Accounts   []string `json:"accounts,omitempty"` // pixel/account IDs
	// Confidence picks pattern findings by confidence (high, medium, low).
	// Without it a deny selector picks only high-confidence ones.
	Confidence []string `json:"confidence,omitempty"`
}

// Load reads a policy file.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return Parse(data, path)
}

// Parse parses a YAML policy. name is used in error messages and as the
// policy's name when the file gives none.
func Parse(data []byte, name string) (*Policy, error) {
	p, err := parse(data, name)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	return p, nil
}

func parse(data []byte, name string) (*Policy, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty policy")
		}
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("line %d: a policy file holds one YAML document", extra.Line)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("empty policy")
	}
	root := doc.Content[0]
	p := &Policy{}
	err := eachKey(root, "policy", func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "name":
			p.Name, err = scalar(v, key)
		case "description":
			p.Description, err = scalar(v, key)
		case "rules":
			p.Rules, err = parseRules(v)
		default:
			return unknownKey(v, key, "policy", "name, description, rules")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if len(p.Rules) == 0 {
		return nil, fmt.Errorf("line %d: the policy has no rules", root.Line)
	}
	return p, nil
}

func parseRules(v *yaml.Node) ([]Rule, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: rules must be a list", v.Line)
	}
	var rules []Rule
	ids := map[string]int{}
	for i, n := range v.Content {
		r, err := parseRule(n)
		if err != nil {
			return nil, err
		}
		if r.ID == "" {
			r.ID = fmt.Sprintf("rule-%d", i+1)
		}
		if r.Description == "" {
			r.Description = r.ID
		}
		if line, dup := ids[r.ID]; dup {
			return nil, fmt.Errorf("line %d: rule id %q already used on line %d", n.Line, r.ID, line)
		}
		ids[r.ID] = n.Line
		rules = append(rules, r)
	}
	return rules, nil
}

func parseRule(n *yaml.Node) (Rule, error) {
	r := Rule{Line: n.Line}
	err := eachKey(n, "rule", func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			r.ID, err = scalar(v, key)
		case "description":
			r.Description, err = scalar(v, key)
		case "match":
			r.Match, err = parseSelector(v, key)
		case "deny":
			r.Deny, err = parseSelector(v, key)
		case "allow":
			r.Allow, err = parseSelector(v, key)
		default:
			return unknownKey(v, key, "rule", "id, description, match, deny, allow")
		}
		return err
	})
	if err != nil {
		return r, err
	}
	label := r.ID
	if label == "" {
		label = fmt.Sprintf("starting on line %d", n.Line)
	}
	if r.Deny == nil {
		return r, fmt.Errorf("line %d: rule %s has no deny: say what breaks it", n.Line, label)
	}
	return r, nil
}

// eachKey walks a mapping node in order.
func eachKey(n *yaml.Node, what string, f func(key string, v *yaml.Node) error) error {
	if n.Kind == yaml.AliasNode {
		return fmt.Errorf("line %d: YAML aliases are not supported in policies", n.Line)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping of keys to values", n.Line, what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s keys must be plain names", k.Line, what)
		}
		if v.Kind == yaml.AliasNode {
			return fmt.Errorf("line %d: YAML aliases are not supported in policies", v.Line)
		}
		if seen[k.Value] {
			return fmt.Errorf("line %d: key %q appears twice in the %s", k.Line, k.Value, what)
		}
		seen[k.Value] = true
		if err := f(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func unknownKey(v *yaml.Node, key, where, valid string) error {
	return fmt.Errorf("line %d: unknown key %q in %s (valid: %s)", v.Line, key, where, valid)
}

func scalar(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: %s must be a single value", v.Line, key)
	}
	return v.Value, nil
}

// list accepts a single value or a list of values.
func list(v *yaml.Node, key string) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		if v.Value == "" || v.Tag == "!!null" {
			return nil, fmt.Errorf("line %d: %s is empty", v.Line, key)
		}
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a value or a list of values", v.Line, key)
	}
	var out []string
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode || e.Value == "" {
			return nil, fmt.Errorf("line %d: each value of %s must be a non-empty string", e.Line, key)
		}
		out = append(out, e.Value)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("line %d: %s is an empty list", v.Line, key)
	}
	return out, nil
}

func boolean(v *yaml.Node, key string) (bool, error) {
	if v.Kind == yaml.ScalarNode {
		switch strings.ToLower(v.Value) {
		case "true", "yes":
			return true, nil
		case "false", "no":
			return false, nil
		}
	}
	return false, fmt.Errorf("line %d: %s must be true or false", v.Line, key)
}
