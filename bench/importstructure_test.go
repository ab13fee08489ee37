package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// BenchmarkImportStructure imports the archive of `pcmig bench
// --estate-size large`'s estate (20,000 users and rooms, 200 categories,
// 200,000 messages) into a fresh copy of its empty 2019 pool, b.N times:
// the structure-heavy import of step 2, for profiles.
//
//	go test ./bench -run '^$' -bench ImportStructure -benchtime 3x -cpuprofile cpu.out
//
// PCMIG_BENCH_DIR keeps the estate and its archive between runs; set
// PCMIG_IMPORT_SEQUENTIAL to compare with the sequential import.
func BenchmarkImportStructure(b *testing.B) {
	if testing.Short() {
		b.Skip("a 20,000-room estate: not with -short")
	}
	dir := os.Getenv("PCMIG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	estate := filepath.Join(dir, "estate-large")
	source, target := filepath.Join(estate, "source-2015.db"), filepath.Join(estate, "target-2019.db")
	pristine, archivePath := target+".empty", filepath.Join(estate, "bench.zip")
	if _, err := os.Stat(pristine); err != nil {
		o := lab.DefaultOptions()
		o.Users, o.Categories, o.Rooms, o.Messages, o.Overwrite = 20_000, 200, 20_000, 200_000, true
		if _, err := lab.Init(ctx, estate, o); err != nil {
			b.Fatal(err)
		}
		if err := copyFile(target, pristine); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := os.Stat(archivePath); err != nil {
		if _, err := Export(ctx, source, archivePath); err != nil {
			b.Fatal(err)
		}
	}
	sequential := os.Getenv(importer.SequentialEnv) != ""
	for b.Loop() {
		b.StopTimer()
		journals, _ := filepath.Glob(archivePath + ".import-*")
		for _, j := range journals {
			if err := os.Remove(j); err != nil {
				b.Fatal(err)
			}
		}
		if err := copyFile(pristine, target); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := importer.Import(ctx, s, archivePath, importer.Options{Sequential: sequential})
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Messages.Imported != 200_000 {
			b.Fatalf("imported %d messages, want 200,000", res.Messages.Imported)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
