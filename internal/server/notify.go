package server

import (
	"context"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/store"
)

// inlineChanged is the inline queue's OnChange: it also sends the
// notifications of a scan whose result was just stored (the queue reports
// Done only when it stored the result). The scan is marked pending in the
// store first, and cleared once every target was tried, so a crash in
// between sends them at the next Start (at least once: a receiver tells a
// repeat by its delivery id).
func (s *Server) inlineChanged(scanID int64, state store.State) {
	s.scanChanged(scanID, state)
	if state != store.Done || s.cfg.Notify == nil {
		return
	}
	if err := s.st.MarkNotifyPending(context.Background(), scanID); err != nil {
		s.cfg.Logger.Error("mark notifications pending", "scan", scanID, "err", err)
	}
	s.notifying.Add(1)
	go func() {
		defer s.notifying.Done()
		s.notify(scanID)
	}()
}

// notify sends a scan's notifications and clears its pending mark, unless
// the server stopped meanwhile (the mark stays for the next Start).
func (s *Server) notify(scanID int64) {
	err := s.cfg.Notify(s.notifyCtx, scanID)
	if s.notifyCtx.Err() != nil {
		return
	}
	if err != nil {
		s.cfg.Logger.Error("notification failed", "scan", scanID, "err", err)
	}
	if err := s.st.ClearNotifyPending(context.Background(), scanID); err != nil {
		s.cfg.Logger.Error("clear pending notifications", "scan", scanID, "err", err)
	}
}

// resumeNotifications sends, one scan after the other in the background,
// the notifications left pending by a stop or a crash.
func (s *Server) resumeNotifications(ctx context.Context) error {
	if s.cfg.Notify == nil {
		return nil
	}
	var ids []int64
	for p := (store.Page{Limit: store.MaxLimit}); ; {
		page, err := s.st.PendingNotifications(ctx, p)
		if err != nil {
			return fmt.Errorf("resume notifications: %w", err)
		}
		ids = append(ids, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1]
	}
	if len(ids) == 0 {
		return nil
	}
	s.notifying.Add(1)
	go func() {
		defer s.notifying.Done()
		for _, id := range ids {
			if s.notifyCtx.Err() != nil {
				return
			}
			s.notify(id)
		}
	}()
	return nil
}
