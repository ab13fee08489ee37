// Package pchat is the Persistent Chat data model: categories, rooms,
// principals, add-ins and messages as the cmdlets describe them, and the one
// place where the cmdlet vocabulary (Privacy Open/Closed/Secret, Type
// Normal/Auditorium, Invitations Inherit/False, prinDisabled states, .NET
// ticks) is mapped to and from the encodings of the documented mgc tables.
//
// The mappings are written down in docs/mappings.md; every mapping marked
// [I] in the reference is inferred, not documented, and is kept here only.
package pchat
