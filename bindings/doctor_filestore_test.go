package bindings

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/store"
)

// TestFileStoreCheckShare: a real estate's UNC share is N/A off Windows
// and checked like a folder on Windows (here it does not exist, so the
// line FAILs); a lab estate's is always checked like a folder, as
// pool.copy_files copies it itself.
func TestFileStoreCheckShare(t *testing.T) {
	share := estate.Pool{FileStore: `\\fs15.contoso.com\pchat-missing`}
	for _, tt := range []struct {
		real, windows bool
		want          string
	}{
		{true, false, store.DoctorNA},
		{true, true, store.DoctorFail},
		{false, false, store.DoctorFail},
	} {
		c, ok := fileStoreCheck(share, store.RoleSource, tt.real, tt.windows, true)
		if !ok || c.Status != tt.want || !strings.Contains(c.Message, share.FileStore) {
			t.Errorf("real %v, windows %v: %+v, want %s", tt.real, tt.windows, c, tt.want)
		}
	}
	if _, ok := fileStoreCheck(estate.Pool{}, store.RoleTarget, false, false, true); ok {
		t.Error("a pool without a file store has a file store line")
	}
}
