package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
)

// A journal file is sealed: its first member is "checksum", the SHA-256
// of the file without that member ("{" and everything after the member's
// comma), written after the run's secrets were masked. A resumed run acts
// on what the journal holds (the steps it skips, the runbook commands it
// writes again), so a journal whose content does not match its checksum
// (damaged on disk, cut short, edited by hand) is refused, as is one
// without a checksum, and never quoted. The checksum catches damage and
// edits made without recomputing it; it is not a signature.

// sealPrefix matches a sealed journal's checksum member.
var sealPrefix = regexp.MustCompile(`^\{"checksum":"sha256:([0-9a-f]{64})",`)

// seal puts the checksum of body, a JSON object, in front of it.
func seal(body []byte) []byte {
	sum := sha256.Sum256(body)
	out := make([]byte, 0, len(body)+90)
	out = append(out, `{"checksum":"sha256:`...)
	out = append(out, hex.EncodeToString(sum[:])...)
	out = append(out, `",`...)
	return append(out, body[1:]...)
}

// sealRoom is the length of the member seal puts in front of a body, with
// the "{" before it.
const sealRoom = len(`{"checksum":"sha256:`) + 2*sha256.Size + len(`",`)

// sealInPlace is seal for a body (a JSON object) that starts at
// buf[sealRoom-1:], after room that sealInPlace fills: the body is
// checksummed, then its first sealRoom bytes (the room and the body's "{")
// become the checksum's member. The body is not copied.
func sealInPlace(buf []byte) []byte {
	sum := sha256.Sum256(buf[sealRoom-1:])
	n := copy(buf, `{"checksum":"sha256:`)
	n += hex.Encode(buf[n:], sum[:])
	copy(buf[n:], `",`)
	return buf
}

// sealOf is the checksum of a sealed journal file b, as its "checksum"
// member gives it ("sha256:...").
func sealOf(b []byte) string {
	return string(b[len(`{"checksum":"`) : sealRoom-2])
}

// unseal checks the checksum of a journal file b and returns it
// ("sha256:...").
func unseal(path string, b []byte) (string, error) {
	m := sealPrefix.FindSubmatchIndex(b)
	if m == nil {
		return "", fmt.Errorf("journal %s has no checksum: a pcmig that did not seal its journals wrote it, or it was edited or damaged; pcmig resumes only from a journal as it wrote it", path)
	}
	want := string(b[m[2]:m[3]])
	body := append([]byte{'{'}, b[m[1]:]...)
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != want || !bytes.HasPrefix(bytes.TrimLeft(body[1:], " \t\r\n"), []byte(`"`)) {
		return "", fmt.Errorf("journal %s is damaged or was edited: its content does not match its checksum; pcmig resumes only from a journal as it wrote it", path)
	}
	return "sha256:" + want, nil
}
