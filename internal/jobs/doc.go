// Package jobs runs leakwatch's background work on River queues: scans
// (bounded, retried, timed out, cancellable, stored once), per-site cron
// schedules, and notifications of what a finished scan shows that is new.
//
// A scan is stored (store.CreateScan) and then submitted (Runner.Submit);
// Start also submits every queued or running scan it finds, so a restart
// loses none. A scan's result is written with store.FinishScan, which
// keeps the first result only; a retried or rescued attempt after it does
// nothing. A process killed mid-scan leaves a running job that River's
// rescuer, on the elected leader, retries once it has run RescueAfter:
// the leader's lease (15 s) and the rescuer's period (30 s), both fixed by
// River, bound how long that takes beyond RescueAfter. One spare River
// attempt lets a scan killed in its last attempt end failed, not running.
//
// Schedules enqueue one job per (site, slot), unique in River, so ticks of
// several servers make one scan per slot. Notifications compare a done
// scan with the site's baseline or previous done scan (Compare) and post a
// signed JSON or Slack body to each Target, with retries.
package jobs
