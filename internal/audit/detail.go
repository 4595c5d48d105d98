package audit

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxDetailBody caps the request body kept as evidence in the report.
const maxDetailBody = 16 << 10

func requestDetail(r *traffic.Request, m reqMeta) *RequestDetail {
	d := &RequestDetail{Index: r.Index, Source: m.source, URL: r.URL, Method: r.Method, Time: m.time,
		Page: m.page, Type: r.ResourceType, Initiator: m.initiator}
	if r.Response != nil {
		d.Status = r.Response.Status
	}
	for _, h := range r.Headers {
		d.Headers = append(d.Headers, h.Name+": "+h.Value)
	}
	body := r.Body
	if len(body) == 0 && len(r.Params) > 0 {
		for i, p := range r.Params {
			if i > 0 {
				body = append(body, '&')
			}
			body = append(body, p.Name+"="+p.Value...)
		}
	}
	if len(body) > maxDetailBody {
		cut := maxDetailBody
		// Do not split a UTF-8 character, or a text body would turn base64.
		for cut > maxDetailBody-utf8.UTFMax && cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body, d.BodyTruncated = body[:cut], true
	}
	if utf8.Valid(body) {
		d.Body = string(body)
	} else {
		d.Body = "base64:" + base64.StdEncoding.EncodeToString(body)
	}
	return d
}

func itoa(i int) string { return strconv.Itoa(i) }
