package inventory

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// MaxTextFileLinks is how many file links WriteText lists; the JSON form
// has them all.
const MaxTextFileLinks = 20

// WriteText writes the inventory for people: totals, principals, categories,
// rooms, the busiest rooms, disabled rooms, add-ins, uploaded files and
// warnings, in aligned columns.
func WriteText(w io.Writer, inv *Inventory) error {
	bw := bufio.NewWriter(w)
	t := inv.Totals
	fmt.Fprintf(bw, "Inventory of %s\n", textwidth.OneLine(inv.Database))
	if inv.PoolID != "" {
		fmt.Fprintf(bw, "Pool ID (tblConfig): %s\n", inv.PoolID)
	}
	fmt.Fprintf(bw, "%s, %s (%d disabled), %s, %s of content, %s\n",
		plural(int64(t.Categories), "category", "categories"), plural(int64(t.Rooms), "room", "rooms"), t.DisabledRooms,
		plural(t.Messages, "message", "messages"), numtext.Bytes(t.ContentBytes), plural(t.FileLinks, "file link", "file links"))
	if t.Rooms > 0 {
		fmt.Fprintf(bw, "Rooms by privacy: %s; by type: %s\n",
			counts(t.RoomsByPrivacy, "Open", "Closed", "Secret"), counts(t.RoomsByType, "Normal", "Auditorium"))
	}

	p := inv.Principals
	fmt.Fprintf(bw, "\nPrincipals: %d (%d active, %d disabled, %d deleted)\n", p.Total, p.Active, p.Disabled, p.Deleted)
	pt := newTable("TYPE", ">ACTIVE", ">DISABLED", ">DELETED", ">TOTAL")
	for _, c := range p.ByType {
		pt.add(c.Type, numtext.Thousands(c.Active), numtext.Thousands(c.Disabled), numtext.Thousands(c.Deleted), numtext.Thousands(c.Total))
	}
	if err := pt.write(bw, "  "); err != nil {
		return err
	}

	fmt.Fprintf(bw, "\nCategories\n")
	if len(inv.Categories) == 0 {
		fmt.Fprintf(bw, "  (none)\n")
	} else {
		ct := newTable("CATEGORY", ">ALLOWED", ">DENIED", ">CREATORS", "INVITATIONS", "FILES", "HISTORY", ">ROOMS", ">MESSAGES", ">CONTENT")
		for _, c := range inv.Categories {
			ct.add(c.Name, numtext.Thousands(c.AllowedMembers), numtext.Thousands(c.DeniedMembers), numtext.Thousands(c.Creators),
				onOff(c.Invitations), onOff(c.FileUpload), onOff(c.ChatHistory), numtext.Thousands(len(c.Rooms)),
				numtext.Thousands(c.Messages), numtext.Bytes(c.ContentBytes))
		}
		if err := ct.write(bw, "  "); err != nil {
			return err
		}
	}

	if t.Rooms > 0 {
		fmt.Fprintf(bw, "\nRooms\n")
		rt := newTable("CATEGORY", "ROOM", "PRIVACY", "TYPE", "INVITATIONS", "STATE", "ADD-IN",
			">MEMBERS", ">MANAGERS", ">PRESENTERS", ">MESSAGES", ">CONTENT", ">FILES", "LAST MESSAGE")
		for _, c := range inv.Categories {
			for _, r := range c.Rooms {
				state := "enabled"
				if r.Disabled {
					state = "disabled"
				}
				rt.add(c.Name, r.Name, r.Privacy, r.Type, r.Invitations, state, dash(r.Addin),
					numtext.Thousands(r.Members), numtext.Thousands(r.Managers), numtext.Thousands(r.Presenters),
					numtext.Thousands(r.Messages), numtext.Bytes(r.ContentBytes), numtext.Thousands(r.FileLinks), day(r.LastMessage))
			}
		}
		if err := rt.write(bw, "  "); err != nil {
			return err
		}
	}

	fmt.Fprintf(bw, "\nBusiest rooms\n")
	if len(inv.Busiest) == 0 {
		fmt.Fprintf(bw, "  (no messages)\n")
	} else {
		bt := newTable(">#", "ROOM", "CATEGORY", ">MESSAGES", ">CONTENT")
		for i, r := range inv.Busiest {
			bt.add(strconv.Itoa(i+1), r.Room, r.Category, numtext.Thousands(r.Messages), numtext.Bytes(r.ContentBytes))
		}
		if err := bt.write(bw, "  "); err != nil {
			return err
		}
	}

	fmt.Fprintf(bw, "\nDisabled rooms: %d\n", len(inv.DisabledRooms))
	for _, n := range inv.DisabledRooms {
		fmt.Fprintf(bw, "  %s\n", clean(n))
	}

	fmt.Fprintf(bw, "\nAdd-ins\n")
	if len(inv.Addins) == 0 {
		fmt.Fprintf(bw, "  (none)\n")
	} else {
		at := newTable("NAME", "URL", ">ROOMS")
		for _, a := range inv.Addins {
			at.add(a.Name, a.URL, numtext.Thousands(a.Rooms))
		}
		if err := at.write(bw, "  "); err != nil {
			return err
		}
	}

	if err := writeFiles(bw, inv.Files); err != nil {
		return err
	}
	if len(inv.Warnings) > 0 {
		fmt.Fprintf(bw, "\nWarnings\n")
		for _, w := range inv.Warnings {
			fmt.Fprintf(bw, "  %s\n", clean(w))
		}
	}
	return bw.Flush()
}

func writeFiles(bw *bufio.Writer, f Files) error {
	rooms := map[string]bool{}
	for _, l := range f.Links {
		rooms[l.Room] = true
	}
	fmt.Fprintf(bw, "\nUploaded files: %s in %s\n", plural(int64(len(f.Links)), "link", "links"), plural(int64(len(rooms)), "room", "rooms"))
	if len(f.Links) == 0 {
		return nil
	}
	for _, l := range wrap(f.Note, 76) {
		fmt.Fprintf(bw, "  %s\n", l)
	}
	links := f.Links
	if f.Store != "" {
		fmt.Fprintf(bw, "  Checked against the file store %s: %s.\n", textwidth.OneLine(f.Store), plural(int64(f.Missing), "file is missing", "files are missing"))
		// The missing ones first: they are what needs attention.
		links = slices.Clone(links)
		slices.SortStableFunc(links, func(a, b FileLink) int {
			switch {
			case a.Missing == b.Missing:
				return 0
			case a.Missing:
				return -1
			}
			return 1
		})
	}
	ft := newTable("ROOM", "POSTED", "POSTER", "FILE", "LINK")
	for _, l := range links[:min(len(links), MaxTextFileLinks)] {
		file := l.File
		if l.Missing {
			file += " (MISSING)"
		}
		ft.add(l.Room, day(l.Posted), l.Poster, file, l.Link)
	}
	if err := ft.write(bw, "  "); err != nil {
		return err
	}
	if n := len(f.Links) - MaxTextFileLinks; n > 0 {
		fmt.Fprintf(bw, "  ... and %d more (the JSON form lists them all)\n", n)
	}
	return nil
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return numtext.Thousands(n) + " " + many
}

func counts(m map[string]int, order ...string) string {
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}
