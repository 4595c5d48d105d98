// Package har reads and writes HTTP Archive (HAR 1.1 and 1.2) files and maps
// them to and from the traffic model.
//
// Reading streams: entries are decoded one at a time, so memory is bounded by
// the largest entry, not by the file. Exports of Chrome/Edge DevTools,
// Firefox, Safari, chrome-har, browsertime, WebPagetest, Playwright, Fiddler
// and mitmproxy are understood, including Chrome's extra fields (_initiator,
// _resourceType, _webSocketMessages). A malformed entry is skipped with a
// warning; a file cut off part-way yields every complete entry and a warning.
//
// Input is recognised by its first bytes, whatever the file name: plain
// JSON, gzip (.har.gz), or a zip (Playwright's .har.zip, recordHar with a
// .zip path or content: 'attach'). From a zip the .har member is read
// (har.har, else the first by name) and the attachments it names are loaded
// from the zip: request postData._file, response content._file, and a
// WebSocket's frames as JSON lines (content._file "<id>.jsonl"). Attached
// bodies obey the same caps as inline ones (MaxString for a request body,
// MaxResponseBody for a response, MaxEntry and MaxItems for frames), and
// everything read out of the zip counts against MaxUnzipped, so a zip bomb
// is refused with a warning or an error, never decompressed. A zip on a
// stream without random access (standard input) is spooled to a temporary
// file first.
//
// Extension fields this package writes (HAR's underscore convention):
//   - postData._base64: the exact bytes of a request body that is not valid
//     UTF-8. HAR 1.2 has no encoding for postData, so postData.text holds
//     the body as UTF-8 with U+FFFD for the invalid bytes, for viewers;
//     this reader prefers _base64. postData.encoding "base64", written by
//     other tools and older versions of this one, is still read.
//   - _serverPort beside serverIPAddress (Playwright's name), from
//     traffic.Response.RemoteIP and RemotePort.
//   - log._cookies, log._storage, page _url, _error, _screenshot, entry
//     _frameId, _frameURL, _target, response _error (see Write).
//
// WebSocket frame times are Unix seconds (Chrome); a time past 1e11 is
// read as milliseconds (Playwright).
//
// Reading is bounded whatever the file declares: a guard between the bytes
// and the JSON decoder cuts strings, entries, lists and nesting to the
// budgets of Options (MaxString, MaxEntry, MaxItems, MaxDepth), each cut
// named in a warning with the entry, the field and the sizes, and checks
// the context at every buffer, so a read stops within one buffer of being
// cancelled even inside a 2 GB string.
//
// The guard's output, compact JSON checked for syntax, is read once by a
// hand-written tokenizer (tokens.go) that decodes each entry straight into
// this package's HAR types (entrydecode.go, entryfields.go); a value of a
// shape it does not take (a type mismatch, a key in another case, a
// repeated object) sends the entry to encoding/json, so that every entry
// reads, or is skipped with the same warning, exactly as encoding/json
// reads it. Tests hold the two readers to the same result on the real
// HARs, the generated shapes, cut files and a fuzz target (FuzzTokens).
//
// Conventions of the mapping (what a reader of a Capture can rely on):
//   - times are in UTC;
//   - empty lists and empty bodies are nil;
//   - Initiator line and column numbers are 0-based as in the Chrome DevTools
//     protocol (chrome-har's and WebPagetest's 1-based _initiator_line and
//     _initiator_column are converted);
//   - Request.Params is set only when the HAR has no postData.text;
//   - a response with status 0 and nothing else recorded is no response
//     (Request.Response is nil).
package har
