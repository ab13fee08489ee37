package archive

import (
	"errors"
	"testing"
)

// Messages reads rooms.jsonl once per Reader: later streams (an import
// reads the messages twice after the rooms) use what the first complete,
// valid read kept, with their own counts. An incomplete or failed read
// keeps nothing. The read of rooms.jsonl comes with one of
// categories.jsonl, whose GUIDs no room may carry.
func TestMessagesReadTheRoomsOnce(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	parts := int64(len(r.partsOf(KindMessages)))
	count := func() (n int64, scans int64, err error) {
		before := r.scans.Load()
		err = r.Messages(func(Message) error { n++; return nil })
		return n, r.scans.Load() - before, err
	}
	stop := errors.New("stop")
	if err := r.Rooms(func(Room) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("Rooms stopped by its function: %v", err)
	}
	n1, scans, err := count()
	if err != nil || scans != 2+parts {
		t.Fatalf("first Messages after a stopped Rooms: %v, %d parts read, want %d", err, scans, 2+parts)
	}
	for range 2 {
		n, scans, err := count()
		if err != nil || n != n1 || scans != parts {
			t.Fatalf("Messages again: %d messages, %v, %d parts read; want %d messages and %d parts", n, err, scans, n1, parts)
		}
	}

	bad, err := Open(writeFile(t, modified(t, fixedPartName(KindRooms), replaceFirst(`"name"`, `"nick"`))))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	for range 2 {
		before := bad.scans.Load()
		if err := bad.Messages(func(Message) error { return nil }); err == nil || bad.scans.Load()-before != 2 {
			t.Fatalf("Messages of a damaged rooms part: %v after %d parts", err, bad.scans.Load()-before)
		}
	}
}
