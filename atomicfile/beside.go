package atomicfile

import (
	"errors"
	"path/filepath"
)

// BesideLedger is the ledger kept beside path for the temporary files of
// its writes by a process without a state folder:
// ".NAME.pcmig-temporaries.jsonl" in path's folder. ok is false when a
// file of that name is not a ledger (an administrator's, IsOurs): it is
// neither read nor written.
func BesideLedger(path string) (l Ledger, ok bool) {
	p := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".pcmig-temporaries.jsonl")
	return Ledger{Path: p}, IsOurs(p)
}

// WriteRecorded is Write with its temporary file recorded in the ledger
// beside path (BesideLedger) from before it exists until it is renamed
// into place: for a file written now and then by a process that has no
// state folder (an import's journal). It first removes the temporary
// files that ended processes recorded there (Ledger.Sweep) and returns
// them; then it records its own (WriteWith) and forgets it once renamed
// into place (a ledger left empty is removed). A process killed between
// leaves the file recorded: the next WriteRecorded of path removes it.
// Where no ledger can be kept it is Write.
func WriteRecorded(path string, data []byte, opts ...Option) (removed []string, err error) {
	l, ok := BesideLedger(path)
	if !ok {
		return nil, Write(path, data, opts...)
	}
	removed, err = l.Sweep()
	if err != nil {
		return removed, err
	}
	if err := WriteWith(path, data, l.Record, opts...); err != nil {
		return removed, errors.Join(err, l.Forget())
	}
	return removed, l.Forget()
}
