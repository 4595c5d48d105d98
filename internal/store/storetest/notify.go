package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testNotifyTargets(t *testing.T, tg Target) {
	ctx := context.Background()
	s, dsn := fresh(t, tg)
	site := mkSite(t, s, "https://shop.example/")
	other := mkSite(t, s, "https://other.example/")
	hook := "https://hooks.example.net/services/T000/B000/XXsecretpathXX"
	secret := []byte("hmac-secret-5c1d88")
	wh := must(s.PutNotifyTarget(ctx, store.NotifyTarget{SiteID: site.ID, Kind: store.NotifyWebhook, URL: hook, Secret: secret}))(t)
	if wh.ID == 0 || wh.Label != "https://hooks.example.net/…" || !wh.Signed {
		t.Errorf("webhook %+v", wh)
	}
	mail := must(s.PutNotifyTarget(ctx, store.NotifyTarget{SiteID: site.ID, Kind: store.NotifyEmail, Emails: []string{"dpo@shop.example", "sec@shop.example"}}))(t)
	must(s.PutNotifyTarget(ctx, store.NotifyTarget{SiteID: other.ID, Kind: store.NotifySlack, URL: "https://slack.example/x"}))(t)

	got := must(s.NotifyTargets(ctx, site.ID))(t)
	if len(got) != 2 || got[0].URL != hook || !bytes.Equal(got[0].Secret, secret) || fmt.Sprint(got[1].Emails) != "[dpo@shop.example sec@shop.example]" {
		t.Errorf("targets %+v", got)
	}
	listed := must(s.ListNotifyTargets(ctx, site.ID))(t)
	if len(listed) != 2 || listed[0].URL != "" || listed[0].Secret != nil || listed[1].Emails != nil || listed[1].Label != "dpo@shop.example, sec@shop.example" {
		t.Errorf("listing %+v", listed)
	}
	dump := tg.Dump(t, dsn)
	notIn(t, dump, []byte("XXsecretpathXX"), "webhook URL")
	notIn(t, dump, secret, "webhook secret")

	// Replace: the same id, now unsigned; another site's id is not found.
	wh.Secret, wh.URL = nil, "https://hooks.example.net/v2"
	if r := must(s.PutNotifyTarget(ctx, wh))(t); r.ID != wh.ID || r.Signed {
		t.Errorf("replaced %+v", r)
	}
	_, err := s.PutNotifyTarget(ctx, store.NotifyTarget{ID: wh.ID, SiteID: other.ID, Kind: store.NotifyWebhook, URL: hook})
	wantErr(t, "replace another site's target", err, store.ErrNotFound)
	_, err = s.PutNotifyTarget(ctx, store.NotifyTarget{SiteID: 999, Kind: store.NotifyWebhook, URL: hook})
	wantErr(t, "unknown site", err, store.ErrNotFound)
	for _, bad := range []store.NotifyTarget{
		{SiteID: site.ID, Kind: "pager", URL: hook},
		{SiteID: site.ID, Kind: store.NotifyWebhook, URL: "ftp://x.example/"},
		{SiteID: site.ID, Kind: store.NotifyWebhook},
		{SiteID: site.ID, Kind: store.NotifySlack, URL: hook, Secret: secret},
		{SiteID: site.ID, Kind: store.NotifyEmail},
		{SiteID: site.ID, Kind: store.NotifyEmail, Emails: []string{"a@b.example\r\nBcc: x@y.example"}},
	} {
		_, err := s.PutNotifyTarget(ctx, bad)
		wantErr(t, fmt.Sprintf("invalid %+v", bad), err, store.ErrInvalid)
	}
	noKey := open(t, dsn, store.Config{})
	_, err = noKey.NotifyTargets(ctx, site.ID)
	wantErr(t, "read without key", err, store.ErrNoKey)
	if n := len(must(noKey.ListNotifyTargets(ctx, site.ID))(t)); n != 2 {
		t.Errorf("listing without key: %d targets", n)
	}
	wrong := open(t, dsn, store.Config{Key: bytes.Repeat([]byte{7}, 32)})
	_, err = wrong.NotifyTargets(ctx, site.ID)
	wantErr(t, "wrong key", err, store.ErrWrongKey)

	noErr(t, s.DeleteNotifyTarget(ctx, site.ID, mail.ID))
	wantErr(t, "delete again", s.DeleteNotifyTarget(ctx, site.ID, mail.ID), store.ErrNotFound)
	noErr(t, s.DeleteSite(ctx, other.ID))
	if n := len(must(s.ListNotifyTargets(ctx, other.ID))(t)); n != 0 {
		t.Errorf("a deleted site keeps %d targets", n)
	}
}

func testNotifyPending(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	site := mkSite(t, s, "https://shop.example/")
	a := doneScan(t, s, site.ID, `{}`)
	b := doneScan(t, s, site.ID, `{}`)
	noErr(t, s.MarkNotifyPending(ctx, b.ID))
	noErr(t, s.MarkNotifyPending(ctx, a.ID))
	noErr(t, s.MarkNotifyPending(ctx, a.ID)) // again: a no-op
	wantErr(t, "unknown scan", s.MarkNotifyPending(ctx, 999), store.ErrNotFound)
	if got := must(s.PendingNotifications(ctx, store.Page{}))(t); fmt.Sprint(got) != fmt.Sprint([]int64{a.ID, b.ID}) {
		t.Errorf("pending %v", got)
	}
	if got := must(s.PendingNotifications(ctx, store.Page{After: a.ID, Limit: 1}))(t); fmt.Sprint(got) != fmt.Sprint([]int64{b.ID}) {
		t.Errorf("pending after %d: %v", a.ID, got)
	}
	noErr(t, s.ClearNotifyPending(ctx, a.ID))
	noErr(t, s.ClearNotifyPending(ctx, a.ID))
	noErr(t, s.DeleteSite(ctx, site.ID)) // its scans go, and their marks
	if got := must(s.PendingNotifications(ctx, store.Page{}))(t); len(got) != 0 {
		t.Errorf("pending after the site was deleted: %v", got)
	}
}
