package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// verify compares two pools: one database named twice, or a copy of one
// pool's database (same tblConfig pool ID), would prove nothing and say
// EQUAL. Both are refused.
func TestVerifyRefusesOnePool(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "300")
	src := filepath.Join(dir, "source-2015.db")
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(src, link); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"sqlite:" + src, "sqlite:" + link, "sqlite:" + filepath.Join(dir, ".", "source-2015.db")} {
		stdout, stderr, code := runCmd(t, "verify", "--source", "sqlite:"+src, "--target", target)
		if code != exitUsage || !strings.Contains(stderr, "one database") || strings.Contains(stdout, "EQUAL") {
			t.Errorf("verify --target %s: exit %d, want %d\nstdout %q\nstderr %q", target, code, exitUsage, stdout, stderr)
		}
	}
	cp := filepath.Join(dir, "copy.db")
	labtest.CopyFile(t, src, cp)
	stdout, stderr, code := runCmd(t, "verify", "--source", "sqlite:"+src, "--target", "sqlite:"+cp)
	if code != exitError || !strings.Contains(stderr, "same pool") || strings.Contains(stdout, "EQUAL") {
		t.Errorf("verify of a copy of the source: exit %d, want %d\nstdout %q\nstderr %q", code, exitError, stdout, stderr)
	}
}

// A database argument pcmig does not recognise is never echoed: it may be
// a connection string with the password in it, in a form no redaction
// knows.
func TestUnrecognisedDatabaseNotEchoed(t *testing.T) {
	t.Parallel()
	const pw = "Hunter2Secret"
	for _, dsn := range []string{
		"sqlserver:sa:" + pw + "@sql19.contoso.com",
		"sqlserver//sa:" + pw + "@sql19.contoso.com",
		"Sqlserver:/sa:" + pw + "@sql19.contoso.com",
		"sa:" + pw + "@sql19.contoso.com",
		"Server=sql19;User Id=sa;Passwort=" + pw,
		pw,
	} {
		for _, args := range [][]string{
			{"doctor", "--db", dsn},
			{"inventory", "--db", dsn},
			{"verify", "--source", dsn, "--target", "sqlite:x.db"},
		} {
			stdout, stderr, code := runCmd(t, args...)
			if code != exitUsage || strings.Contains(stdout+stderr, "Hunter2") || !strings.Contains(stderr, "unrecognised database") {
				t.Errorf("pcmig %s: exit %d, want %d; output %q", strings.Join(args[:len(args)-1], " "), code, exitUsage, stdout+stderr)
			}
		}
	}
}
