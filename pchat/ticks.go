package pchat

import "time"

// Ticks are .NET DateTime.Ticks in UTC: 100 ns units since 0001-01-01. They
// exceed 2^53 and must never pass through a float64.
const ticksAtUnixEpoch int64 = 621355968000000000

// MinTicks and MaxTicks bound the ticks of a .NET DateTime
// (DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks,
// 9999-12-31T23:59:59.9999999Z): a Persistent Chat server turns every
// time-stamp column into a DateTime, and a value outside this range cannot
// be one, although the bigint column holds it.
const (
	MinTicks int64 = 0
	MaxTicks int64 = 3155378975999999999
)

// ValidTicks reports whether ticks is a .NET DateTime.
func ValidTicks(ticks int64) bool { return ticks >= MinTicks && ticks <= MaxTicks }

// TicksFromTime converts a time to .NET ticks.
func TicksFromTime(t time.Time) int64 {
	t = t.UTC()
	return ticksAtUnixEpoch + t.Unix()*10_000_000 + int64(t.Nanosecond()/100)
}

// TimeFromTicks converts .NET ticks to a UTC time. Ticks outside the .NET
// DateTime range (a damaged database) are clamped to it, so that every
// result is a time that formats and encodes as JSON; use ValidTicks to
// tell them apart.
func TimeFromTicks(ticks int64) time.Time {
	ticks = min(max(ticks, MinTicks), MaxTicks)
	d := ticks - ticksAtUnixEpoch
	sec := d / 10_000_000
	rem := d % 10_000_000
	if rem < 0 {
		rem += 10_000_000
		sec--
	}
	return time.Unix(sec, rem*100).UTC()
}
