// Package grouped shows on a console the messages that one operation may
// give once per node, principal or message (a hand-built pool's thousands
// of rooms, each with the same leftover): the first few of each kind, then
// one line saying how many there are in all and where every one is. The
// reports keep every message; only the console is summarised.
package grouped

import "fmt"

// Few is how many messages of one kind a command's console shows before
// it summarises the rest, as the doctor's lines name at most 10 objects.
const Few = 10

// Lines returns what a console shows of msgs, kinds[i] being the kind of
// msgs[i] ("" for a message of no repeating kind; kinds may be shorter
// than msgs): every message of no kind, and of each kind the first Few, or
// all of them when there are no more than Few+1, in their order; after
// the last one shown of a kind with more, the line "... N WHAT in all (M
// more not shown): WHERE", what(kind) naming them in the plural.
func Lines(msgs, kinds []string, what func(kind string) string, where string) []string {
	return LinesOf(Few, msgs, kinds, what, where)
}

// LinesOf is Lines showing the first few messages of each kind, not Few
// (a run's console shows fewer: runtime.ConsoleFew).
func LinesOf(few int, msgs, kinds []string, what func(kind string) string, where string) []string {
	total := map[string]int{}
	for i := range msgs {
		if k := kindOf(kinds, i); k != "" {
			total[k]++
		}
	}
	shown := map[string]int{}
	out := make([]string, 0, min(len(msgs), 64))
	for i, m := range msgs {
		k := kindOf(kinds, i)
		if k == "" || total[k] <= few+1 {
			out = append(out, m)
			continue
		}
		if shown[k] >= few {
			continue
		}
		out = append(out, m)
		if shown[k]++; shown[k] == few {
			out = append(out, Summary(total[k], few, what(k), where))
		}
	}
	return out
}

// Summary is the line that follows the shown messages of a kind: "... N
// WHAT in all (M more not shown): WHERE", for total messages of which
// shown were written.
func Summary(total, shown int, what, where string) string {
	return fmt.Sprintf("... %d %s in all (%d more not shown): %s", total, what, total-shown, where)
}

func kindOf(kinds []string, i int) string {
	if i < len(kinds) {
		return kinds[i]
	}
	return ""
}
