package lab

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/pcmig/pcmig/pchat"
)

// allocate splits total messages over n rooms unevenly: about one room in
// six stays empty, the others get cubic random weights, so a few rooms are
// busy and most are quiet. The counts add up to total exactly. Integer
// arithmetic only, so the split is the same on every platform.
func allocate(g gen, n, total int) []int {
	empty := map[int]bool{}
	if n >= 4 {
		for _, i := range g.Perm(n)[:max(1, n/6)] {
			empty[i] = true
		}
	}
	w := make([]int64, n)
	var sum int64
	for i := range w {
		if !empty[i] {
			r := int64(1 + g.IntN(100))
			w[i] = r * r * r
			sum += w[i]
		}
	}
	counts := make([]int, n)
	rest := total
	for i := range w {
		counts[i] = int(int64(total) * w[i] / sum)
		rest -= counts[i]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { // largest remainder first
		ra, rb := int64(total)*w[a]%sum, int64(total)*w[b]%sum
		switch {
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return 0
	})
	for _, i := range order[:rest] {
		counts[i]++
	}
	return counts
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "lundi", "Donnerstag", "金曜日"}

// sentences are plain messages; {name} is a member's given name, {n} and
// {m} numbers, {q} a quarter, {day} a weekday, {room} the room's name and
// {hex} a commit hash.
var sentences = []string{
	"Morning all ☀️",
	"Build {n} is green ✅",
	"Build {n} failed in the integration tests, looking into it 🔍",
	"Can someone review PR #{n}? 🙏",
	"@{name} thanks, looks good 👍",
	"Heads-up: the VPN gateway restarts tonight at 22:00 UTC.",
	"Réunion déplacée à {day} — merci !",
	"Der Deploy läuft, bitte keine Merges bis 15:00.",
	"会議は10時からです。資料は共有フォルダにあります。",
	"Zażółć gęślą jaźń — testing the Polish keyboard layout 😄",
	"¿Alguien tiene el informe de ventas del {day}?",
	"Q{q} numbers are in, {name} will walk us through them on {day}.",
	"Customer {n} escalated again; the ticket is in the queue.",
	"Lunch? 🍕",
	"Who owns the {room} backlog this sprint?",
	"Reminder: timesheets are due {day}.",
	"Thanks {name}! 🎉",
	"Can we move the sync to {day} afternoon?",
	"The staging database is back up.",
	"Étude de cas envoyée au client, en attente de retour.",
	"Согласовано, отправляю договор сегодня.",
	"Ürün lansmanı {day} günü yapılacak.",
	"Προσοχή: νέα έκδοση {n} διαθέσιμη.",
	"שלום לכולם, הפגישה של {day} בוטלה.",
	"请把最新的设计稿发给我，谢谢！",
	"Ship it 🚢",
	"I'm out of office until {day}; {name} is covering.",
	"Reverted {hex}; root cause is in the notes.",
	"Budget line {n} is over by {m} €.",
	"Price list updated: 1 299,00 € / £1,099.00 / ¥149,800",
	"Agenda for {day}:\n1. Status\n2. Risks\n3. AOB",
	"She said \"done\" — it's done. {name}, can you confirm?",
	"Pasted from Excel:\nRegion\tQ{q}\nEMEA\t{n}\nAPAC\t{m}",
	"{name}: the runbook is C:\\Tools\\pcmig\\runbook.ps1, its settings {\"retries\": 3}",
	"Ça marche, je m'en occupe 👌",
	"Kaffee ist alle ☕😱",
}

var fileNames = []string{
	"report.docx", "Q3-forecast.xlsx", "architecture.vsdx", "Präsentation.pptx", "議事録.pdf",
	"logo.png", "release-notes.txt", "contract_v2.pdf", "Budget 2024.xlsx",
}

// messageGen writes the messages of one room.
type messageGen struct {
	g     gen
	opts  Options
	room  *room
	names []string // given names of the room's users
}

func givenName(p *prin) string {
	if f, _, ok := strings.Cut(p.p.DisplayName, " "); ok && !strings.ContainsFunc(f, isWide) {
		return f
	}
	return p.p.DisplayName
}

// next returns one message's content, RTF (nil for none) and whether it
// carries an uploaded file.
func (m *messageGen) next() (content string, rtf *string, file bool) {
	g := m.g
	switch roll := g.IntN(1000); {
	case roll < 15 && m.room.cat.c.FileUpload:
		name := strings.ReplaceAll(fileNames[g.IntN(len(fileNames))], " ", "%20")
		return fmt.Sprintf("ma-filelink:///%s/pchat/%s/%s/%s", m.opts.FileStore, m.room.r.GUID, g.guid(), name), nil, true
	case roll < 30:
		n := g.IntN(5000)
		return fmt.Sprintf(`<a href="https://intranet.%s/news/%d">Intranet news %d</a>`, m.opts.Domain, n, n), nil, false
	case roll < 40:
		content = fmt.Sprintf("[STORY]Weekly status: %s\nDone: %d items. Blocked: %d. Next review %s.",
			m.room.r.Name, g.IntN(40), g.IntN(4), weekdays[g.IntN(len(weekdays))])
	default:
		content = m.fill(sentences[g.IntN(len(sentences))])
	}
	if g.chance(35, 100) {
		r := rtfOf(content)
		rtf = &r
	}
	return content, rtf, false
}

func (m *messageGen) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	g := m.g
	return strings.NewReplacer(
		"{name}", m.names[g.IntN(len(m.names))],
		"{n}", strconv.Itoa(1000+g.IntN(9000)),
		"{m}", strconv.Itoa(10+g.IntN(990)),
		"{q}", strconv.Itoa(1+g.IntN(4)),
		"{day}", weekdays[g.IntN(len(weekdays))],
		"{room}", m.room.r.Name,
		"{hex}", fmt.Sprintf("%07x", g.Uint32()>>4),
	).Replace(s)
}

// rtfOf is the RTF a Lync client sends for plain text: ASCII as is, RTF
// control characters escaped, line breaks as \par and everything else as
// \uN? with N the signed UTF-16 code unit (tblChat.rtf is varchar).
func rtfOf(text string) string {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Segoe UI;}}\f0\fs20 `)
	for _, c := range text {
		switch {
		case c == '\\' || c == '{' || c == '}':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c == '\n':
			b.WriteString(`\par `)
		case c == '\t':
			b.WriteString(`\tab `)
		case c < 0x20:
		case c < 0x80:
			b.WriteRune(c)
		default:
			units := []uint16{uint16(c)}
			if c > 0xffff {
				r1, r2 := utf16.EncodeRune(c)
				units = []uint16{uint16(r1), uint16(r2)}
			}
			for _, u := range units {
				fmt.Fprintf(&b, `\u%d?`, int16(u))
			}
		}
	}
	b.WriteString(`\par}`)
	return b.String()
}

// isWide reports East Asian wide characters, which are not split into
// given and family names.
func isWide(c rune) bool { return c >= 0x2e80 && c <= 0xa4cf || c >= 0xac00 && c <= 0xd7a3 }

// timeline returns n strictly increasing time stamps in [from, to), spread
// at random (to is moved out when the span is too short).
func timeline(g gen, from, to int64, n int) []int64 {
	span := max(to-from, int64(2*n)) - int64(n)
	ticks := make([]int64, n)
	for i := range ticks {
		ticks[i] = g.Int64N(span)
	}
	slices.Sort(ticks)
	for i := range ticks {
		ticks[i] += from + int64(i)
	}
	return ticks
}

// roomMessages calls emit with batches of at most batch messages of one
// room: posters are the room's users (the presenters of an auditorium),
// time stamps increase strictly from
// the room's creation to the end of the lab's history, about one message in
// 150 is an alert.
func roomMessages(g gen, o Options, r *room, batch int, emit func([]pchat.Message) error) error {
	n := r.messages
	if n == 0 {
		return nil
	}
	var posters []*prin
	for _, m := range r.members {
		if m.isUser() {
			posters = append(posters, m)
		}
	}
	if r.r.Type == pchat.Auditorium && len(r.presenters) > 0 {
		posters = r.presenters // only presenters speak in an auditorium
	}
	mg := &messageGen{g: g, opts: o, room: r}
	for _, p := range posters {
		mg.names = append(mg.names, givenName(p))
	}
	ticks := timeline(g, r.r.AddedOn+g.Int64N(36_000_000_000), pchat.TicksFromTime(historyEnd), n)
	buf := make([]pchat.Message, 0, min(n, batch))
	for i := range n {
		content, rtf, _ := mg.next()
		buf = append(buf, pchat.Message{Date: ticks[i], UserID: posters[g.IntN(len(posters))].p.ID,
			Alert: g.chance(1, 150), Content: content, RTF: rtf})
		if len(buf) == batch || i == n-1 {
			if err := emit(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}
