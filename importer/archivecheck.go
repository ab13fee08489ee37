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

// CheckArchive runs the checks of the import's plan that look at the
// archive alone (principal uris, the manifest's scope), so that `pcmig
// inspect` says what every import of it would refuse, whatever the
// target: the same checks, not a copy. r has been verified (Verify): this
// reads its principals and categories once more. It returns nil when the
// import finds none of these errors, or an errors.Join of one error a
// problem (at most archiveCheckShown, then how many more) and a last one
// saying the import refuses the archive.
func CheckArchive(ctx context.Context, r *archive.Reader) error {
	var prins []archive.Principal
	var cats []archive.Category
	if err := r.Principals(func(p archive.Principal) error { prins = append(prins, p); return ctx.Err() }); err != nil {
		return err
	}
	if err := r.Categories(func(c archive.Category) error { cats = append(cats, c); return ctx.Err() }); err != nil {
		return err
	}
	var problems []Problem
	collect := func(sev, object, format string, args ...any) {
		if sev == Error {
			problems = append(problems, newProblem(sev, object, format, args...))
		}
	}
	checkURIs(prins, collect)
	checkScope(r.Manifest(), cats, collect)
	if len(problems) == 0 {
		return nil
	}
	var errs []error
	for i, p := range problems {
		if i == archiveCheckShown {
			errs = append(errs, fmt.Errorf("... and %s more", numtext.Count(len(problems)-i, "error", "errors")))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %s", p.Object, p.Message))
	}
	errs = append(errs, fmt.Errorf("%w: every import of this archive refuses it for the %s above, before writing, whatever its target", ErrValidation, numtext.Count(len(problems), "error", "errors")))
	return errors.Join(errs...)
}
