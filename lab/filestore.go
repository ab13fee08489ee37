package lab

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"

	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/poolsettings"
	"github.com/pcmig/pcmig/store"
)

// The lab's file stores and its model of the pools' own settings, relative
// to the estate folder.
const (
	sourceFiles  = "filestore-2015"
	targetFiles  = "filestore-2019"
	settingsFile = "pool-settings.json"
)

// writeFileStores writes the 2015 pool's file store, one file for every
// ma-filelink: link in its messages at the place the link names (see
// package filestore), and the 2019 pool's empty one.
func writeFileStores(ctx context.Context, dir string) error {
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, sourceDB), ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	root := filepath.Join(dir, sourceFiles)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, targetFiles), 0o755); err != nil {
		return err
	}
	return s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		for _, link := range filestore.Links(m.Content) {
			rel, ok := filestore.RelPath(link)
			if !ok {
				return fmt.Errorf("lab: link %q names no file in a share", link)
			}
			path := filepath.Join(root, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, fileContent(link), 0o644); err != nil {
				return err
			}
		}
		return nil
	})
}

// fileContent is a lab file: text derived from its link, of a size
// derived from it too, so the same lab gives the same files.
func fileContent(link string) []byte {
	h := fnv.New32a()
	h.Write([]byte(link))
	size := 200 + int(h.Sum32()%6000)
	line := "pcmig lab file for " + filestore.Name(link) + "\n"
	return []byte(strings.Repeat(line, size/len(line)+1)[:size])
}

// writePoolSettings writes the lab's model of the pools' own settings.
func writePoolSettings(dir string, o Options) error {
	return poolsettings.Lab(o.SourcePool, o.Domain).Save(filepath.Join(dir, settingsFile))
}

// buildExtras writes what a lab has besides its databases and documents.
func buildExtras(ctx context.Context, dir string, o Options) error {
	return errors.Join(writeFileStores(ctx, dir), writePoolSettings(dir, o))
}
