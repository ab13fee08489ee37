// Package fqdn checks fully qualified DNS names, as pools, servers and SIP
// domains are written in a Skype for Business deployment.
package fqdn

import "strings"

// Valid reports whether s is a DNS name of at least two labels of letters,
// digits and hyphens: at most 253 characters, labels of 1 to 63 that
// neither start nor end with a hyphen, no trailing dot.
func Valid(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := 0
	for l := range strings.SplitSeq(s, ".") {
		labels++
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range []byte(l) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return labels >= 2
}
