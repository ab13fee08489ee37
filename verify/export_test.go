package verify

// RunWithURIKey is Run telling principal URIs apart by uriKey instead of
// the target's prinUri collation.
var RunWithURIKey = run
