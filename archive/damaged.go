package archive

import (
	"context"
	"errors"
	"io/fs"
)

// ErrDamaged is wrapped by every error that says an archive's content is
// not what the format allows: a part missing or extra, a checksum, a
// record, a format version this pcmig does not read. It is not wrapped by
// errors of the file system (a missing file, a failing disk) or by a
// cancelled context.
var ErrDamaged = errors.New("damaged or not a pcmig archive")

// damagedError adds ErrDamaged to an error without changing its text.
type damagedError struct{ err error }

func (d damagedError) Error() string   { return d.err.Error() }
func (d damagedError) Unwrap() []error { return []error{d.err, ErrDamaged} }

// Damaged marks err as a fault of the archive's content (ErrDamaged),
// unless it is nil, already marked, or an error of the file system or the
// context.
func Damaged(err error) error {
	switch {
	case err == nil, errors.Is(err, ErrDamaged),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return err
	}
	return damagedError{err}
}
