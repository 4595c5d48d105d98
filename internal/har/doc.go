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
// Reading is bounded whatever the file declares: a guard between the bytes
// and the JSON decoder cuts strings, entries, lists and nesting to the
// budgets of Options (MaxString, MaxEntry, MaxItems, MaxDepth), each cut
// named in a warning with the entry, the field and the sizes, and checks
// the context at every buffer, so a read stops within one buffer of being
// cancelled even inside a 2 GB string.
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
