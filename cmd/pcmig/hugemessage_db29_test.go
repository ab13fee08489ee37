package main

import (
	"strconv"
	"testing"

	"github.com/pcmig/pcmig/archive"
)

// TestDoctorNamesAMessageTooLargeForAnArchive: nvarchar(max) holds up to
// 2^30 characters, an archive record at most archive.MaxRecordBytes. A
// message whose text alone is larger passed the doctor (OK), and the
// export, at step 1 of the maintenance window, refused it naming its room
// by GUID. Now the doctor FAILs on such a source message, naming the room
// by name and the chat ID.
func TestDoctorNamesAMessageTooLargeForAnArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 64 MiB message")
	}
	dir := t.TempDir()
	n := archive.MaxRecordBytes + 1
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		handSQLNode(1000, 100, false, "Big room"),
		`INSERT INTO tblChat VALUES (1000, 7, 637503303671230000, 10, 0, 'small', NULL)`,
		`INSERT INTO tblChat VALUES (1000, 8, 637503303671230000, 10, 0, CAST(zeroblob(`+strconv.Itoa(n/2)+`) AS TEXT), NULL)`,
		`UPDATE tblChat SET content = replace(content, char(0), 'x'), rtf = replace(CAST(zeroblob(`+strconv.Itoa(n-n/2)+`) AS TEXT), char(0), 'y') WHERE chatId = 8`,
		`INSERT INTO tblLastChatId VALUES (1000, 8)`)
	stdout, _ := mustRun(t, 1, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor", stdout, `room "Big room" (nodeID 1000), message 8: `+strconv.Itoa(n)+` bytes of content and rtf`)
	mustLack(t, "doctor", stdout, "message 7")
}
