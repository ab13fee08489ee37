package filestore

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// Real file stores are Windows (NTFS) shares: a name is looked up without
// regard to case, and some names cannot be held at all, or not as they
// are. A source store copied to a case-sensitive folder (a lab, a
// rehearsal) or two source pools copied into one target can hold names
// that such a store would make one file.

// FoldKey is the key under which a case-insensitive store that may also
// normalise Unicode (NTFS looks names up without regard to case; macOS and
// some SMB servers also take NFC and NFD forms as one name) finds the file
// rel: two paths of one key are one file there.
func FoldKey(rel string) string {
	return strings.ToUpper(norm.NFC.String(rel))
}

// Collisions groups the paths (slash-separated, relative to a store) that
// are different names but one key (FoldKey): groups of two or more, each
// sorted, in the order of their first path's key.
func Collisions(rels []string) [][]string {
	by := map[string][]string{}
	var keys []string
	for _, r := range rels {
		k := FoldKey(r)
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], r)
	}
	slices.Sort(keys)
	var out [][]string
	for _, k := range keys {
		if g := slices.Compact(slices.Sorted(slices.Values(by[k]))); len(g) > 1 {
			out = append(out, g)
		}
	}
	return out
}

// windowsReserved are the device names Windows reserves, whatever the
// extension after them ("CON.txt", "nul.tar.gz").
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}

func init() {
	for _, d := range []string{"COM", "LPT"} {
		for _, n := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
			windowsReserved[d+n] = true
		}
	}
}

// WindowsNameProblem says why a Windows file store (NTFS, through the
// Windows file APIs that robocopy and the Persistent Chat server use)
// cannot hold the path rel (slash-separated, relative to the store) as it
// is, or "" when it can: a reserved device name, with any extension (CON,
// nul.txt, COM1.docx), which opens the device; a name ending in a dot or
// a space, which Windows strips (so "a.txt." is "a.txt"); a colon, which
// names an alternate data stream of another file ("a.txt:x" writes into
// a.txt); a character Windows does not allow in a name (< > " | ? * \ and
// control characters); a name longer than 255 UTF-16 code units.
func WindowsNameProblem(rel string) string {
	segs := strings.Split(rel, "/")
	for i, seg := range segs {
		if p := segmentProblem(seg); p != "" {
			if i == len(segs)-1 {
				return p
			}
			return fmt.Sprintf("is in a folder %q that %s", seg, p)
		}
	}
	return ""
}

func segmentProblem(seg string) string {
	switch {
	case seg == "":
		return "is an empty name"
	case strings.ContainsRune(seg, ':'):
		return "holds a colon, which Windows reads as an alternate data stream of another file"
	case strings.ContainsFunc(seg, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "holds a control character, which Windows does not allow in a name"
	case strings.ContainsAny(seg, `<>"|?*\`):
		return `holds one of < > " | ? * \, which Windows does not allow in a name`
	case strings.HasSuffix(seg, ".") && seg != "." && seg != "..", strings.HasSuffix(seg, " "):
		return "ends in a dot or a space, which Windows strips from a name"
	case len(utf16.Encode([]rune(seg))) > 255:
		return "is longer than the 255 characters Windows allows in a name"
	}
	base, _, _ := strings.Cut(seg, ".")
	if windowsReserved[strings.ToUpper(strings.TrimRight(base, " "))] {
		return "is a device name that Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension)"
	}
	return ""
}
