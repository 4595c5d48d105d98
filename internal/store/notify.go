package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// NotifyKind is how a notification target is reached.
type NotifyKind string

// Notification target kinds.
const (
	NotifyWebhook NotifyKind = "webhook" // JSON POST, HMAC-signed when it has a secret
	NotifySlack   NotifyKind = "slack"   // a Slack-compatible incoming webhook
	NotifyEmail   NotifyKind = "email"   // email-ready text for a list of addresses
)

// NotifyTarget is one place a site's notifications go. URL, Secret and
// Emails are sealed at rest under the store's key (a webhook URL often
// carries a credential itself); Label and Signed are what a listing shows.
type NotifyTarget struct {
	ID      int64
	SiteID  int64
	Kind    NotifyKind
	URL     string   // webhook and slack
	Secret  []byte   // webhook: HMAC-SHA256 key of the signature; empty for none
	Emails  []string // email: the addresses
	Label   string   // set by the store: the URL's scheme and host, or the addresses
	Signed  bool     // set by the store: a secret is kept
	Created time.Time
	Updated time.Time
}

// Notifications are the sites' notification targets.
type Notifications interface {
	// PutNotifyTarget stores a target: ID 0 adds one, another ID replaces
	// that target of the same site (ErrNotFound otherwise). Without a key
	// ErrNoKey; a target missing what its kind needs is ErrInvalid.
	PutNotifyTarget(ctx context.Context, t NotifyTarget) (NotifyTarget, error)
	// NotifyTargets returns a site's targets by id, decrypted: ErrNoKey,
	// ErrWrongKey.
	NotifyTargets(ctx context.Context, siteID int64) ([]NotifyTarget, error)
	// ListNotifyTargets returns a site's targets by id without their URL,
	// secret or addresses (no key needed).
	ListNotifyTargets(ctx context.Context, siteID int64) ([]NotifyTarget, error)
	// DeleteNotifyTarget removes a target of a site.
	DeleteNotifyTarget(ctx context.Context, siteID, id int64) error
	// MarkNotifyPending records that a scan's notifications are yet to be
	// sent (again: a no-op); an unknown scan is ErrNotFound.
	MarkNotifyPending(ctx context.Context, scanID int64) error
	// PendingNotifications lists the scans so marked, oldest first, at
	// most p.Limit after p.After.
	PendingNotifications(ctx context.Context, p Page) ([]int64, error)
	// ClearNotifyPending removes the mark; an unmarked scan is no error.
	ClearNotifyPending(ctx context.Context, scanID int64) error
}

// notifySealed is what a target keeps encrypted.
type notifySealed struct {
	URL    string   `json:"url,omitempty"`
	Secret []byte   `json:"secret,omitempty"`
	Emails []string `json:"emails,omitempty"`
}

// notifyAAD binds a sealed target to its site and kind.
func notifyAAD(siteID int64, kind NotifyKind) []byte {
	return []byte("leakwatch/notify-target/v1\x00" + strconv.FormatInt(siteID, 10) + "\x00" + string(kind))
}

// check validates t and returns its label.
func (t NotifyTarget) check() (string, error) {
	switch t.Kind {
	case NotifyWebhook, NotifySlack:
		u, err := url.Parse(t.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("%w: %s target URL %q is not an http(s) URL", ErrInvalid, t.Kind, t.URL)
		}
		if t.Kind == NotifySlack && len(t.Secret) > 0 {
			return "", fmt.Errorf("%w: a slack target has no signing secret", ErrInvalid)
		}
		return u.Scheme + "://" + u.Host + "/…", nil
	case NotifyEmail:
		if len(t.Emails) == 0 || t.URL != "" || len(t.Secret) > 0 {
			return "", fmt.Errorf("%w: an email target has addresses only", ErrInvalid)
		}
		for _, e := range t.Emails {
			if e == "" || strings.ContainsAny(e, "\r\n,") {
				return "", fmt.Errorf("%w: email address %q", ErrInvalid, e)
			}
		}
		return strings.Join(t.Emails, ", "), nil
	}
	return "", fmt.Errorf("%w: notification kind %q, want webhook, slack or email", ErrInvalid, t.Kind)
}

func (s *sqlStore) PutNotifyTarget(ctx context.Context, t NotifyTarget) (NotifyTarget, error) {
	op := fmt.Sprintf("store notification target of site %d", t.SiteID)
	label, err := t.check()
	if err != nil {
		return NotifyTarget{}, fmt.Errorf("%s: %w", op, err)
	}
	plain, err := json.Marshal(notifySealed{URL: t.URL, Secret: t.Secret, Emails: t.Emails})
	if err != nil {
		return NotifyTarget{}, fmt.Errorf("%s: %w", op, err)
	}
	id, nonce, sealed, err := s.seal(plain, notifyAAD(t.SiteID, t.Kind))
	if err != nil {
		return NotifyTarget{}, fmt.Errorf("%s: %w", op, err)
	}
	now, signed := s.stamp(), len(t.Secret) > 0
	var row *sql.Row
	if t.ID == 0 {
		row = s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO notify_targets (site_id, kind, label, signed, key_id, nonce, sealed,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+notifyCols),
			t.SiteID, t.Kind, label, boolInt(signed), id, nonce, sealed, now, now)
	} else {
		row = s.db.QueryRowContext(ctx, s.d.q(`UPDATE notify_targets SET kind = ?, label = ?, signed = ?, key_id = ?,
			nonce = ?, sealed = ?, updated_at = ? WHERE id = ? AND site_id = ? RETURNING `+notifyCols),
			t.Kind, label, boolInt(signed), id, nonce, sealed, now, t.ID, t.SiteID)
	}
	out, err := scanNotify(row)
	if err != nil {
		return NotifyTarget{}, s.wrap(op, err) // an unknown site or target: ErrNotFound
	}
	out.URL, out.Secret, out.Emails = t.URL, t.Secret, t.Emails
	return out, nil
}

const notifyCols = "id, site_id, kind, label, signed, created_at, updated_at"

func scanNotify(row interface{ Scan(...any) error }) (NotifyTarget, error) {
	var (
		t        NotifyTarget
		signed   int
		cre, upd sql.NullInt64
	)
	if err := row.Scan(&t.ID, &t.SiteID, &t.Kind, &t.Label, &signed, &cre, &upd); err != nil {
		return NotifyTarget{}, err
	}
	t.Signed, t.Created, t.Updated = signed != 0, fromMicros(cre), fromMicros(upd)
	return t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *sqlStore) ListNotifyTargets(ctx context.Context, siteID int64) ([]NotifyTarget, error) {
	op := fmt.Sprintf("notification targets of site %d", siteID)
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+notifyCols+" FROM notify_targets WHERE site_id = ? ORDER BY id"), siteID)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []NotifyTarget
	for rows.Next() {
		t, err := scanNotify(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, t)
	}
	return out, s.wrap(op, rows.Err())
}

func (s *sqlStore) NotifyTargets(ctx context.Context, siteID int64) ([]NotifyTarget, error) {
	op := fmt.Sprintf("notification targets of site %d", siteID)
	if s.key == nil {
		return nil, fmt.Errorf("%s: %w", op, ErrNoKey)
	}
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+notifyCols+", key_id, nonce, sealed FROM notify_targets WHERE site_id = ? ORDER BY id"), siteID)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []NotifyTarget
	for rows.Next() {
		var (
			t                  NotifyTarget
			signed             int
			cre, upd           sql.NullInt64
			kid, nonce, sealed []byte
		)
		if err := rows.Scan(&t.ID, &t.SiteID, &t.Kind, &t.Label, &signed, &cre, &upd, &kid, &nonce, &sealed); err != nil {
			return nil, s.wrap(op, err)
		}
		t.Signed, t.Created, t.Updated = signed != 0, fromMicros(cre), fromMicros(upd)
		if err := s.unsealNotify(&t, kid, nonce, sealed); err != nil {
			return nil, fmt.Errorf("%s: target %d: %w", op, t.ID, err)
		}
		out = append(out, t)
	}
	return out, s.wrap(op, rows.Err())
}

func (s *sqlStore) unsealNotify(t *NotifyTarget, kid, nonce, sealed []byte) error {
	plain, err := s.open(kid, nonce, sealed, notifyAAD(t.SiteID, t.Kind))
	if err != nil {
		return err
	}
	var v notifySealed
	if err := json.Unmarshal(plain, &v); err != nil {
		return fmt.Errorf("%w: %w", ErrWrongKey, err)
	}
	t.URL, t.Secret, t.Emails = v.URL, v.Secret, v.Emails
	return nil
}

func (s *sqlStore) DeleteNotifyTarget(ctx context.Context, siteID, id int64) error {
	res, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM notify_targets WHERE id = ? AND site_id = ?"), id, siteID)
	return s.wrap(fmt.Sprintf("delete notification target %d of site %d", id, siteID), affected(res, err))
}

func (s *sqlStore) MarkNotifyPending(ctx context.Context, scanID int64) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO notify_pending (scan_id, created_at) VALUES (?, ?)
		ON CONFLICT (scan_id) DO NOTHING`), scanID, s.stamp())
	return s.wrap(fmt.Sprintf("mark notifications of scan %d pending", scanID), err)
}

func (s *sqlStore) PendingNotifications(ctx context.Context, p Page) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT scan_id FROM notify_pending WHERE scan_id > ? ORDER BY scan_id LIMIT ?"),
		p.After, p.limit())
	if err != nil {
		return nil, s.wrap("pending notifications", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("pending notifications", err)
		}
		out = append(out, id)
	}
	return out, s.wrap("pending notifications", rows.Err())
}

func (s *sqlStore) ClearNotifyPending(ctx context.Context, scanID int64) error {
	_, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM notify_pending WHERE scan_id = ?"), scanID)
	return s.wrap(fmt.Sprintf("clear pending notifications of scan %d", scanID), err)
}
