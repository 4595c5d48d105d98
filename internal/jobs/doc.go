// Package jobs runs leakwatch's background work on River queues: scans
// (bounded, retried, timed out, cancellable, stored once), per-site cron
// schedules, and notifications of what a finished scan shows that is new.
package jobs
