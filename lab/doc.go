// Package lab writes a practice estate: a Skype for Business Server 2015
// Persistent Chat pool full of realistic data and an empty 2019 pool, both as
// embedded mgc databases, with the topology document, the user directory and
// the estate file that ties them together. Administrators rehearse a
// migration on it; tests run every bundled script against it.
//
// Everything is derived from Options.Seed through math/rand/v2: GUIDs, names,
// time stamps and message content. Nothing reads the clock or crypto/rand, so
// the same Options give byte-identical files.
//
// The lab's choices where the reference leaves the format open:
//   - Groups, distribution lists, the OU and the domain have prinUri
//     "ma-grp://DOMAIN/GUID", GUID being the principal's prinGuid (the real
//     ma-grp: format is undocumented).
//   - Distribution lists are principals of type Group (9), like security
//     groups.
//   - tblConfig holds one row labelled "pool" whose configContent is the
//     pool's FQDN; tblServerIdentity holds one row per pool with the address
//     "net.tcp://FQDN:8011/" and a heartbeat of 2025-01-01, far enough in the
//     past that the store's live-pool guard lets pcmig write.
//   - Uploaded files appear in messages as
//     "ma-filelink:///FILESTORE/pchat/ROOM-GUID/FILE-GUID/NAME".
package lab
