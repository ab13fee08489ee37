package fqdn

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	tests := map[string]bool{
		"pool.contoso.com": true, "a-b.c": true, "PCHAT19.Contoso.COM": true, "x": false, "": false, "-a.b": false, "a-.b": false,
		"a..b": false, "a.b.": false, ".a.b": false, "a b.c": false, "a_b.c": false, "ü.de": false,
		strings.Repeat("a", 63) + ".b": true, strings.Repeat("a", 64) + ".b": false,
		strings.Repeat("a.", 125) + "abc": true, strings.Repeat("a.", 126) + "ab": false,
	}
	for in, want := range tests {
		if got := Valid(in); got != want {
			t.Errorf("Valid(%q) = %v, want %v", in, got, want)
		}
	}
}
