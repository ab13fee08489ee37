package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/bench"
)

func TestZZProf(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	src := filepath.Join(dir, "source-2015.db")
	arc := filepath.Join(dir, "prof.zip")
	switch os.Getenv("ZZ_PHASE") {
	case "export":
		ph, err := bench.Export(context.Background(), src, arc)
		t.Logf("%+v %v", ph, err)
	case "import":
		tgt := filepath.Join(t.TempDir(), "t.db")
		b, _ := os.ReadFile(filepath.Join(dir, "target-2019.db.empty"))
		os.WriteFile(tgt, b, 0o644)
		batch := 0
		fmt.Sscan(os.Getenv("ZZ_BATCH"), &batch)
		ph, err := bench.Import(context.Background(), tgt, arc, batch)
		t.Logf("%+v %v", ph, err)
	}
}
