package storetest

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

// SyntheticHAR is a HAR of about size bytes: entries with repeated headers
// and random ids and bodies, compressing about as a real capture does.
func SyntheticHAR(size int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(size + 4096)
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"storetest","version":"1"},"entries":[`)
	id := make([]byte, 16)
	body := make([]byte, 600)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fillRand(rng, id)
		fillRand(rng, body[:rng.IntN(len(body))])
		fmt.Fprintf(&b, `{"startedDateTime":"2026-01-02T03:04:%02d.%03dZ","time":%d,"request":{"method":"GET",`+
			`"url":"https://tracker%d.example/collect?id=%s&ev=PageView&dl=https%%3A%%2F%%2Fshop.example%%2Fcart",`+
			`"headers":[{"name":"User-Agent","value":"Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0"},{"name":"Accept","value":"*/*"}]},`+
			`"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],`+
			`"content":{"mimeType":"application/json","text":"%s"}}}`,
			i%60, i%1000, rng.IntN(900), i%37, hex.EncodeToString(id), hex.EncodeToString(body[:rng.IntN(len(body))]))
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func fillRand(rng *rand.Rand, p []byte) {
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
}

// testBigBlob stores reports and HARs from a few bytes to 50 MB, across
// the compressor's block and window sizes, and reads them back.
func testBigBlob(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	for _, size := range []int{1, 100 << 10, 300 << 10, 3 << 20, 9 << 20, 50 << 20} {
		if size > 3<<20 && testing.Short() {
			continue
		}
		har := SyntheticHAR(size)
		rep := har // a HAR is JSON too: a report as large
		if size > 3<<20 {
			rep = []byte(`{"findings":[]}`)
		}
		sc := must(s.CreateScan(ctx, store.Scan{}))(t)
		if !must(s.FinishScan(ctx, sc.ID, store.Result{Report: rep, HAR: har}))(t) {
			t.Fatal("FinishScan stored nothing")
		}
		if got := must(s.HAR(ctx, sc.ID))(t); !bytes.Equal(got, har) {
			t.Errorf("%d-byte HAR read back as %d bytes, not equal", len(har), len(got))
		}
		if got := must(s.Report(ctx, sc.ID))(t); !bytes.Equal(got, rep) {
			t.Errorf("%d-byte report read back as %d bytes, not equal", len(rep), len(got))
		}
	}
}

// testFinishConcurrent races writers (on two handles, as two processes
// would) to store one scan's result: exactly one stores it.
func testFinishConcurrent(t *testing.T, tg Target) {
	ctx := context.Background()
	s1, dsn := fresh(t, tg)
	s2 := open(t, dsn, store.Config{Key: testKey})
	site := mkSite(t, s1, "https://a.example/")
	sc := must(s1.CreateScan(ctx, store.Scan{SiteID: site.ID}))(t)
	must(s1.StartScan(ctx, sc.ID))(t)
	const n = 16
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		winner []string
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []store.Store{s1, s2}[i%2]
			rep := fmt.Sprintf(`{"writer":%d}`, i)
			stored, err := s.FinishScan(ctx, sc.ID, store.Result{Report: []byte(rep), HAR: []byte(rep)})
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
				return
			}
			if stored {
				mu.Lock()
				winner = append(winner, rep)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(winner) != 1 {
		t.Fatalf("%d writers stored a result, want exactly 1", len(winner))
	}
	if got := must(s2.Report(ctx, sc.ID))(t); string(got) != winner[0] {
		t.Errorf("report %s, want the winner's %s", got, winner[0])
	}
	if got := must(s1.HAR(ctx, sc.ID))(t); string(got) != winner[0] {
		t.Errorf("HAR %s, want the winner's %s", got, winner[0])
	}
	if h := must(s1.History(ctx, site.ID, store.Page{}))(t); len(h) != 1 || h[0].State != store.Done {
		t.Errorf("history after racing writers: %+v", h)
	}
}
