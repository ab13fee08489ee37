package archive

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// Summary describes an archive for `pcmig inspect`: the manifest's fields,
// the archive's size and every room's message count. It marshals to JSON
// with the manifest's field names.
type Summary struct {
	Manifest
	ArchiveBytes int64         `json:"archive_bytes,string"` // size of the zip file
	Rooms        []RoomSummary `json:"rooms"`
}

// RoomSummary is one room of a Summary.
type RoomSummary struct {
	GUID     string `json:"guid"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Disabled bool   `json:"disabled"`
	Messages int64  `json:"messages,string"`
}

// Summary reads rooms.jsonl (checking it) and returns the archive's
// summary.
func (r *Reader) Summary() (Summary, error) {
	s := Summary{Manifest: r.Manifest(), ArchiveBytes: r.size, Rooms: []RoomSummary{}}
	err := r.Rooms(func(room Room) error {
		s.Rooms = append(s.Rooms, RoomSummary{GUID: room.GUID, Name: room.Name, Category: room.Category,
			Disabled: room.Disabled, Messages: room.Messages})
		return nil
	})
	return s, err
}

// WriteSummaryText writes s for people to read. Names are quoted when they
// hold characters that a terminal would not show as themselves.
func WriteSummaryText(w io.Writer, s Summary) error {
	var uncompressed int64
	for _, p := range s.Parts {
		uncompressed += p.Bytes
	}
	scope, since := "all categories", "all content"
	if len(s.Scope) > 0 {
		q := make([]string, len(s.Scope))
		for i, c := range s.Scope {
			q[i] = printable(c)
		}
		scope = strings.Join(q, ", ")
	}
	if s.Since != nil {
		since = "since " + s.Since.UTC().Format(time.RFC3339)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Archive:\tpcmig format %d, written by %s %s at %s\n", s.Format, printable(s.Tool),
		printable(s.ToolVersion), s.Created.UTC().Format(time.RFC3339))
	pool := "pool " + printable(s.SourcePool)
	if s.SourcePool == "" {
		pool = "pool not recorded (export --pool FQDN records it)"
	}
	fmt.Fprintf(tw, "Source:\t%s, database %s\n", pool, printable(s.SourceDatabase))
	fmt.Fprintf(tw, "Level:\t%s (%s; %s)\n", printable(s.Level), scope, since)
	fmt.Fprintf(tw, "Records:\t%s principals, %s categories, %s add-ins, %s rooms, %s messages\n",
		numtext.Thousands(s.Counts.Principals), numtext.Thousands(s.Counts.Categories), numtext.Thousands(s.Counts.Addins),
		numtext.Thousands(s.Counts.Rooms), numtext.Thousands(s.Counts.Messages))
	fmt.Fprintf(tw, "Size:\t%s compressed, %s uncompressed, in %d parts\n",
		numtext.Bytes(s.ArchiveBytes), numtext.Bytes(uncompressed), len(s.Parts))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.Rooms) == 0 {
		_, err := fmt.Fprintln(w, "\nNo rooms.")
		return err
	}
	// Names are padded by the columns a terminal gives them (textwidth), not
	// by characters as text/tabwriter does: 東京オフィス takes 12 columns.
	width, nameWidth, catWidth := len("MESSAGES"), len("ROOM"), len("CATEGORY")
	for _, r := range s.Rooms {
		width = max(width, len(numtext.Thousands(r.Messages)))
		nameWidth = max(nameWidth, textwidth.Width(printable(r.Name)))
		catWidth = max(catWidth, textwidth.Width(printable(r.Category)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%*s  %s  %s  STATE\n", width, "MESSAGES", textwidth.Pad("ROOM", nameWidth), textwidth.Pad("CATEGORY", catWidth))
	for _, r := range s.Rooms {
		state := "enabled"
		if r.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(&b, "%*s  %s  %s  %s\n", width, numtext.Thousands(r.Messages),
			textwidth.Pad(printable(r.Name), nameWidth), textwidth.Pad(printable(r.Category), catWidth), state)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printable returns s, or s quoted if it holds anything but printable
// characters and spaces, so that names cannot inject terminal controls. A
// name of more than textwidth.LongestShown characters is shown as its
// first 100 and its length (textwidth.Shorten): a room's name may be
// megabytes long in a hand-made archive.
func printable(s string) string {
	if short := textwidth.Shorten(s); short != s {
		return printable(short)
	}
	for _, c := range s {
		if !strconv.IsPrint(c) {
			return strconv.Quote(s)
		}
	}
	return s
}
