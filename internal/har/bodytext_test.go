package har

import (
	"context"
	"strings"
	"testing"
)

func TestBodyTextNotAString(t *testing.T) {
	t.Parallel()
	in := entries(`{"request":{"method":"POST","url":"https://a/","postData":{"mimeType":"application/json","text":{"email": "a@b.example"}}},
	"response":{"status":200,"content":{"mimeType":"application/json","text":[1, 2]}}}`)
	c, err := Read(context.Background(), strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Requests[0]; string(r.Body) != `{"email":"a@b.example"}` || string(r.Response.Body) != "[1,2]" {
		t.Errorf("bodies %q %q", r.Body, r.Response.Body)
	}
}
