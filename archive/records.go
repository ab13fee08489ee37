package archive

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/pcmig/pcmig/pchat"
)

// Principal types a record may carry (tblPrincipalType descriptions of the
// kinds that are stored in tblPrincipal).
const (
	PrincipalUser       = "User"
	PrincipalGroup      = "Group"
	PrincipalFolder     = "Folder"
	PrincipalDC         = "DC"
	PrincipalSystemUser = "SystemUser"
)

// Principal is a portable tblPrincipal row. GUID and URI are its keys; the
// optional strings are "" when the column is NULL.
type Principal struct {
	GUID        string               `json:"guid"`
	URI         string               `json:"uri"`
	Type        string               `json:"type"`
	Name        string               `json:"name,omitempty"`
	DisplayName string               `json:"display_name,omitempty"`
	CompanyName string               `json:"company_name,omitempty"`
	Email       string               `json:"email,omitempty"`
	ADPath      string               `json:"ad_path,omitempty"`
	UPN         string               `json:"upn,omitempty"`
	State       pchat.PrincipalState `json:"state"`
	PoolID      *int32               `json:"pool_id"`
	PolicyID    *int32               `json:"policy_id"`
	// AddedBy and UpdatedBy are prinAddedBy and prinUpdatedBy: nil (the
	// key absent) for the system user, prinID 1, as in every archive
	// written before the keys; "" for NULL. No other value is defined.
	AddedBy    *string   `json:"added_by,omitempty"`
	AddedOn    int64     `json:"added_on,string"` // .NET ticks, UTC
	UpdatedBy  *string   `json:"updated_by,omitempty"`
	UpdatedOn  int64     `json:"updated_on,string"` // .NET ticks, UTC
	VerifiedOn time.Time `json:"verified_on"`
	// Affiliations are the GUIDs of the groups, containers and domains the
	// principal belongs to (tblPrincipalAffiliations), which access checks
	// resolve through.
	Affiliations []string `json:"affiliations,omitempty"`
}

// Category is a portable category with its access lists. The lists hold
// principal GUIDs; AddedBy and UpdatedBy are principal GUIDs or "".
type Category struct {
	GUID           string   `json:"guid"`
	Name           string   `json:"name"`
	Description    string   `json:"description"`
	Invitations    bool     `json:"invitations"`
	FileUpload     bool     `json:"file_upload"`
	ChatHistory    bool     `json:"chat_history"`
	AllowedMembers []string `json:"allowed_members"`
	DeniedMembers  []string `json:"denied_members"`
	Creators       []string `json:"creators"`
	AddedBy        string   `json:"added_by"`
	AddedOn        int64    `json:"added_on,string"`
	UpdatedBy      string   `json:"updated_by"`
	UpdatedOn      int64    `json:"updated_on,string"`
}

// Addin is a portable tblSiopWhiteList row.
type Addin struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Room is a portable chat room with its role lists. Category and Addin are
// names ("" for no add-in); the lists hold principal GUIDs. Messages is the
// number of this room's messages in the archive: the Writer computes it and
// ignores the value it is given.
type Room struct {
	GUID        string            `json:"guid"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Category    string            `json:"category"`
	Privacy     pchat.Privacy     `json:"privacy"`
	Type        pchat.RoomType    `json:"type"`
	Invitations pchat.Invitations `json:"invitations"`
	Disabled    bool              `json:"disabled"`
	Addin       string            `json:"addin"`
	Members     []string          `json:"members"`
	Managers    []string          `json:"managers"`
	Presenters  []string          `json:"presenters"`
	AddedBy     string            `json:"added_by"`
	AddedOn     int64             `json:"added_on,string"`
	UpdatedBy   string            `json:"updated_by"`
	UpdatedOn   int64             `json:"updated_on,string"`
	Messages    int64             `json:"messages,string"` // must stay the last field: see roomSpool
}

// Message is a portable tblChat row. Room and User are GUIDs.
type Message struct {
	Room    string  `json:"room"`
	ChatID  int64   `json:"chat_id,string"`
	Date    int64   `json:"date,string"` // .NET ticks, UTC
	User    string  `json:"user"`
	Alert   bool    `json:"alert"`
	Content string  `json:"content"`
	RTF     *string `json:"rtf"` // nil when the column is NULL
}

// isLowerHex marks the digits of a canonical GUID.
var isLowerHex = func() (t [256]bool) {
	for _, c := range "0123456789abcdef" {
		t[c] = true
	}
	return t
}()

// isGUID reports whether s is a canonical lower-case 8-4-4-4-12 GUID.
func isGUID[T string | []byte](s T) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	for i := 0; i < 36; i++ {
		if !isLowerHex[s[i]] && i != 8 && i != 13 && i != 18 && i != 23 {
			return false
		}
	}
	return true
}

// guidKey is a canonical GUID packed into 16 bytes, for compact sets.
type guidKey [16]byte

// keyOf packs a GUID that isGUID accepted.
func keyOf(s string) guidKey {
	var k guidKey
	j := 0
	for i := 0; i < 36; {
		if s[i] == '-' {
			i++
			continue
		}
		k[j] = unhex(s[i])<<4 | unhex(s[i+1])
		j++
		i += 2
	}
	return k
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// checkGUID checks a required GUID field.
func checkGUID(field, s string) error {
	if !isGUID(s) {
		return fmt.Errorf("%s is not a canonical lower-case GUID", field)
	}
	return nil
}

// checkOptGUID checks a GUID field that may be "".
func checkOptGUID(field, s string) error {
	if s == "" {
		return nil
	}
	return checkGUID(field, s)
}

// checkStrings reports the first of the named strings that is not valid
// UTF-8.
func checkStrings(kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if !utf8.ValidString(kv[i+1]) {
			return fmt.Errorf("%s: %w", kv[i], ErrInvalidUTF8)
		}
	}
	return nil
}

// checkLists checks principal GUID lists: canonical, no GUID twice in a
// list, and no GUID in two of the lists listed in exclusive.
func checkLists(exclusive bool, names []string, lists ...[]string) error {
	seen := make(map[guidKey]int)
	for li, list := range lists {
		for _, g := range list {
			if err := checkGUID(names[li]+" entry", g); err != nil {
				return err
			}
			k := keyOf(g)
			prev, dup := seen[k]
			switch {
			case dup && prev == li:
				return fmt.Errorf("%s lists %s twice", names[li], g)
			case dup && exclusive:
				return fmt.Errorf("%s is in both %s and %s", g, names[prev], names[li])
			}
			seen[k] = li
		}
	}
	return nil
}

func validPrincipalType(s string) bool {
	switch s {
	case PrincipalUser, PrincipalGroup, PrincipalFolder, PrincipalDC, PrincipalSystemUser:
		return true
	}
	return false
}

// validate checks what the format requires of a principal.
func (p *Principal) validate() error {
	if err := checkGUID("guid", p.GUID); err != nil {
		return err
	}
	if err := checkStrings("uri", p.URI, "name", p.Name, "display_name", p.DisplayName,
		"company_name", p.CompanyName, "email", p.Email, "ad_path", p.ADPath, "upn", p.UPN); err != nil {
		return err
	}
	switch {
	case p.URI == "":
		return fmt.Errorf("uri is empty")
	case !validPrincipalType(p.Type):
		return errors.New("type: want User, Group, Folder, DC or SystemUser")
	case p.State < pchat.Active || p.State > pchat.Deleted:
		return errors.New("state: want 0 (active), 1 (disabled) or 2 (deleted)")
	}
	for _, by := range []struct {
		key string
		v   *string
	}{{"added_by", p.AddedBy}, {"updated_by", p.UpdatedBy}} {
		if by.v != nil && *by.v != "" {
			return fmt.Errorf(`%s: want "" (NULL), or no %s for the system user`, by.key, by.key)
		}
	}
	for i, g := range p.Affiliations {
		if err := checkGUID(fmt.Sprintf("affiliations[%d]", i), g); err != nil {
			return err
		}
	}
	return nil
}

// validate checks what the format requires of a category.
func (c *Category) validate() error {
	if err := checkGUID("guid", c.GUID); err != nil {
		return err
	}
	if err := checkStrings("name", c.Name, "description", c.Description); err != nil {
		return err
	}
	if c.Name == "" {
		return fmt.Errorf("name is empty")
	}
	if err := checkOptGUID("added_by", c.AddedBy); err != nil {
		return err
	}
	if err := checkOptGUID("updated_by", c.UpdatedBy); err != nil {
		return err
	}
	if err := checkLists(true, []string{"allowed_members", "denied_members"}, c.AllowedMembers, c.DeniedMembers); err != nil {
		return err
	}
	return checkLists(false, []string{"creators"}, c.Creators)
}

// validate checks what the format requires of an add-in.
func (a *Addin) validate() error {
	if err := checkGUID("guid", a.GUID); err != nil {
		return err
	}
	if err := checkStrings("name", a.Name, "url", a.URL); err != nil {
		return err
	}
	if a.Name == "" {
		return fmt.Errorf("name is empty")
	}
	return nil
}

// validate checks what the format requires of a room.
func (r *Room) validate() error {
	if err := checkGUID("guid", r.GUID); err != nil {
		return err
	}
	if err := checkStrings("name", r.Name, "description", r.Description, "category", r.Category,
		"addin", r.Addin); err != nil {
		return err
	}
	switch {
	case r.Name == "":
		return fmt.Errorf("name is empty")
	case r.Category == "":
		return fmt.Errorf("category is empty")
	case r.Privacy != pchat.Open && r.Privacy != pchat.Closed && r.Privacy != pchat.Secret:
		return errors.New("privacy: want Open, Closed or Secret")
	case r.Type != pchat.Normal && r.Type != pchat.Auditorium:
		return errors.New("type: want Normal or Auditorium")
	case r.Invitations != pchat.Inherit && r.Invitations != pchat.InvitationsFalse && r.Invitations != pchat.InvitationsTrue:
		return errors.New("invitations: want Inherit, False or True")
	case r.Messages < 0:
		return errors.New("messages is negative")
	}
	if err := checkOptGUID("added_by", r.AddedBy); err != nil {
		return err
	}
	if err := checkOptGUID("updated_by", r.UpdatedBy); err != nil {
		return err
	}
	return checkLists(false, []string{"members", "managers", "presenters"}, r.Members, r.Managers, r.Presenters)
}

// validate checks a message's GUIDs; the codec checks its strings. A room
// equal to known, already checked, is not checked again.
func (m *Message) validate(known string) error {
	if m.Room != known {
		if err := checkGUID("room", m.Room); err != nil {
			return err
		}
	}
	return checkGUID("user", m.User)
}
