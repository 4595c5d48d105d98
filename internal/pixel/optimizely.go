package pixel

// optimizelyEvents decodes Optimizely Web event batches to
// logx.optimizely.com/v1/events (JSON: account_id, visitors with
// visitor_id, attributes, and snapshots of decisions and events) and the
// legacy /log/event and /log/decision calls. Without a recorded body these
// carry nothing and yield no hit.
var optimizelyEvents = paramVendor{
	Vendor: "Optimizely", Product: "Optimizely",
	Match: matchHostPath([]string{"logx.optimizely.com"}, "/v1/events", "/log/"),
	Rules: makeRules(map[string]Meaning{
		"account_id": AccountID, "visitors.visitor_id": BrowserID, "visitors.session_id": BrowserID,
		"visitors.snapshots.events.key": EventName, "visitors.snapshots.events.y": EventName,
		"visitors.snapshots.events.*": CustomData,
		"visitors.attributes.*":       CustomData, "visitors.snapshots.decisions.*": Technical,
		"project_id": Technical, "revision": Technical, "client_name": Technical, "client_version": Technical,
		"anonymize_ip": Technical, "enrich_decisions": Technical,
	}),
	Event: eventNamed("event"),
	Body:  splitOn("-"),
}.decoder()
