package party

import "testing"

func TestSiblingDomains(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct {
		page, req string
		first     bool
	}{
		// The same distinctive label under two ICANN suffixes.
		{"https://www.almundo.com.ar/", "https://api.almundo.com/x", true},
		{"https://www.almundo.com/", "https://static.almundo.com.ar/x", true},
		{"https://www.nytimes.com/", "https://www.nytimes.co.uk/x", true},
		{"https://www.bbc.co.uk/news", "https://www.bbc.com/x", true},       // entity data: BBC
		{"https://www.bbc.co.uk/news", "https://static.bbci.co.uk/x", true}, // entity data: BBC
		{"https://www.nytimes.com/", "https://a1.nyt.com/x", true},          // entity data: The New York Times
		{"https://www.google.com.ar/", "https://www.google.com/x", true},
		{"https://www.amazon.de/", "https://m.media-amazon.com/x", true},
		// Short labels are initials strangers share.
		{"https://abc.com/", "https://www.abc.net.au/x", false},
		{"https://www.cnn.com/", "https://www.cnn.co.jp/x", false},
		// Generic words.
		{"https://www.news.com.au/", "https://www.news.com/x", false},
		{"https://shop.example/", "https://www.shop.de/x", false},
		// Platform suffixes never make one owner.
		{"https://almundo.github.io/", "https://almundo.gitlab.io/x", false},
		{"https://almundo.github.io/", "https://www.almundo.com/x", false},
		{"https://almundo.herokuapp.com/", "https://almundo.com/x", false},
		// Different labels, numbers, IPs, non-ICANN names.
		{"https://www.almundo.com/", "https://www.almundos.com/x", false},
		{"https://1234.com/", "https://1234.de/x", false},
		{"http://10.0.0.1/", "http://10.0.0.2/x", false},
		{"https://shopname.test/", "https://shopname.example/x", false},
		// When the data names two different companies, it decides.
		{"https://www.facebook.com/", "https://www.facebook.de/x", true}, // unknown .de: label rule
		{"https://www.criteo.com/", "https://www.criteo.fr/x", true},
		{"https://twitter.com/", "https://www.twitter.example/x", false},
		{"https://www.yahoo.co.jp/", "https://www.yahoo.com/x", false}, // Yahoo Japan is not Yahoo
		{"https://www.yahoo.co.uk/", "https://www.yahoo.com/x", true},
	}
	for _, tt := range tests {
		p := c.Classify(tt.page, tt.req, "script")
		if p.ThirdParty == tt.first {
			t.Errorf("Classify(%q, %q): third party %v, want %v", tt.page, tt.req, p.ThirdParty, !tt.first)
		}
		if got := c.SameCompany(tt.req, tt.page); got != tt.first {
			t.Errorf("SameCompany(%q, %q) = %v, want %v", tt.req, tt.page, got, tt.first)
		}
	}
}

func TestSiblingLabel(t *testing.T) {
	t.Parallel()
	generic := map[string]bool{"news": true}
	tests := []struct{ domain, want string }{
		{"almundo.com.ar", "almundo"},
		{"almundo.com", "almundo"},
		{"bbc.co.uk", ""},
		{"news.com.au", ""},
		{"alice.github.io", ""},
		{"co.uk", ""},
		{"localhost", ""},
		{"127.0.0.1", ""},
		{"2024.com", ""},
		{"xn--80ak6aa92e.com", "xn--80ak6aa92e"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := siblingLabel(tt.domain, generic); got != tt.want {
			t.Errorf("siblingLabel(%q) = %q, want %q", tt.domain, got, tt.want)
		}
	}
}
