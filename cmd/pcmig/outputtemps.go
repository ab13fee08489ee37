package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/textwidth"
)

// outputTemps are the temporary files of a run's outputs (report, plan,
// runbook), which are written atomically beside their place, often
// outside the estate's state folder: a real run records each in the state
// folder's ledger (estate.TempLedgerName) before it is made, and the
// next real run removes those whose run has ended, and only those
// (atomicfile.Ledger). A dry run records nothing and removes nothing: it
// writes nothing into the state folder.
type outputTemps struct {
	est *estate.Estate
	dry bool
}

// ledger is the ledger, or nil when there is none to keep: a dry run, or
// no state folder yet (a run makes it once its checks have passed).
func (o outputTemps) ledger() *atomicfile.Ledger {
	if o.dry || o.est == nil || o.est.State == "" {
		return nil
	}
	if st, err := os.Stat(o.est.State); err != nil || !st.IsDir() {
		return nil
	}
	return &atomicfile.Ledger{Path: filepath.Join(o.est.State, estate.TempLedgerName)}
}

// sweep removes the temporary files that ended runs left, saying so on
// w; a failure is a warning: the run goes on.
func (o outputTemps) sweep(w io.Writer) {
	l := o.ledger()
	if l == nil {
		return
	}
	sweepLedger(w, l, "a run that was stopped before it renamed it")
}

// sweepLedger removes the temporary files of l whose processes have ended,
// saying on w of each that it was the temporary file of whose; a failure
// is a warning.
func sweepLedger(w io.Writer, l *atomicfile.Ledger, whose string) {
	removed, err := l.Sweep()
	for _, f := range removed {
		fmt.Fprintf(w, "Removed %s, the temporary file of %s.\n", textwidth.OneLine(f), whose)
	}
	if err != nil {
		printError(w, "pcmig: warning: ", err)
	}
}

// write writes data to path atomically, recording its temporary file
// before it is made (atomicfile.WriteWith).
func (o outputTemps) write(path string, data []byte, opts ...atomicfile.Option) error {
	l := o.ledger()
	if l == nil {
		return atomicfile.Write(path, data, opts...)
	}
	return atomicfile.WriteWith(path, data, l.Record, opts...)
}

// commandTemps are the temporary files of a command that has no state
// folder (pcmig export): they are recorded in a ledger beside the
// command's output (atomicfile.BesideLedger), and the next command
// writing that output removes those whose process has ended (atomicfile.Ledger), and only those. A file of that name that
// is not a ledger is left alone, and nothing is recorded in it.
type commandTemps struct {
	l       *atomicfile.Ledger
	command string
}

// besideTemps is the ledger of the temporary files of command's output
// out.
func besideTemps(out, command string) commandTemps {
	if out == "" {
		return commandTemps{command: command}
	}
	l, ok := atomicfile.BesideLedger(out)
	if !ok {
		return commandTemps{command: command}
	}
	return commandTemps{l: &l, command: command}
}

// sweep removes the temporary files of ended runs of the command, saying
// so on w; a failure is a warning.
func (c commandTemps) sweep(w io.Writer) {
	if c.l == nil {
		return
	}
	sweepLedger(w, c.l, "a pcmig "+c.command+" that was stopped before it finished")
}

// record records a temporary file: a report's before it is made
// (report.Write), an archive's as soon as it exists
// (archive.WriterOptions.Created).
func (c commandTemps) record(tmp string) error {
	if c.l == nil {
		return nil
	}
	return c.l.Record(tmp)
}

// forget drops what this process recorded, as it ends; a failure is a
// warning.
func (c commandTemps) forget(w io.Writer) {
	if c.l == nil {
		return
	}
	if err := c.l.Forget(); err != nil {
		printError(w, "pcmig: warning: ", err)
	}
}
