package leak

import (
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestSmoke(t *testing.T) {
	pool, w := NewPool([]Persona{{Email: "Test@Test.com", City: "Menlo Park", State: "California", Zip: "94577", Phone: "+1 555 555 5555"}})
	fmt.Println(pool.Size(), w)
	r := &traffic.Request{URL: "https://www.facebook.com/tr/?id=1&ud[em]=f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a&ud[ct]=" + hexSHA("menlopark") + "&st=ca&x=CART&id=1945770&zip=94577&dl=https%3A%2F%2Fx.com%2Fa%3Femail%3Dtest%2540test.com"}
	res := pool.Scan(r, ScanOptions{})
	for _, m := range res.Matches {
		fmt.Printf("%+v\n", m)
	}
}
