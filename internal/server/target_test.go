package server

import (
	"context"
	"errors"
	"testing"
)

func TestCheckLiteralTarget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		url     string
		refused bool
	}{
		{"https://www.example.com/", false},
		{"http://93.184.215.14/", false},
		{"http://[2606:4700::1111]/", false},
		{"https://127.0.0.1/", true},
		{"http://127.1/", true},
		{"http://0x7f000001/", true},
		{"http://2130706433/", true},
		{"http://017700000001/", true},
		{"http://0x7f.0.0.1/", true},
		{"http://10.0.0.1:8080/", true},
		{"http://172.16.5.4/", true},
		{"http://192.168.0.1/", true},
		{"http://169.254.169.254/latest/meta-data/", true},
		{"http://100.64.0.1/", true},
		{"http://0.0.0.0/", true},
		{"http://0/", true},
		{"http://255.255.255.255/", true},
		{"http://224.0.0.1/", true},
		{"http://[::1]/", true},
		{"http://[::]/", true},
		{"http://[::ffff:127.0.0.1]/", true},
		{"http://[::ffff:7f00:1]/", true},
		{"http://[64:ff9b::a00:1]/", true},
		{"http://[fd00::1]/", true},
		{"http://[fe80::1%25eth0]/", true},
		{"http://localhost/", true},
		{"http://LocalHost.:3000/", true},
		{"http://app.localhost/", true},
		{"http://127.0.0.1.nip.io/", false}, // a name: the network guard resolves it
		{"ftp://example.com/", true},
		{"javascript:alert(1)", true},
		{"https://user:pw@example.com/", true},
		{"https:///nohost", true},
		{"http://256.256.256.256/", false}, // not an address: a name that will not resolve
	}
	for _, c := range cases {
		err := CheckLiteralTarget(context.Background(), c.url)
		if (err != nil) != c.refused {
			t.Errorf("%s: err %v, want refused %v", c.url, err, c.refused)
		}
		if err != nil && !errors.Is(err, ErrTarget) {
			t.Errorf("%s: %v is not ErrTarget", c.url, err)
		}
	}
}
