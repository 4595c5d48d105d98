package har

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// bodyText is a body string of a HAR (postData.text, content.text) decoded
// straight into bytes: one allocation instead of a string and its copy, and
// bytes that are not UTF-8 are kept as recorded rather than replaced.
type bodyText []byte

func (t *bodyText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = nil
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		// Not a string (a tool wrote the JSON body as JSON): keep its text.
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*t = buf.Bytes()
		return nil
	}
	out, err := codec.UnquoteJSON(b[1 : len(b)-1])
	if err != nil {
		return fmt.Errorf("body text: %w", err)
	}
	*t = out
	return nil
}

func (t bodyText) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(t)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
