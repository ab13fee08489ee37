package pchat

import "time"

// Ticks are .NET DateTime.Ticks in UTC: 100 ns units since 0001-01-01. They
// exceed 2^53 and must never pass through a float64.
const ticksAtUnixEpoch int64 = 621355968000000000

// TicksFromTime converts a time to .NET ticks.
func TicksFromTime(t time.Time) int64 {
	t = t.UTC()
	return ticksAtUnixEpoch + t.Unix()*10_000_000 + int64(t.Nanosecond()/100)
}

// TimeFromTicks converts .NET ticks to a UTC time.
func TimeFromTicks(ticks int64) time.Time {
	d := ticks - ticksAtUnixEpoch
	sec := d / 10_000_000
	rem := d % 10_000_000
	if rem < 0 {
		rem += 10_000_000
		sec--
	}
	return time.Unix(sec, rem*100).UTC()
}
