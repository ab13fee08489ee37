package store

// Names in mgc are compared by the database, with the collation of their
// column: a case-sensitive database holds "Sales" and "sales" as two
// categories, every database finds "Sales " equal to "Sales". Go code that
// matches names (the store, the importer's plan, the Lua bindings) uses
// these keys instead of strings.EqualFold so that it agrees with the
// database.

// Collation returns the collation of a text column of a documented table
// as the database declares it; the database's default collation when the
// column is unknown. The embedded store has one fixed collation.
func (s *Store) Collation(table, column string) Collation {
	if s.cat == nil {
		return embeddedCollation
	}
	if col, ok := s.cat.column(table, column); ok && col.IsText() {
		return col.Collation
	}
	return s.cat.database
}

// NameKey returns the key under which the database compares category and
// room names (tblNode.nodeName): two names are the same name to the
// database exactly when their keys are equal.
func (s *Store) NameKey(name string) string {
	return s.Collation("tblNode", "nodeName").Key(name)
}

// URIKey is NameKey for principal URIs (tblPrincipal.prinUri).
func (s *Store) URIKey(uri string) string {
	return s.Collation("tblPrincipal", "prinUri").Key(uri)
}

// AddinKey is NameKey for add-in names (tblSiopWhiteList.siopName).
func (s *Store) AddinKey(name string) string {
	return s.Collation("tblSiopWhiteList", "siopName").Key(name)
}
