package verify_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/verify"
)

// TestVerifyRefusedWhenWrittenWhileItCompares: another connection (as
// another process would: an import begun after verify opened the target)
// commits a change to the target once verify has begun (its first reading
// of the clock). The verdict would be of no pool that ever was (an import
// half done between two reads): verify gives none and says why. Before, it
// returned a verdict. Without the write the same verify is EQUAL.
func TestVerifyRefusedWhenWrittenWhileItCompares(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	for _, write := range []bool{false, true} {
		src, tgt := open(t, m.source, true), open(t, m.target, true)
		calls := 0
		now := func() time.Time {
			if calls++; calls == 1 && write {
				db, err := sql.Open("sqlite", "file:"+m.target+"?_pragma=busy_timeout(10000)")
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec(`UPDATE tblNode SET nodeDesc = nodeDesc || ' (changed meanwhile)' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode)`); err != nil {
					t.Fatal(err)
				}
			}
			return time.Now()
		}
		res, err := verify.Run(context.Background(), []verify.Source{{Label: "source", Store: src, Archive: m.archive}}, tgt, verify.Options{Now: now})
		if !write {
			if err != nil || !res.Equal {
				t.Fatalf("verify without a write meanwhile: %v", err)
			}
			continue
		}
		if !errors.Is(err, store.ErrWrittenMeanwhile) || !strings.Contains(err.Error(), "so it gives no verdict") {
			t.Errorf("verify of a target written meanwhile: %+v, %v; want it refused", res, err)
		}
	}
}
