// Package crawl decides what to do on a site with a browser: which pages to
// visit (start URLs, same-site links to a depth, in a deterministic order),
// and the interactions of a person — scripted steps, filled forms, cookies.
package crawl
