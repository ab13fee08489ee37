package pchat

// Within reports whether principal p is within a category's allowed
// members minus its denied members, the rule Persistent Chat applies to a
// category's creators and its rooms' members, managers and presenters.
// memberships are the groups, containers and domains p belongs to in the
// target pool, as its tblPrincipalAffiliations holds them after the
// import: the target's own rows (AD Sync maintains them) and those the
// import writes for the principals it creates. The archive's or the
// source's memberships of a principal the target already had do not
// count: the server evaluates the target's, so a role granted by them
// would be one the server treats as invalid. p is within when p or one of
// its memberships is allowed and none is denied. The import, the creator
// binding and verify all decide by this one function, each with its own
// keys (GUIDs, prinIDs, compared URIs).
func Within[K comparable](p K, memberships []K, allowed, denied func(K) bool) bool {
	if denied(p) {
		return false
	}
	ok := allowed(p)
	for _, g := range memberships {
		if denied(g) {
			return false
		}
		if allowed(g) {
			ok = true
		}
	}
	return ok
}

// Excluded says why p, not Within, is outside: by is the denied entry that
// keeps it out (p itself or one of its memberships) and denied is true;
// when none is denied, denied is false: neither p nor any membership is
// allowed.
func Excluded[K comparable](p K, memberships []K, denied func(K) bool) (by K, isDenied bool) {
	if denied(p) {
		return p, true
	}
	for _, g := range memberships {
		if denied(g) {
			return g, true
		}
	}
	var none K
	return none, false
}
