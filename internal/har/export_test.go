package har

// For the tests of package har_test, which may use hargen (it imports har).
var (
	ReadBoth     = readBoth
	TightOptions = tightOptions
)
