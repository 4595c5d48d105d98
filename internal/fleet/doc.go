// Package fleet runs research crawls over many sites on any number of
// machines: a run's sites are River jobs in the store's database, workers
// scan them in a long-lived Chromium and store one result per (run, site).
package fleet
