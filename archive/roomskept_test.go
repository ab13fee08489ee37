package archive

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Messages reads rooms.jsonl once per Reader: later streams (an import
// reads the messages twice after the rooms) use what the first complete,
// valid read kept, with their own counts. An incomplete or failed read
// keeps nothing. The first read of rooms.jsonl comes with one of
// categories.jsonl, whose GUIDs no room may carry, unless the categories
// were read before (TestCategoriesReadOnce).
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
	if err != nil || scans != 1+parts {
		t.Fatalf("first Messages after a stopped Rooms: %v, %d parts read, want %d", err, scans, 1+parts)
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
	for i, want := range []int64{2, 1} { // categories.jsonl is read once
		before := bad.scans.Load()
		if err := bad.Messages(func(Message) error { return nil }); err == nil || bad.scans.Load()-before != want {
			t.Fatalf("Messages %d of a damaged rooms part: %v after %d parts, want %d", i+1, err, bad.scans.Load()-before, want)
		}
	}
}

// TestCategoriesReadOnce: an import reads principals, categories, add-ins
// and rooms, then the messages twice; categories.jsonl is read once, by
// Categories, and Rooms checks the rooms' GUIDs against what that read
// kept (since 7edc0a2 Rooms read the part again). A Categories stopped by
// its function keeps nothing; a room with a category's GUID is still
// refused, whichever accessor read the categories.
func TestCategoriesReadOnce(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	parts := int64(len(r.partsOf(KindMessages)))
	before := r.scans.Load()
	stop := errors.New("stop")
	if err := r.Categories(func(Category) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("Categories stopped by its function: %v", err)
	}
	if err := r.Principals(func(Principal) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Categories(func(Category) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Addins(func(Addin) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Rooms(func(Room) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := r.Messages(func(Message) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := r.scans.Load()-before, 5+2*parts; got != want {
		t.Errorf("an import's reads read %d parts, want %d (categories.jsonl twice, or rooms.jsonl again?)", got, want)
	}

	// A room with a category's GUID (its messages' room too).
	es := validEntries(t)
	for _, e := range append([]entry(nil), es...) {
		if e.name == "rooms.jsonl" || strings.HasPrefix(e.name, "messages/") {
			replacePart(t, es, e.name, bytes.ReplaceAll(e.data, []byte(guid(300)), []byte(guid(101))))
		}
	}
	path := writeFile(t, zipBytes(t, es))
	const want = "archive part rooms.jsonl: line 1: room 00000065-0000-4000-8000-000000000065 has the GUID of a category"
	for _, categoriesFirst := range []bool{true, false} {
		bad, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if categoriesFirst {
			if err := bad.Categories(func(Category) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			before := bad.scans.Load()
			err := bad.Rooms(func(Room) error { return nil })
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Rooms %d (categories read first: %v): %v, want %q", i+1, categoriesFirst, err, want)
			}
			if n := bad.scans.Load() - before; n != 1 && (i > 0 || categoriesFirst) {
				t.Errorf("Rooms %d (categories read first: %v) read %d parts, want rooms.jsonl only", i+1, categoriesFirst, n)
			}
		}
		if err := bad.Messages(func(Message) error { return nil }); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Messages (categories read first: %v): %v, want %q", categoriesFirst, err, want)
		}
		bad.Close()
	}
}
