package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
)

// archiveCheckShown is how many of CheckArchive's problems its error
// names, before saying how many more there are.
const archiveCheckShown = 20

// CheckArchive runs the checks of the import that look at the archive
// alone (principal uris, the manifest's scope, a room's category the
// archive lacks, names of spaces only, the principals', categories' and
// rooms' time stamps), so that `pcmig
// inspect` says what every import of it would refuse, whatever the
// target: the same checks, not a copy. Messages' dates are not among them
// (the import finds those in its pass over the messages). r has been
// verified (Verify): this reads its structure parts once more. It returns
// nil when the import finds none of these errors, or an errors.Join of
// one error a problem (at most archiveCheckShown, then how many more) and
// a last one saying the import refuses the archive.
func CheckArchive(ctx context.Context, r *archive.Reader) error {
	a := &source{manifest: r.Manifest()}
	if err := r.Principals(func(p archive.Principal) error { a.prins = append(a.prins, p); return ctx.Err() }); err != nil {
		return err
	}
	if err := r.Categories(func(c archive.Category) error { a.cats = append(a.cats, c); return ctx.Err() }); err != nil {
		return err
	}
	if err := r.Addins(func(x archive.Addin) error { a.addins = append(a.addins, x); return ctx.Err() }); err != nil {
		return err
	}
	if err := r.Rooms(func(x archive.Room) error { a.rooms = append(a.rooms, x); return ctx.Err() }); err != nil {
		return err
	}
	var problems []Problem
	collect := func(sev, object, format string, args ...any) {
		if sev == Error {
			problems = append(problems, newProblem(sev, object, format, args...))
		}
	}
	checkURIs(a.prins, collect)
	checkScope(a.manifest, a.cats, collect)
	checkRoomCategories(a.cats, a.rooms, collect)
	for _, c := range a.cats {
		checkName("category", c.Name, collect)
	}
	for _, x := range a.addins {
		checkName("add-in", x.Name, collect)
	}
	for _, x := range a.rooms {
		checkName("room", x.Name, collect)
	}
	a.checkDates()
	for _, p := range a.problems {
		if p.Severity == Error {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	var errs []error
	for i, p := range problems {
		if i == archiveCheckShown {
			errs = append(errs, fmt.Errorf("... and %d more", len(problems)-i))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %s", p.Object, p.Message))
	}
	errs = append(errs, fmt.Errorf("%w: every import of this archive refuses it for %s, before writing, whatever its target", ErrValidation, numtext.Count(len(problems), "error", "errors")))
	return errors.Join(errs...)
}
