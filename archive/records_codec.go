package archive

import (
	"bytes"
	"encoding/json"
)

// Key rules of the records encoding/json writes and reads.
var (
	principalKeys = []keyRule{
		{key: "guid"}, {key: "uri"}, {key: "type"},
		{key: "name", optional: true}, {key: "display_name", optional: true},
		{key: "company_name", optional: true}, {key: "email", optional: true},
		{key: "ad_path", optional: true}, {key: "upn", optional: true},
		{key: "state"}, {key: "pool_id", nullable: true}, {key: "policy_id", nullable: true},
		{key: "added_by", optional: true}, {key: "added_on", digits: true},
		{key: "updated_by", optional: true}, {key: "updated_on", digits: true}, {key: "verified_on"},
		{key: "affiliations", optional: true},
	}
	categoryKeys = []keyRule{
		{key: "guid"}, {key: "name"}, {key: "description"}, {key: "invitations"},
		{key: "file_upload"}, {key: "chat_history"}, {key: "allowed_members"},
		{key: "denied_members"}, {key: "creators"}, {key: "added_by"}, {key: "added_on", digits: true},
		{key: "updated_by"}, {key: "updated_on", digits: true},
	}
	addinKeys = []keyRule{{key: "guid"}, {key: "name"}, {key: "url"}}
	roomKeys  = []keyRule{
		{key: "guid"}, {key: "name"}, {key: "description"}, {key: "category"},
		{key: "privacy"}, {key: "type"}, {key: "invitations"}, {key: "disabled"},
		{key: "addin"}, {key: "members"}, {key: "managers"}, {key: "presenters"},
		{key: "added_by"}, {key: "added_on", digits: true}, {key: "updated_by"}, {key: "updated_on", digits: true},
		{key: "messages", digits: true},
	}
)

// recordEncoder encodes the low-volume records with encoding/json, without
// HTML escaping, so strings are escaped as appendString escapes them.
type recordEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newRecordEncoder() *recordEncoder {
	e := &recordEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// encode returns v as one JSON line, newline included. The result is valid
// until the next call.
func (e *recordEncoder) encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	return e.buf.Bytes(), nil
}

// orEmpty makes nil lists encode as [] rather than null.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orNil makes empty lists read back as nil.
func orNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func decodePrincipal(line []byte, p *Principal) error {
	*p = Principal{}
	if err := decodeStrict(wholeNumbers(upperTimes(line, "verified_on"), "state", "pool_id", "policy_id"), principalKeys, p); err != nil {
		return err
	}
	p.VerifiedOn = p.VerifiedOn.UTC()
	return p.validate()
}

func decodeCategory(line []byte, c *Category) error {
	*c = Category{}
	if err := decodeStrict(line, categoryKeys, c); err != nil {
		return err
	}
	c.AllowedMembers, c.DeniedMembers, c.Creators = orNil(c.AllowedMembers), orNil(c.DeniedMembers), orNil(c.Creators)
	return c.validate()
}

func decodeAddin(line []byte, a *Addin) error {
	*a = Addin{}
	if err := decodeStrict(line, addinKeys, a); err != nil {
		return err
	}
	return a.validate()
}

func decodeRoom(line []byte, r *Room) error {
	*r = Room{}
	if err := decodeStrict(line, roomKeys, r); err != nil {
		return err
	}
	r.Members, r.Managers, r.Presenters = orNil(r.Members), orNil(r.Managers), orNil(r.Presenters)
	return r.validate()
}
