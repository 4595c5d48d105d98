// Package consent owns what a capture shows about a visitor's consent: the
// IAB TCF v2 TC strings, GPP strings and US Privacy strings found in cookies,
// URLs and bodies (decoded), Google Consent Mode and Meta Limited Data Use
// parameters, opt-out headers, and the consent platforms (CMPs) a site runs.
//
// Decoders (ParseTC, ParseGPP, ParseUSP) read outside input: they are
// bounded in time and memory by the length of their input and return errors,
// never panic. Where consent shows in traffic and how platforms are
// recognised are tables (channels, platforms) that a new entry extends.
package consent
