package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// yandexMetrica decodes Yandex Metrica hits: /watch/<counter> (and
// /webvisor/, /clmap/) with browser-info "key:value" pairs and site-info JSON.
var yandexMetrica = Decoder{
	Vendor:  "Yandex",
	Product: "Yandex Metrica",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "mc.yandex.ru", "mc.yandex.com", "mc.yandex.by", "mc.yandex.kz",
			"mc.yandex.com.tr", "mc.yandex.ua", "mc.webvisor.org", "mc.webvisor.com") &&
			pathHasPrefix(u, "/watch/", "/webvisor/", "/clmap/")
	},
	Decode: decodeYandex,
}

var yandexRules = makeRules(map[string]Meaning{
	"page-url": PageURL, "page-ref": Referrer, "site-info*": CustomData,
	"browser-info>t": Title, "browser-info>*": Technical,
	"browser-info>w": Device, "browser-info>s": Device, "browser-info>sk": Device,
	"browser-info>z": Device, "browser-info>u": BrowserID, "browser-info>gdpr": Technical,
	"charset": Technical, "ut": Technical, "wmode": Technical, "rn": Technical,
	"force-urlencoded": Technical, "wv-type": Technical, "wv-part": Technical,
	"wv-check": Technical, "wv-hit": Technical, "cnt-class": Technical,
})

func decodeYandex(r *traffic.Request, u *url.URL) []Hit {
	b := newBuilder("Yandex", "Yandex Metrica", yandexRules)
	b.hit.Account = pathSegment(u, 1)
	b.hit.Event = strings.ToLower(pathSegment(u, 0))
	for _, p := range allParams(r, u) {
		if strings.EqualFold(p.Name, "browser-info") {
			for _, kv := range browserInfo(p.Value) {
				b.add(p.Name+">"+kv.Name, kv.Value)
			}
			continue
		}
		b.addValue(p.Name, p.Value)
	}
	if body := requestBody(r); len(body) > 0 && formParams(r) == nil {
		b.addAs("body", string(body), Raw) // Webvisor's binary encoding is not decoded
	}
	return []Hit{b.hit}
}

// browserInfo splits "k:v:k:v" pairs; "t" (the title, which may contain
// colons) takes the rest of the string.
func browserInfo(s string) []param {
	var out []param
	for s != "" {
		k, rest, ok := strings.Cut(s, ":")
		if !ok {
			out = append(out, param{k, ""})
			break
		}
		if k == "t" {
			out = append(out, param{k, rest})
			break
		}
		v, after, _ := strings.Cut(rest, ":")
		out = append(out, param{k, v})
		s = after
	}
	return out
}
