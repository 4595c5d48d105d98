package har

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// TestZipOfSharedHARs turns every shared capture into the .har.zip that
// Playwright's content: 'attach' would have written (request and response
// bodies and WebSocket frames moved out to members) and wants the same
// capture from it as from the plain file, and the same again when written
// back as HAR (the real-world captures are skipped with -short).
func TestZipOfSharedHARs(t *testing.T) {
	t.Parallel()
	har, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "har"), "*.har"))
	var gz []string
	if !testing.Short() {
		gz, _ = filepath.Glob(filepath.Join(sharedtest.Path(t, "realworld"), "*.har.gz"))
	}
	for _, path := range append(har, gz...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			opts := Options{Name: "x", MaxResponseBody: -1}
			rc, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			// The plain side goes through the same JSON rewrite (key
			// order, object params) without moving anything out.
			plain, err := Read(context.Background(), bytes.NewReader(attachAll(t, raw, false)), opts)
			if err != nil {
				t.Fatal(err)
			}
			zipped, err := Read(context.Background(), bytes.NewReader(attachAll(t, raw, true)), opts)
			if err != nil {
				t.Fatal(err)
			}
			plain.Warnings, zipped.Warnings = nil, nil
			if !reflectDeepEqual(plain, zipped) {
				reportDiff(t, plain, zipped)
			}
			// What was read from the zip writes back to the same capture.
			assertRoundTrip(t, zipped, opts)
		})
	}
}

// attachAll rewrites a HAR the way Playwright's attach mode lays it out.
// With move false it only rewrites the JSON, as a plain HAR.
func attachAll(t *testing.T, raw []byte, move bool) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(raw, bomUTF8)))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var ms []member
	entries, _ := doc["log"].(map[string]any)["entries"].([]any)
	for i, x := range entries {
		if !move {
			break
		}
		e := x.(map[string]any)
		if pd, ok := e["request"].(map[string]any)["postData"].(map[string]any); ok {
			if text, _ := pd["text"].(string); text != "" {
				name := fmt.Sprintf("req%d.dat", i)
				ms = append(ms, member{name, []byte(text)})
				pd["text"], pd["_file"] = "", name
				if enc, _ := pd["encoding"].(string); strings.EqualFold(enc, "base64") {
					ms[len(ms)-1].data = decodeOrKeep(text)
					delete(pd, "encoding")
				}
			}
		}
		resp, _ := e["response"].(map[string]any)
		content, _ := resp["content"].(map[string]any)
		if text, _ := content["text"].(string); text != "" {
			name := fmt.Sprintf("resp%d.dat", i)
			data := []byte(text)
			if enc, _ := content["encoding"].(string); strings.EqualFold(enc, "base64") {
				data = decodeOrKeep(text)
			} else if enc != "" {
				continue // an unknown encoding stays inline
			}
			ms = append(ms, member{name, data})
			delete(content, "text")
			delete(content, "encoding")
			content["_file"] = name
		}
		if frames, ok := e["_webSocketMessages"].([]any); ok && len(frames) > 0 && content != nil && content["_file"] == nil {
			var lines bytes.Buffer
			for _, f := range frames {
				b, _ := json.Marshal(f)
				lines.Write(append(b, '\n'))
			}
			name := fmt.Sprintf("ws%d.jsonl", i)
			ms = append(ms, member{name, lines.Bytes()})
			delete(e, "_webSocketMessages")
			content["_file"], e["_resourceType"] = name, "websocket"
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !move {
		return b
	}
	return buildZip(t, append(ms, member{"har.har", b})...)
}

func decodeOrKeep(s string) []byte {
	if b, err := decodeBase64(s); err == nil {
		return b
	}
	return []byte(s)
}
