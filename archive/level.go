package archive

import (
	"fmt"

	"github.com/pcmig/pcmig/numtext"
)

// levelKinds names the part kinds an export level below Content fills
// (docs §7): the levels are cumulative, Content and All fill every part.
func levelKinds(level string) string {
	switch level {
	case LevelUser:
		return "principals only"
	case LevelCategory:
		return "principals and categories only"
	}
	return "principals, categories, add-ins and rooms, no messages"
}

// covers reports whether an archive of level holds records of kind.
func covers(level, kind string) bool {
	switch level {
	case LevelUser:
		return kind == KindPrincipals
	case LevelCategory:
		return kind == KindPrincipals || kind == KindCategories
	case LevelRoomDirectory:
		return kind != KindMessages
	}
	return true
}

// checkLevel refuses a manifest whose parts hold records its level does
// not cover, naming the first such part: an archive of level User that
// holds rooms is not what its export wrote, and importing it whole would
// bring what the level says it leaves out.
func checkLevel(m *Manifest) error {
	for _, p := range m.Parts {
		if p.Records > 0 && !covers(m.Level, p.Kind) {
			return fmt.Errorf("part %s holds %s, but the archive's level %s covers %s", p.Name, numtext.Count(p.Records, "record", "records"), m.Level, levelKinds(m.Level))
		}
	}
	return nil
}
