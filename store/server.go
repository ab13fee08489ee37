package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SetConfig writes the tblConfig row for a label (the server keeps one,
// labelled "pool"), with the database instance's unique ID.
func (s *Store) SetConfig(ctx context.Context, label, content, poolID string) error {
	return s.write(ctx, "write tblConfig", func(q querier) error {
		if !s.optional["tblConfig"] {
			return fmt.Errorf("this database has no tblConfig")
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM tblConfig WHERE configLabel = ?`, label); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `INSERT INTO tblConfig (configLabel, configContent, configPoolID) VALUES (?, ?, ?)`, label, content, poolID)
		return err
	})
}

// RegisterServer writes a tblServerIdentity row as a chat server does when
// it starts and heartbeats. Lab estates use it to look like a real pool.
func (s *Store) RegisterServer(ctx context.Context, id int32, address string, lastPing time.Time) error {
	return s.write(ctx, "write tblServerIdentity", func(q querier) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM tblServerIdentity WHERE serverID = ?`, id); err != nil {
			return err
		}
		var ping any = sql.NullString{}
		if !lastPing.IsZero() {
			ping = s.dialect.datetime(lastPing)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO tblServerIdentity (serverID, serverAddress, serverLastPingTime) VALUES (?, ?, ?)`, id, address, ping)
		return err
	})
}
