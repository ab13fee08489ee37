package verify

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// msgJob is one room's message comparison. The rooms' structure is
// compared first, collecting a job per room; then each side's messages are
// read in one pass over all its rooms, keeping per room only its figures
// and digest (memory does not grow with the history); only the rooms whose
// digests differ are read again, side by side, to name the first
// difference.
type msgJob struct {
	fig, cat       int    // the room's and its category's figures in the result
	d              differ // the room, for its differences
	src, tgt       int32  // source and target room IDs
	rg             msgRange
	diffAt, noteAt int // where the room's differences and notes go in the result
	srcSum, tgtSum seqSummary
	after          int64 // target messages after the range
	below          int64 // target messages before the range
	differs        bool  // the history differs (a difference was added)
	files          fileCheck
}

// job records a room whose messages are compared once the source's rooms
// have all been walked.
func (c *comparison) job(d differ, src, tgt int32, rg msgRange) {
	c.jobs = append(c.jobs, &msgJob{fig: len(c.res.Rooms), cat: len(c.res.Categories), d: d, src: src, tgt: tgt, rg: rg,
		diffAt: len(c.res.Differences), noteAt: len(c.res.Notes)})
}

// messages compares the histories of the jobs of one source (side s, its
// export's start date since): both sides are read at once, each in one
// pass, then the rooms that differ are compared message by message.
func (c *comparison) messages(ctx context.Context, label string, s *side, since int64) error {
	jobs := c.jobs
	c.jobs = nil
	if len(jobs) == 0 {
		return nil
	}
	if err := c.passes(ctx, s, since, jobs); err != nil {
		return err
	}
	var diffs []placed[Difference]
	var notes []placed[string]
	for _, j := range jobs {
		fig := &c.res.Rooms[j.fig]
		src, tgt, first, files, after := &j.srcSum, &j.tgtSum, "", &j.files, j.after
		var besides int64 // target messages besides the source's, in a multiset comparison
		// No journal range, and not the source's history in order:
		// compared as a room the target had before.
		fellBack := j.rg.fallback && !src.same(tgt)
		j.rg.multiset = j.rg.multiset || fellBack
		fig.Comparison = j.rg.comparison()
		// What this room adds goes where the room is in the result.
		n, k := len(c.res.Differences), len(c.res.Notes)
		if fellBack {
			c.res.noteOf(NoteMultiset, "%s: room %s: no import journal range: compared as a multiset, each source message looked for anywhere in the room, since its whole history is not the source's in order", label, fig.Name)
		}
		switch {
		case j.rg.multiset:
			sr, err := compareMultiset(ctx, s, j.src, since, c.t, j.tgt, c.files)
			if err != nil {
				return fmt.Errorf("verify room %q: %w", fig.Name, err)
			}
			src, tgt, files, besides = &sr.src, &sr.tgt, &sr.files, sr.other
			if d := sr.describe(); d != "" {
				j.differs = true
				j.d.add(DiffHistory, "%s", d)
			}
		case !src.same(tgt):
			mr, err := compareMessages(ctx, s, j.src, since, c.t, j.tgt, j.rg, c.files)
			if err != nil {
				return fmt.Errorf("verify room %q: %w", fig.Name, err)
			}
			src, tgt, first, files, after = &mr.src, &mr.tgt, mr.first, &mr.files, mr.after
		}
		cat := &c.res.Categories[j.cat]
		dSrc, dTgt := src.count-fig.SourceMessages, tgt.count-fig.TargetMessages
		fig.SourceMessages, fig.TargetMessages = src.count, tgt.count
		cat.SourceMessages, cat.TargetMessages = cat.SourceMessages+dSrc, cat.TargetMessages+dTgt
		c.res.Totals.Source.Messages += dSrc
		c.res.Totals.Target.Messages += dTgt
		fig.SourceDigest, fig.TargetDigest = src.digest(), tgt.digest()

		if first != "" {
			j.differs = true
			j.d.add(DiffHistory, "%s in the source, %s in the target; first difference at %s", countOf(src.count, "message", "messages"), count(tgt.count), first)
		}
		if j.differs {
			c.historyDiffers[j.tgt] = true
		}
		c.res.Files.Links += files.links
		c.res.Files.Missing += files.missing
		c.res.Files.MissingSourceToo += files.missingSourceToo
		if files.missingSourceToo > 0 {
			c.res.noteOf(NoteFilesMissing, "%s: room %s: %s of the %s uploaded files its messages link to are missing from the target's file store and from the source's file store too: nothing to copy (%s)",
				label, fig.Name, count(files.missingSourceToo), count(files.links), strings.Join(files.firstSourceToo, ", "))
		}
		c.res.Files.Differ += files.differ
		if files.missing > 0 {
			j.d.add(DiffFilesMissing, "%s of the %s uploaded files its messages link to are missing from the target's file store (%s)",
				count(files.missing), count(files.links), strings.Join(files.first, ", "))
		}
		if files.differ > 0 {
			j.d.add(DiffFilesDiffer, "%s of the %s uploaded files its messages link to %s from the source's file store (%s): the target's file store holds other bytes under %s",
				count(files.differ), count(files.links), numtext.Noun(files.differ, "differs", "differ"), strings.Join(files.firstDiffer, ", "),
				numtext.Noun(files.differ, "its name", "their names"))
		}
		if besides > 0 {
			c.res.noteOf(NoteBesides, "%s: room %s holds %s besides this source's (posted in the target, or from another source): not compared", label, fig.Name, countOf(besides, "message", "messages"))
		}
		if after > 0 {
			c.res.noteOf(NoteBesides, "%s: room %s holds %s that arrived after this source's import (from another source or posted since): not compared", label, fig.Name, countOf(after, "message", "messages"))
		}
		for _, d := range c.res.Differences[n:] {
			diffs = append(diffs, placed[Difference]{j.diffAt, d})
		}
		for _, x := range c.res.Notes[k:] {
			notes = append(notes, placed[string]{j.noteAt, x})
		}
		c.res.Differences, c.res.Notes = c.res.Differences[:n], c.res.Notes[:k]
	}
	c.res.Differences = insert(c.res.Differences, diffs)
	c.res.Notes = insert(c.res.Notes, notes)
	c.addFeeds(s, since, jobs)
	return c.counters(ctx, jobs)
}

// passes reads both sides of the jobs compared message by message at
// once, each in one pass.
func (c *comparison) passes(ctx context.Context, s *side, since int64, jobs []*msgJob) error {
	seq := make([]*msgJob, 0, len(jobs))
	for _, j := range jobs {
		if !j.rg.multiset {
			seq = append(seq, j)
		}
	}
	if len(seq) == 0 {
		return nil
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srcErr := make(chan error, 1)
	go func() {
		err := pass(pctx, s, since, seq, false, nil)
		if err != nil {
			cancel()
		}
		srcErr <- err
	}()
	err := pass(pctx, c.t, 0, seq, true, c.files)
	if err != nil {
		cancel()
	}
	return errors.Join(err, <-srcErr)
}

// pass reads the messages of the jobs' rooms on one side (the target's
// when target is set, through each job's range, checking file links in
// files) and sums up each job's history.
func pass(ctx context.Context, sd *side, since int64, jobs []*msgJob, target bool, files *fileStores) error {
	byRoom := make(map[int32][]*msgJob, len(jobs))
	rooms := make([]int32, 0, len(jobs))
	for _, j := range jobs {
		id := j.src
		if target {
			id = j.tgt
		}
		if _, ok := byRoom[id]; !ok {
			rooms = append(rooms, id)
		}
		byRoom[id] = append(byRoom[id], j)
	}
	sum := func(j *msgJob) *seqSummary {
		if target {
			return &j.tgtSum
		}
		return &j.srcSum
	}
	var cur []*msgJob
	room := int32(-1)
	var enc []byte
	err := sd.store.StreamMessages(ctx, store.MessageFilter{Rooms: rooms, SinceTick: since, AnyOrder: true}, func(m pchat.Message) error {
		if m.RoomID != room || cur == nil {
			for _, j := range cur {
				sum(j).seal()
			}
			room, cur = m.RoomID, byRoom[m.RoomID]
		}
		var r rec
		hashed := false
		for _, j := range cur {
			if target {
				ok, later := j.rg.admit(m.ChatID)
				if later {
					j.after++
				}
				if !ok {
					if !later {
						j.below++
					}
					continue
				}
				j.files.check(files, m.Content)
			}
			if !hashed {
				r = rec{date: m.Date, poster: sd.who(m.UserID), alert: m.Alert}
				enc = encode(enc[:0], &r, &m)
				r.hash, hashed = sha256.Sum256(enc), true
			}
			sum(j).add(&r)
		}
		return nil
	})
	for _, j := range jobs {
		sum(j).seal()
	}
	return err
}

// placed is an item to insert before the item at index at.
type placed[T any] struct {
	at int
	v  T
}

// insert puts items (in order of at) into list.
func insert[T any](list []T, items []placed[T]) []T {
	if len(items) == 0 {
		return list
	}
	out := make([]T, 0, len(list)+len(items))
	i := 0
	for _, it := range items {
		out = append(out, list[i:it.at]...)
		i = it.at
		out = append(out, it.v)
	}
	return append(out, list[i:]...)
}
