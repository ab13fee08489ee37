package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// heartbeatServer emulates how SQL Server evaluates the heartbeat query:
// its clocks (local = UTC + offset), serverLastPingTime as a datetime
// without a zone, DATEDIFF(second, ...) failing with Msg 535 beyond an int,
// and DATEADD comparisons.
type heartbeatServer struct {
	utc    time.Time
	offset time.Duration
	ping   *time.Time // nil: NULL
}

var dateaddWindow = regexp.MustCompile(`DATEADD\(second, -(\d+), GETDATE\(\)\)`)

func (h heartbeatServer) answer(q string) [][]driver.Value {
	if !strings.Contains(q, "FROM tblServerIdentity") {
		return nil
	}
	row := []driver.Value{int64(7), "net.tcp://pchat01:8011", nil, nil, nil}
	if h.ping == nil {
		return [][]driver.Value{row}
	}
	row[2] = *h.ping
	local := h.utc.Add(h.offset)
	switch {
	case strings.Contains(q, "DATEDIFF(second, serverLastPingTime, GETDATE())"):
		for i, clock := range []time.Time{local, h.utc} {
			age := clock.Sub(*h.ping) / time.Second
			if age > math.MaxInt32 || age < math.MinInt32 {
				return [][]driver.Value{{errors.New("mssql: The datediff function resulted in an overflow. The number of dateparts separating two date/time instances is too large.")}}
			}
			row[3+i] = int64(age)
		}
	case dateaddWindow.MatchString(q):
		w, _ := strconv.Atoi(dateaddWindow.FindStringSubmatch(q)[1])
		window := time.Duration(w) * time.Second
		for i, clock := range []time.Time{local, h.utc} {
			v := int64(0)
			if h.ping.After(clock.Add(-window)) && h.ping.Before(clock.Add(window)) {
				v = 1
			}
			row[3+i] = v
		}
	default:
		return [][]driver.Value{{errors.New("fake server: unexpected heartbeat query " + q)}}
	}
	return [][]driver.Value{row}
}

// TestSQLServerLiveServers runs the live-pool check against emulated
// servers: a server is live when its ping is recent by either the SQL
// Server's local or its UTC clock; pcmig's own clock does not matter; and
// a ping from long ago (datetime's 1900-01-01 zero) is simply not live.
func TestSQLServerLiveServers(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { p := now.Add(d); return &p }
	old := func(y int) *time.Time { p := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); return &p }
	tests := []struct {
		name   string
		offset time.Duration
		ping   *time.Time // as stored, zone-less
		live   bool
	}{
		{"local-time pings on a UTC+3 server, running", 3 * time.Hour, at(3*time.Hour - 30*time.Second), true},
		{"UTC pings on a UTC+3 server, running", 3 * time.Hour, at(-30 * time.Second), true},
		{"UTC pings on a UTC-5 server, running", -5 * time.Hour, at(-30 * time.Second), true},
		{"slightly ahead of the server clock", 0, at(2 * time.Minute), true},
		{"stopped an hour ago, UTC pings on a UTC+3 server", 3 * time.Hour, at(-time.Hour), false},
		{"stopped an hour ago, local pings on a UTC-5 server", -5 * time.Hour, at(-5*time.Hour - time.Hour), false},
		{"never pinged", 0, nil, false},
		{"pinged at datetime's zero, 1900-01-01", 0, old(1900), false},
		{"pinged at datetime's first day, 1753-01-01", 0, old(1753), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := heartbeatServer{utc: now, offset: tt.offset, ping: tt.ping}
			db, _ := openRecorder(t, func(q string, _ []driver.NamedValue) [][]driver.Value { return srv.answer(q) })
			// pcmig's own clock is a day off: it must not matter.
			s := newStore(Config{Instance: "fake", Now: func() time.Time { return now.Add(24 * time.Hour) }, HeartbeatWindow: 10 * time.Minute},
				db, mssqlDialect{})
			live, err := s.LiveServers(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var want []LiveServer
			if tt.live {
				want = []LiveServer{{ID: 7, Address: "net.tcp://pchat01:8011", LastPing: *tt.ping}}
			}
			if diff := cmp.Diff(want, live); diff != "" {
				t.Errorf("LiveServers() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLiveSQLGolden(t *testing.T) {
	want := `SELECT serverID, serverAddress, serverLastPingTime,
CASE WHEN serverLastPingTime > DATEADD(second, -600, GETDATE()) AND serverLastPingTime < DATEADD(second, 600, GETDATE()) THEN 1 ELSE 0 END,
CASE WHEN serverLastPingTime > DATEADD(second, -600, GETUTCDATE()) AND serverLastPingTime < DATEADD(second, 600, GETUTCDATE()) THEN 1 ELSE 0 END
FROM tblServerIdentity`
	if got := liveSQL(10 * time.Minute); got != want {
		t.Errorf("liveSQL =\n%s\nwant\n%s", got, want)
	}
}
