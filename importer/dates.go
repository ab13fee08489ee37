package importer

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// sqlDateTimeMin and sqlDateTimeMax bound SQL Server's datetime type, the
// type of tblPrincipal.prinVerifiedOn.
var (
	sqlDateTimeMin = time.Date(1753, 1, 1, 0, 0, 0, 0, time.UTC)
	sqlDateTimeMax = time.Date(9999, 12, 31, 23, 59, 59, 997_000_000, time.UTC)
)

// tickRange names the range of a time stamp in problems.
const tickRange = "the .NET DateTime range 0001-01-01 to 9999-12-31 (ticks 0 to 3155378975999999999)"

// badDates collects a room's messages whose dates are no DateTime: the
// count and the first few, for the problem list.
type badDates struct {
	n        int64
	examples []string
}

func (b *badDates) add(chatID, date int64) {
	b.n++
	if len(b.examples) < 3 {
		b.examples = append(b.examples, fmt.Sprintf("chat_id %d date %d", chatID, date))
	}
}

// checkMessageDate records a message of room whose date a server could not
// read.
func (a *source) checkMessageDate(room string, chatID, date int64) {
	if pchat.ValidTicks(date) {
		return
	}
	if a.badDates == nil {
		a.badDates = map[string]*badDates{}
	}
	b := a.badDates[room]
	if b == nil {
		b = &badDates{}
		a.badDates[room] = b
	}
	b.add(chatID, date)
}

// checkDates turns out-of-range time stamps into pre-flight errors: the
// bigint and datetime columns would take most of them, but a Persistent
// Chat server could not read them, and the dry run must fail where the
// real import would.
func (a *source) checkDates() {
	bad := func(object string, fields ...any) {
		var out []string
		for i := 0; i+1 < len(fields); i += 2 {
			if t, ok := fields[i+1].(int64); ok && !pchat.ValidTicks(t) {
				out = append(out, fmt.Sprintf("%s %d", fields[i], t))
			}
		}
		if len(out) > 0 {
			a.problems = append(a.problems, Problem{Severity: Error, Object: object,
				Message: fmt.Sprintf("%s outside %s", strings.Join(out, ", "), tickRange)})
		}
	}
	for _, p := range a.prins {
		bad("principal "+p.URI, "added_on", p.AddedOn, "updated_on", p.UpdatedOn)
		// The zero time stands for 1753-01-01 (the store reads that back as
		// it and writes it so). The fraction is shown:
		// 9999-12-31T23:59:59.998Z is outside.
		if v := p.VerifiedOn; !v.IsZero() && (v.Before(sqlDateTimeMin) || v.After(sqlDateTimeMax)) {
			a.problems = append(a.problems, Problem{Severity: Error, Object: "principal " + p.URI,
				Message: fmt.Sprintf("verified_on %s outside the SQL Server datetime range 1753-01-01 to 9999-12-31", v.UTC().Format(time.RFC3339Nano))})
		}
	}
	for _, c := range a.cats {
		bad("category "+c.Name, "added_on", c.AddedOn, "updated_on", c.UpdatedOn)
	}
	names := map[string]string{}
	for _, r := range a.rooms {
		names[r.GUID] = r.Name
		bad("room "+r.Name, "added_on", r.AddedOn, "updated_on", r.UpdatedOn)
	}
	guids := make([]string, 0, len(a.badDates))
	for g := range a.badDates {
		guids = append(guids, g)
	}
	sort.Strings(guids)
	for _, g := range guids {
		b := a.badDates[g]
		name := names[g]
		if name == "" {
			name = g
		}
		a.problems = append(a.problems, Problem{Severity: Error, Object: "room " + name,
			Message: fmt.Sprintf("%s dated outside %s: %s", numtext.Count(b.n, "message is", "messages are"), tickRange, numtext.More(b.examples, b.n))})
	}
}
