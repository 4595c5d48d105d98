// Package store keeps what `leakwatch serve` and the crawl fleet remember:
// sites and their schedules, scans with their compressed report and HAR,
// crawl runs and their per-site results, hashed API tokens and encrypted
// personas, behind one interface with a SQLite and a PostgreSQL backend.
package store
