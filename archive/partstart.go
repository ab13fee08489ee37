package archive

import (
	"bytes"
	"encoding/json"
	"io"
)

// partStartPeek bounds what PartStartRooms inflates of each messages part.
const partStartPeek = 64 << 10

// PartStartRooms returns, for each messages part in order, the room GUID
// its first record names, as that record's first bytes say it: "" where
// they do not (a first record past the first 64 KiB, no room key, a part
// that cannot be read). Nothing is checked: the parts' checksums and
// records are checked by the accessors. It costs one deflate block or so
// per part, and is a guess of the order the messages' rooms come in
// before a full read finds it (an import plans its room node IDs by it,
// importer/overlap.go): an archive whose parts say otherwise gives other
// results in no way but speed.
func (r *Reader) PartStartRooms() []string {
	parts := r.partsOf(KindMessages)
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = r.partStartRoom(p)
	}
	return out
}

func (r *Reader) partStartRoom(p Part) string {
	f := r.entries[p.Name]
	if f == nil {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	buf := make([]byte, partStartPeek)
	n, _ := io.ReadFull(rc, buf)
	buf = buf[:n]
	if rest, ok := bytes.CutPrefix(buf, []byte(msgRoom)); ok {
		if g, _, ok := bytes.Cut(rest, []byte{'"'}); ok && isGUID(g) {
			return string(g)
		}
		return ""
	}
	line, _, ok := bytes.Cut(buf, []byte{'\n'})
	if !ok {
		return ""
	}
	var m struct {
		Room string `json:"room"`
	}
	if json.Unmarshal(line, &m) != nil || !isGUID(m.Room) {
		return ""
	}
	return m.Room
}
