package pchat

import (
	"fmt"
	"strings"
)

// Privacy is the cmdlet's ChatRoomPrivacy. Stored in tblNode.visibility as a
// tblEnumValue row of attribute Visibility: Open = "open", Closed = "scope",
// Secret = "private" [I]. The numeric valueIDs are read from the database.
type Privacy string

// Privacy values.
const (
	Open   Privacy = "Open"
	Closed Privacy = "Closed"
	Secret Privacy = "Secret"
)

// RoomType is the cmdlet's ChatRoomType, stored in tblNode.behavior as the
// Behavior enum value "normal" or "auditorium".
type RoomType string

// RoomType values.
const (
	Normal     RoomType = "Normal"
	Auditorium RoomType = "Auditorium"
)

// Invitations is the cmdlet's ChatRoomInvitations for rooms: Inherit is a
// NULL tblNode.invite, False is 0. True (1) is not settable by the cmdlets
// but is kept when a database holds it.
type Invitations string

// Invitations values.
const (
	Inherit          Invitations = "Inherit"
	InvitationsFalse Invitations = "False"
	InvitationsTrue  Invitations = "True"
)

// PrincipalState is tblPrincipal.prinDisabled.
type PrincipalState int16

// PrincipalState values.
const (
	Active   PrincipalState = 0
	Disabled PrincipalState = 1 // SIP disabled
	Deleted  PrincipalState = 2 // AD object deleted
)

func (s PrincipalState) String() string {
	switch s {
	case Active:
		return "active"
	case Disabled:
		return "disabled"
	case Deleted:
		return "deleted"
	}
	return fmt.Sprintf("state(%d)", int16(s))
}

// PrincipalType is tblPrincipalType.ptypeID. These IDs are documented static
// rows (unlike role types).
type PrincipalType int16

// PrincipalType values.
const (
	TypeAny        PrincipalType = 1
	TypeAnyUser    PrincipalType = 2
	TypeAnyGroup   PrincipalType = 3
	TypeSystemUser PrincipalType = 4
	TypeUser       PrincipalType = 5
	TypeDC         PrincipalType = 8
	TypeGroup      PrincipalType = 9
	TypeFolder     PrincipalType = 10
)

var principalTypeNames = map[PrincipalType]string{
	TypeAny: "Any", TypeAnyUser: "AnyUser", TypeAnyGroup: "AnyGroup",
	TypeSystemUser: "SystemUser", TypeUser: "User", TypeDC: "DC",
	TypeGroup: "Group", TypeFolder: "Folder",
}

func (t PrincipalType) String() string {
	if n, ok := principalTypeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type(%d)", int16(t))
}

// ParsePrincipalType accepts the tblPrincipalType description.
func ParsePrincipalType(s string) (PrincipalType, error) {
	for t, n := range principalTypeNames {
		if strings.EqualFold(n, s) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown principal type %q", s)
}

// Enum values as stored in tblEnumValue.attributeValue.
const (
	EnumAttrVisibility = "Visibility"
	EnumAttrBehavior   = "Behavior"
	EnumPrivate        = "private"
	EnumScope          = "scope"
	EnumOpen           = "open"
	EnumNormal         = "normal"
	EnumAuditorium     = "auditorium"
)

// VisibilityValue names the tblEnumValue.attributeValue for a privacy.
func (p Privacy) VisibilityValue() string {
	switch p {
	case Open:
		return EnumOpen
	case Secret:
		return EnumPrivate
	}
	return EnumScope
}

// PrivacyFromVisibility maps tblEnumValue.attributeValue back.
func PrivacyFromVisibility(v string) (Privacy, error) {
	switch strings.ToLower(v) {
	case EnumOpen:
		return Open, nil
	case EnumScope:
		return Closed, nil
	case EnumPrivate:
		return Secret, nil
	}
	return "", fmt.Errorf("unknown visibility %q", v)
}

// BehaviorValue names the tblEnumValue.attributeValue for a room type.
func (t RoomType) BehaviorValue() string {
	if t == Auditorium {
		return EnumAuditorium
	}
	return EnumNormal
}

// RoomTypeFromBehavior maps tblEnumValue.attributeValue back.
func RoomTypeFromBehavior(v string) (RoomType, error) {
	switch strings.ToLower(v) {
	case EnumNormal:
		return Normal, nil
	case EnumAuditorium:
		return Auditorium, nil
	}
	return "", fmt.Errorf("unknown behavior %q", v)
}

// ParsePrivacy accepts the cmdlet spelling in any case.
func ParsePrivacy(s string) (Privacy, error) {
	for _, p := range []Privacy{Open, Closed, Secret} {
		if strings.EqualFold(string(p), s) {
			return p, nil
		}
	}
	return "", fmt.Errorf("privacy %q: want Open, Closed or Secret", s)
}

// ParseRoomType accepts the cmdlet spelling in any case.
func ParseRoomType(s string) (RoomType, error) {
	for _, t := range []RoomType{Normal, Auditorium} {
		if strings.EqualFold(string(t), s) {
			return t, nil
		}
	}
	return "", fmt.Errorf("room type %q: want Normal or Auditorium", s)
}

// ParseInvitations accepts Inherit, False or True in any case.
func ParseInvitations(s string) (Invitations, error) {
	for _, v := range []Invitations{Inherit, InvitationsFalse, InvitationsTrue} {
		if strings.EqualFold(string(v), s) {
			return v, nil
		}
	}
	return "", fmt.Errorf("invitations %q: want Inherit or False", s)
}

// InviteColumn encodes room invitations for tblNode.invite (nil = NULL).
func (v Invitations) InviteColumn() *bool {
	switch v {
	case InvitationsFalse:
		f := false
		return &f
	case InvitationsTrue:
		t := true
		return &t
	}
	return nil
}

// InvitationsFromColumn decodes tblNode.invite for a room.
func InvitationsFromColumn(b *bool) Invitations {
	switch {
	case b == nil:
		return Inherit
	case *b:
		return InvitationsTrue
	}
	return InvitationsFalse
}

// Role names as stored in tblRoleType.rtypeDesc. Their numeric IDs are not
// documented and are always looked up by these descriptions.
const (
	RoleMember  = "Member"
	RoleManager = "Manager"
	RoleVoiced  = "Voiced"
	RoleCreator = "Creator"
)

// Under is a room's invitations as its category allows them: True under a
// category whose invitations are off is False. The reference documents a
// room's invite as 0 (off) or NULL (inherit) and says that with a
// category's invitations off its rooms cannot turn them on, and that the
// cmdlet import sets a room's invitations that are not valid against its
// category to false, with a warning: the export and verify both use this.
func (v Invitations) Under(categoryOn bool) Invitations {
	if v == InvitationsTrue && !categoryOn {
		return InvitationsFalse
	}
	return v
}
