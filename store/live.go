package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LiveServer is a tblServerIdentity row with a recent heartbeat.
type LiveServer struct {
	ID       int32
	Address  string
	LastPing time.Time
}

// DefaultLiveRecheck is how often, at most, a writing store reads the
// heartbeats again (Config.LiveRecheck).
const DefaultLiveRecheck = 30 * time.Second

// liveSQL reads the heartbeats on SQL Server. Whether servers write
// serverLastPingTime in UTC or in local time is not documented, so the
// server compares each ping with both its local and its UTC clock, within
// the window either way. The comparisons move the clock by the window
// (DATEADD) instead of measuring the ping's age: DATEDIFF(second, ...)
// returns an int and fails with an overflow for a ping more than 68 years
// old (1900-01-01, datetime's zero, is one), and DATEDIFF_BIG needs SQL
// Server 2016.
func liveSQL(window time.Duration) string {
	w := int64(window / time.Second)
	if w < 1 {
		w = 1
	}
	within := func(clock string) string {
		return fmt.Sprintf("CASE WHEN serverLastPingTime > DATEADD(second, -%d, %s) AND serverLastPingTime < DATEADD(second, %d, %s) THEN 1 ELSE 0 END",
			w, clock, w, clock)
	}
	return "SELECT serverID, serverAddress, serverLastPingTime,\n" + within("GETDATE()") + ",\n" + within("GETUTCDATE()") + "\nFROM tblServerIdentity"
}

// LiveServers lists the servers whose heartbeat is within the window.
//
// The embedded store compares serverLastPingTime with Config.Now as UTC.
// On SQL Server the server's own clocks decide (liveSQL): a running pool is
// caught whichever convention it uses, and pcmig's clock does not matter.
func (s *Store) LiveServers(ctx context.Context) ([]LiveServer, error) {
	query := `SELECT serverID, serverAddress, serverLastPingTime, NULL, NULL FROM tblServerIdentity`
	if s.histDialect.name() == "sqlserver" {
		query = liveSQL(s.cfg.HeartbeatWindow)
	}
	rows, err := s.histQ().QueryContext(ctx, query)
	if err != nil {
		return nil, s.wrap("read tblServerIdentity", err)
	}
	defer rows.Close()
	var out []LiveServer
	// The embedded store has no server clock: pcmig's own stands in, read
	// as UTC and as local wall-clock time (zone-less text, as a server
	// writing local time would leave it), with the window on either side,
	// as liveSQL does on SQL Server.
	now := s.cfg.Now()
	_, offset := now.Zone()
	clocks := []time.Time{now.UTC(), now.UTC().Add(time.Duration(offset) * time.Second)}
	near := func(t time.Time) bool {
		for _, c := range clocks {
			if t.After(c.Add(-s.cfg.HeartbeatWindow)) && t.Before(c.Add(s.cfg.HeartbeatWindow)) {
				return true
			}
		}
		return false
	}
	for rows.Next() {
		var ls LiveServer
		var ping any
		var liveLocal, liveUTC sql.NullInt64
		if err := rows.Scan(&ls.ID, &ls.Address, &ping, &liveLocal, &liveUTC); err != nil {
			return nil, s.wrap("read tblServerIdentity", err)
		}
		t, ok, err := parseDateTime(ping)
		if err != nil {
			// The value itself is not quoted: database content stays out
			// of errors.
			return nil, fmt.Errorf("read tblServerIdentity on %s: server %d: serverLastPingTime is not a date and time", s.Describe(), ls.ID)
		}
		if !ok {
			continue
		}
		recent := near(t)
		if liveLocal.Valid || liveUTC.Valid {
			recent = liveLocal.Int64 == 1 || liveUTC.Int64 == 1
		}
		if recent {
			ls.LastPing = t
			out = append(out, ls)
		}
	}
	return out, s.wrap("read tblServerIdentity", rows.Err())
}

// checkLive is the live-pool part of the write guard. The heartbeats are
// read before the first write and again before any write that comes more
// than Config.LiveRecheck after the last reading, so a Persistent Chat
// server that starts during a long import stops it before its next write:
// everything written so far is committed, and the run resumes.
func (s *Store) checkLive(ctx context.Context) error {
	if s.cfg.Force {
		return nil
	}
	now := s.cfg.Now()
	every := s.cfg.LiveRecheck
	if every <= 0 {
		every = DefaultLiveRecheck
	}
	if !s.liveCheckedAt.IsZero() && now.Sub(s.liveCheckedAt) < every && !now.Before(s.liveCheckedAt) {
		return nil
	}
	live, err := s.LiveServers(ctx)
	if err != nil {
		return err
	}
	if len(live) > 0 {
		ping := live[0].LastPing.UTC().Format(time.RFC3339)
		if !s.liveCheckedAt.IsZero() {
			return fmt.Errorf("%w on %s: %s started heartbeating during the run (last heartbeat %s); pcmig stopped before its next write, everything written so far is kept: stop the Persistent Chat services (Stop-CsWindowsService) and run again with --resume",
				ErrLivePool, s.Describe(), live[0].Address, ping)
		}
		return fmt.Errorf("%w on %s: %s last heartbeat %s; writes belong in a maintenance window: stop the Persistent Chat services (Stop-CsWindowsService) or pass --force",
			ErrLivePool, s.Describe(), live[0].Address, ping)
	}
	s.liveCheckedAt = now
	return nil
}
