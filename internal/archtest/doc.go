// Package archtest holds tests of rules that span the whole repository
// rather than one package: they read the source, and the package itself
// has no code.
package archtest
