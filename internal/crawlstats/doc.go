// Package crawlstats turns a crawl run's stored results into flat rows
// (one per site, one per data flow) for export, and into the statistics a
// study of the run reports: who receives which data, in which encodings,
// from how many sites.
package crawlstats
