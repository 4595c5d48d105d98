// Package bench holds the measuring instruments that hold leakwatch to
// account: benchmarks and tests that run leakwatch's analysis (har, audit,
// leak, party) and the plain research method in bench/reference over the
// same generated tracker-dense HAR (internal/har/hargen), and compare time
// and recall. It has no code of its own outside its tests.
package bench
