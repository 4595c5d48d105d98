package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// amplitude decodes Amplitude uploads: the v1 form POST to api.amplitude.com/
// (api_key, e=<JSON events>) and /2/httpapi or /batch JSON ({api_key,
// events}). Each event is a hit with the shared fields.
var amplitude = Decoder{
	Vendor:  "Amplitude",
	Product: "Amplitude",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "api.amplitude.com", "api2.amplitude.com", "api.eu.amplitude.com",
			"api2.eu.amplitude.com") && pathIs(u, "", "/2/httpapi", "/batch")
	},
	Decode: decodeAmplitude,
}

var amplitudeRules = makeRules(map[string]Meaning{
	"api_key": AccountID, "event_type": EventName, "user_id": UserID,
	"device_id": BrowserID, "session_id": BrowserID,
	"event_properties.*": CustomData, "user_properties.*": CustomData, "groups.*": CustomData,
	"event_properties.[amplitude] page url": PageURL, "event_properties.[amplitude] page location": PageURL,
	"event_properties.page_url": PageURL, "event_properties.referrer": Referrer,
	"event_properties.[amplitude] page title": Title,
	"platform": Device, "os_name": Device, "os_version": Device, "device_model": Device,
	"device_family": Device, "language": Device, "ip": Device, "user_agent": Device,
	"library": Technical, "event_id": Technical, "insert_id": Technical, "time": Technical,
	"sequence_number": Technical, "v": Technical, "upload_time": Technical, "checksum": Technical,
	"client": AccountID, "options.*": Technical, "partner_id": Technical,
})

func decodeAmplitude(r *traffic.Request, u *url.URL) []Hit {
	ps := allParams(r, u)
	if body := jsonBody(r); body != nil && len(ps) == 0 {
		return jsonHits("Amplitude", "Amplitude", amplitudeRules, body, "events")
	}
	var shared []param
	var events []Hit
	for _, p := range ps {
		if p.Name != "e" || !looksJSON(p.Value) {
			shared = append(shared, p)
			continue
		}
		events = jsonHits("Amplitude", "Amplitude", amplitudeRules, []byte(p.Value), "")
		for i := range events {
			for j := range events[i].Fields {
				events[i].Fields[j].Name = "e>" + events[i].Fields[j].Name
			}
		}
	}
	sh := paramHit("Amplitude", "Amplitude", amplitudeRules, shared)
	if len(events) == 0 {
		return []Hit{sh}
	}
	for i := range events {
		events[i].Fields = append(sh.Fields[:len(sh.Fields):len(sh.Fields)], events[i].Fields...)
	}
	return events
}
