package har

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// readLog reads the "log" object, whose keys may come in any order.
func (s *streamer) readLog() error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.jsonErr(err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("%w: not a HAR: \"log\" is %s, want an object", ErrInvalid, tokenKind(tok))
	}
	sawEntries := false
	err = s.readObject(func(key string) error {
		switch key {
		case "creator":
			s.end.Creator = s.readCreator("log.creator")
		case "browser":
			s.end.Browser = s.readCreator("log.browser")
		case "pages":
			return s.readArray("log.pages", s.readPage)
		case "entries":
			sawEntries = true
			s.started = true
			if err := s.readArray("log.entries", s.readEntry); err != nil {
				return err
			}
			s.finished = true
		case "_cookies":
			var cs []harCookie
			if s.decodeWarn("log._cookies", &cs) {
				s.end.Cookies = cookies(cs)
			}
		case "_storage":
			var st []harStorage
			if s.decodeWarn("log._storage", &st) {
				s.end.Storage = storage(st)
			}
		case consentField:
			var h harConsentLog
			if s.decodeWarn("log."+consentField, &h) {
				setConsentLog(&s.end, &h)
			}
		default:
			return s.skip()
		}
		return s.decodeErr
	})
	if err != nil {
		return err
	}
	if !sawEntries {
		return fmt.Errorf("%w: not a HAR: no \"entries\" array in \"log\"", ErrInvalid)
	}
	return nil
}

// decodeWarn decodes one small value; a type mismatch becomes a warning and
// false. A JSON error is kept in s.decodeErr for the caller to return.
func (s *streamer) decodeWarn(what string, v any) bool {
	err := s.dec.Decode(v)
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		s.warn(fmt.Sprintf("%s: %s: %s", s.name, what, typeErrText(te)))
		return false
	}
	s.decodeErr = s.jsonErr(err)
	return false
}

func (s *streamer) readCreator(what string) string {
	var c harCreator
	if !s.decodeWarn(what, &c) {
		return ""
	}
	return strings.TrimSpace(c.Name + " " + c.Version)
}

// readArray reads an array element by element with elem. null counts as an
// empty array for pages; for entries it is a structural error.
func (s *streamer) readArray(what string, elem func() error) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.jsonErr(err)
	}
	if tok == nil && what == "log.pages" {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("%w: %s is %s, want an array", ErrInvalid, what, tokenKind(tok))
	}
	for s.dec.More() {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if err := elem(); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil {
		return s.jsonErr(err)
	}
	return nil
}

func (s *streamer) readPage() error {
	n := s.pageN
	s.pageN++
	var hp harPage
	if !s.decodeWarn(fmt.Sprintf("page %d", n), &hp) {
		return s.decodeErr
	}
	p := s.page(&hp, n)
	if p.URL == "" {
		p.URL = s.firstURL[p.ID]
	}
	if s.started {
		// Pages after the entries: nothing left to wait for.
		return s.v.Page(p)
	}
	s.pending = append(s.pending, p)
	if len(s.pending) > maxPending {
		// Too many pages waiting for entries: hand on the oldest.
		if err := s.v.Page(s.pending[0]); err != nil {
			return err
		}
		s.pending = s.pending[1:]
	}
	return nil
}

func (s *streamer) readEntry() error {
	idx := s.entries
	s.entries++
	s.inEntry = true
	var e harEntry
	err := s.dec.Decode(&e)
	if err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			if err = s.jsonErr(err); errors.Is(err, errTruncated) {
				return err
			}
			return fmt.Errorf("entry %d: %w", idx, err)
		}
		s.inEntry = false
		s.warnEntry(idx, "skipped: %s", typeErrText(te))
		return nil
	}
	s.inEntry = false
	req, err := s.request(&e, idx)
	if err != nil {
		s.warnEntry(idx, "skipped: %v", err)
		return nil
	}
	if _, ok := s.firstURL[req.PageID]; !ok && len(s.firstURL) < maxPageRefs {
		s.firstURL[req.PageID] = req.URL
	}
	for _, p := range s.pending {
		if p.ID == req.PageID && p.URL == "" {
			p.URL = req.URL
		}
	}
	if err := s.flushPages(req.PageID); err != nil {
		return err
	}
	return s.v.Request(req)
}

// flushPages delivers pending pages in file order up to and including the
// page with the given id; with id "" it delivers them all. A page that has
// no URL of its own takes the URL of the first entry that refers to it.
func (s *streamer) flushPages(id string) error {
	upTo := -1
	for i, p := range s.pending {
		if id == "" || p.ID == id {
			upTo = i
			if id != "" {
				break
			}
		}
	}
	if upTo < 0 {
		return nil
	}
	for _, p := range s.pending[:upTo+1] {
		if err := s.v.Page(p); err != nil {
			return err
		}
	}
	s.pending = append(s.pending[:0], s.pending[upTo+1:]...)
	return nil
}

// typeErrText says what a type mismatch was: "request.headers: want array,
// got object".
func typeErrText(te *json.UnmarshalTypeError) string {
	want := "a different type"
	if te.Type != nil {
		want = kindName(te.Type.Kind().String())
	}
	got, _, _ := strings.Cut(te.Value, " ")
	if te.Field == "" {
		return fmt.Sprintf("want %s, got %s", want, got)
	}
	return fmt.Sprintf("%s: want %s, got %s", te.Field, want, got)
}

func kindName(kind string) string {
	switch {
	case kind == "slice" || kind == "array":
		return "array"
	case kind == "struct" || kind == "map" || kind == "ptr":
		return "object"
	case kind == "string":
		return "string"
	case kind == "bool":
		return "boolean"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	}
	return kind
}

var _ traffic.Visitor = (*traffic.Collector)(nil)
