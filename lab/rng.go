package lab

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// Independent PRNG streams per concern, so that asking for more messages
// does not change the principals' GUIDs, and so on.
const (
	streamPrincipals uint64 = 0x7072696e63697061 // "principa"
	streamStructure  uint64 = 0x7374727563747572 // "structur"
	streamMessages   uint64 = 0x6d65737361676573 // "messages"
	streamTarget     uint64 = 0x7461726765743139 // "target19"
)

// gen is one seeded stream.
type gen struct {
	*rand.Rand
	// perm is pick's reused permutation: a fresh one per pick of a few
	// members among thousands of users was most of lab init's garbage.
	perm *[]int
}

func newGen(seed int64, stream uint64) gen {
	return gen{Rand: rand.New(rand.NewPCG(uint64(seed), stream)), perm: new([]int)}
}

// permutation is rand.Perm(n) in a reused buffer: the same numbers from
// the same stream (math/rand/v2's Perm is this Shuffle of 0..n-1).
func (g gen) permutation(n int) []int {
	if cap(*g.perm) < n {
		*g.perm = make([]int, n)
	}
	p := (*g.perm)[:n]
	for i := range p {
		p[i] = i
	}
	g.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// guid returns a version 4 GUID made from the stream.
func (g gen) guid() string {
	hi, lo := g.Uint64(), g.Uint64()
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// chance is true with probability num/den.
func (g gen) chance(num, den int) bool { return g.IntN(den) < num }

// between returns ticks uniformly in [from, to).
func (g gen) between(from, to time.Time) int64 {
	a, b := pchat.TicksFromTime(from), pchat.TicksFromTime(to)
	return a + g.Int64N(b-a)
}

// pick returns k distinct elements of s (k capped at len(s)) in s's order.
func pick[T any](g gen, s []T, k int) []T {
	k = min(k, len(s))
	idx := append([]int(nil), g.permutation(len(s))[:k]...)
	slices.Sort(idx)
	out := make([]T, 0, k)
	for _, i := range idx {
		out = append(out, s[i])
	}
	return out
}

// Fixed instants of the lab's history.
var (
	adCreatedFrom  = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	adCreatedTo    = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	categoriesFrom = time.Date(2016, 1, 4, 8, 0, 0, 0, time.UTC)
	categoriesTo   = time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
	roomsFrom      = time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
	roomsTo        = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	historyEnd     = time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC)
	lastADSync     = time.Date(2024, 12, 31, 2, 0, 0, 0, time.UTC)
	// heartbeat is the servers' last ping: the pools were stopped then, so
	// the store's live-pool guard does not refuse lab writes.
	heartbeat = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)
