package pixel

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// segment decodes Segment (analytics.js) calls: api.segment.io/v1/<type>
// with a JSON body; a batch is one hit per element under "batch". The write
// key is in the body or in Basic authorization.
var segment = Decoder{
	Vendor:  "Segment",
	Product: "Segment",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "api.segment.io", "api.segment.com", "events.eu1.segmentapis.com") &&
			pathHasPrefix(u, "/v1/")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		hits := jsonHits("Segment", "Segment", segmentRules, requestBody(r), "batch")
		key := segmentAuthKey(r)
		for i := range hits {
			if key != "" {
				hits[i].Fields = append(hits[i].Fields, Field{Name: "Authorization", Value: key, Meaning: AccountID})
			}
			if hasMeaning(hits[i].Fields, EventName) {
				continue
			}
			hits[i].Event = segmentType(hits[i].Fields)
			if hits[i].Event == "" {
				hits[i].Event = strings.TrimPrefix(strings.ToLower(u.Path), "/v1/")
			}
		}
		return hits
	},
}

// segmentAuthKey returns the write key of a Basic authorization header.
func segmentAuthKey(r *traffic.Request) string {
	v, ok := strings.CutPrefix(r.Headers.Get("Authorization"), "Basic ")
	if !ok {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return ""
	}
	key, _, _ := strings.Cut(string(b), ":")
	return key
}

var segmentRules = makeRules(map[string]Meaning{
	"writekey": AccountID, "event": EventName, "name": CustomData,
	"userid": UserID, "anonymousid": BrowserID, "previousid": BrowserID, "groupid": CustomData,
	"traits.*": PlainPII, "context.traits.*": PlainPII, "properties.*": CustomData,
	"context.page.url": PageURL, "context.page.path": PageURL, "context.page.search": PageURL,
	"context.page.referrer": Referrer, "context.page.title": Title,
	"properties.url": PageURL, "properties.referrer": Referrer, "properties.title": Title,
	"context.useragent": Device, "context.locale": Device, "context.screen.*": Device,
	"context.ip": Device, "context.timezone": Device, "context.useragentdata.*": Device,
	"context.campaign.*": CustomData, "context.library.*": Technical,
	"messageid": Technical, "timestamp": Technical, "sentat": Technical, "type": Technical,
	"_metadata.*": Technical, "integrations.*": Technical, "context.instanceid": Technical,
})

// segmentType returns the value of a "type" field (top level or in a batch).
func segmentType(fs []Field) string {
	for _, f := range fs {
		if f.Name == "type" || strings.HasPrefix(f.Name, "batch.") && strings.HasSuffix(f.Name, ".type") &&
			strings.Count(f.Name, ".") == 2 {
			return f.Value
		}
	}
	return ""
}
