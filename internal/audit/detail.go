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
	d := &RequestDetail{Index: r.Index, Source: m.source, URL: capString(r.URL, maxDetailURL), Method: r.Method,
		Time: m.time, Page: capString(m.page, maxRefURL), Type: r.ResourceType, Initiator: capString(m.initiator, maxRefURL)}
	if r.Response != nil {
		d.Status = r.Response.Status
	}
	for i, h := range r.Headers {
		if i == maxHeaders {
			d.Headers = append(d.Headers, "…: "+strconv.Itoa(len(r.Headers)-i)+" more headers not kept")
			break
		}
		d.Headers = append(d.Headers, capString(h.Name, 256)+": "+capString(h.Value, maxHeaderValue))
	}
	body := r.Body
	if len(body) == 0 && len(r.Params) > 0 {
		body = nil
		for i, p := range r.Params {
			if len(body) > maxDetailBody {
				break
			}
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

// size is roughly the memory a detail holds.
func (d *RequestDetail) size() int {
	n := len(d.URL) + len(d.Body) + len(d.Page) + len(d.Initiator) + 64
	for _, h := range d.Headers {
		n += len(h) + 16
	}
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }
