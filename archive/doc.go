// Package archive is pcmig's portable archive format: a zip file holding a
// JSON manifest and JSON Lines parts (principals, categories, add-ins, rooms
// and chunked messages), its writer and its validating streaming reader.
//
// Records are portable: they name principals by GUID and categories, rooms
// and add-ins by GUID or name, never by the store IDs of one pool. The format
// is specified in docs/archive-format.md; FormatVersion is the only version
// this package writes or reads.
//
// The Writer streams messages into bounded chunks and never holds them in
// memory; it writes to a temporary file and renames it into place only on
// Commit, so an interrupted export never leaves a half-written archive under
// the final name. The Reader checks the archive's structure in Open, before
// any record is read, and checks every part's size, SHA-256 and record count
// while it streams.
package archive
