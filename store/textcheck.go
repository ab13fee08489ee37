package store

import (
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
)

// textColumn returns a documented text column as the catalogue has it.
func (s *Store) textColumn(table, column string) (Column, bool) {
	if s.cat == nil {
		return Column{}, false
	}
	col, ok := s.cat.column(table, column)
	return col, ok && col.IsText()
}

// CheckText reports whether value can be written into a documented text
// column (tblNode.nodeName, tblChat.rtf, ...) of this database unchanged:
// within its declared length (UTF-16 code units for nvarchar) and, for
// varchar, made of characters its collation's code page has. Errors wrap
// ErrText and never quote the value. A column the database lacks passes
// (the schema check refuses such databases when they open).
func (s *Store) CheckText(table, column, value string) error {
	col, ok := s.textColumn(table, column)
	if !ok {
		return nil
	}
	return col.CheckText(value)
}

// CheckNode checks a category's or room's name and description.
func (s *Store) CheckNode(name, desc string) error {
	return errors.Join(s.CheckText("tblNode", "nodeName", name), s.CheckText("tblNode", "nodeDesc", desc))
}

// CheckPrincipal checks every text column of a principal's tblPrincipal
// row.
func (s *Store) CheckPrincipal(p pchat.Principal) error {
	var errs []error
	for _, f := range []struct{ col, v string }{
		{"prinUri", p.URI}, {"prinName", p.Name}, {"prinDisplayName", p.DisplayName}, {"prinCompanyName", p.CompanyName},
		{"prinEmail", p.Email}, {"prinADPath", p.ADPath}, {"prinADUserPrincipalName", p.UPN},
	} {
		errs = append(errs, s.CheckText("tblPrincipal", f.col, f.v))
	}
	return errors.Join(errs...)
}

// CheckAddin checks an add-in's name and URL.
func (s *Store) CheckAddin(a pchat.Addin) error {
	return errors.Join(s.CheckText("tblSiopWhiteList", "siopName", a.Name), s.CheckText("tblSiopWhiteList", "siopUrl", a.URL))
}

// checkMessages is the write path's own check of a batch: each message's
// content and RTF, as CheckText checks them, with the columns looked up
// once a batch. It refuses the whole batch, naming the room and the
// message, before anything is sent.
func (s *Store) checkMessages(room int32, msgs []pchat.Message) error {
	content, hasContent := s.textColumn("tblChat", "content")
	rtf, hasRTF := s.textColumn("tblChat", "rtf")
	for i, m := range msgs {
		var err error
		if hasContent {
			err = content.CheckText(m.Content)
		}
		if m.RTF != nil && hasRTF {
			err = errors.Join(err, rtf.CheckText(*m.RTF))
		}
		if err != nil {
			return fmt.Errorf("room %d, message %d of the batch (dated %s): %w", room, i+1, pchat.TimeFromTicks(m.Date).UTC().Format("2006-01-02 15:04:05"), err)
		}
	}
	return nil
}

// chatRow is one tblChat row for bulk copy, in chatColumns order, with the
// text columns encoded for their code pages. Without a catalogue (tests of
// the bare dialect) the text goes as Go strings.
func (c *catalog) chatRow(m pchat.Message) ([]any, error) {
	row := messageRow(m)
	if c == nil {
		return row, nil
	}
	for i, name := range chatColumns {
		v, ok := row[i].(string)
		if !ok {
			continue
		}
		col, ok := c.column("tblChat", name)
		if !ok || !col.IsText() {
			continue
		}
		w, err := col.wireValue(v)
		if err != nil {
			return nil, err
		}
		row[i] = w
	}
	return row, nil
}
