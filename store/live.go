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

// LiveServers lists the servers whose heartbeat is within the window.
//
// Whether servers write serverLastPingTime in UTC or in local time is not
// documented. The embedded store compares it with Config.Now as UTC. On SQL
// Server the age is worked out by the server against both its local and
// its UTC clock, and a server counts as live when either age is within the
// window (a ping from the future by less than the window included): a
// running pool is caught whichever convention it uses, and pcmig's own
// clock does not matter.
func (s *Store) LiveServers(ctx context.Context) ([]LiveServer, error) {
	query := `SELECT serverID, serverAddress, serverLastPingTime, NULL, NULL FROM tblServerIdentity`
	if s.dialect.name() == "sqlserver" {
		query = `SELECT serverID, serverAddress, serverLastPingTime,
DATEDIFF(second, serverLastPingTime, GETDATE()), DATEDIFF(second, serverLastPingTime, GETUTCDATE()) FROM tblServerIdentity`
	}
	rows, err := s.q().QueryContext(ctx, query)
	if err != nil {
		return nil, s.wrap("read tblServerIdentity", err)
	}
	defer rows.Close()
	var out []LiveServer
	window := s.cfg.HeartbeatWindow
	cut := s.cfg.Now().Add(-window)
	for rows.Next() {
		var ls LiveServer
		var ping any
		var ageLocal, ageUTC sql.NullInt64
		if err := rows.Scan(&ls.ID, &ls.Address, &ping, &ageLocal, &ageUTC); err != nil {
			return nil, s.wrap("read tblServerIdentity", err)
		}
		t, ok, err := parseDateTime(ping)
		if err != nil {
			return nil, s.wrap("read tblServerIdentity.serverLastPingTime", err)
		}
		if !ok {
			continue
		}
		recent := t.After(cut)
		if ageLocal.Valid || ageUTC.Valid {
			recent = withinWindow(ageLocal, window) || withinWindow(ageUTC, window)
		}
		if recent {
			ls.LastPing = t
			out = append(out, ls)
		}
	}
	return out, s.wrap("read tblServerIdentity", rows.Err())
}

// withinWindow reports whether an age in seconds is less than the window
// in either direction.
func withinWindow(age sql.NullInt64, window time.Duration) bool {
	if !age.Valid {
		return false
	}
	d := time.Duration(age.Int64) * time.Second
	return d < window && d > -window
}

func (s *Store) checkLive(ctx context.Context) error {
	if s.checkedLive || s.cfg.Force || s.pinned != nil {
		return nil
	}
	live, err := s.LiveServers(ctx)
	if err != nil {
		return err
	}
	if len(live) > 0 {
		return fmt.Errorf("%w on %s: %s last heartbeat %s; writes belong in a maintenance window: stop the Persistent Chat services (Stop-CsWindowsService) or pass --force",
			ErrLivePool, s.Describe(), live[0].Address, live[0].LastPing.UTC().Format(time.RFC3339))
	}
	s.checkedLive = true
	return nil
}
