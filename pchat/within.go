package pchat

// Within reports whether a principal is within a category's allowed
// members minus its denied members, the rule Persistent Chat applies to a
// category's creators and its rooms' members, managers and presenters:
// ids are the principal followed by the groups, containers and domains it
// belongs to (tblPrincipalAffiliations). It is within when one of them is
// allowed and none is denied. The import, the creator binding and verify
// all decide by this one rule.
func Within[K comparable](ids []K, allowed, denied func(K) bool) bool {
	ok := false
	for _, g := range ids {
		if denied(g) {
			return false
		}
		if allowed(g) {
			ok = true
		}
	}
	return ok
}
