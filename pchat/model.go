package pchat

import "time"

// Principal is one row of tblPrincipal: a cached Active Directory user,
// group, container or domain, or an internal system user. IDs are local to
// the pool they were read from; GUID (the AD objectGUID) and URI are the
// portable keys.
type Principal struct {
	ID          int32
	GUID        string // canonical lower-case 8-4-4-4-12
	URI         string // sip: for users, ma-grp: for most other kinds
	Type        PrincipalType
	Name        string // "" is stored as NULL
	DisplayName string
	CompanyName string
	Email       string
	ADPath      string
	UPN         string
	State       PrincipalState
	PoolID      *int32
	PolicyID    *int32
	AddedBy     *int32
	AddedOn     int64 // .NET ticks, UTC
	UpdatedBy   *int32
	UpdatedOn   int64
	VerifiedOn  time.Time
}

// Category is a tblNode row with nodeType 1, with its access lists.
type Category struct {
	ID             int32
	GUID           string
	Name           string
	Description    string
	Invitations    bool    // tblNode.invite
	FileUpload     bool    // tblNode.filePost
	ChatHistory    bool    // tblNode.logged
	AllowedMembers []int32 // tblScopePrincipal scopeIsDenied = 0
	DeniedMembers  []int32 // tblScopePrincipal scopeIsDenied = 1
	Creators       []int32 // tblPrincipalRole with the Creator role type
	AddedBy        int32
	AddedOn        int64
	UpdatedBy      int32
	UpdatedOn      int64
}

// Room is a tblNode row with nodeType 0, with its role lists.
type Room struct {
	ID          int32
	GUID        string
	Name        string
	Description string
	CategoryID  int32 // parentID
	Privacy     Privacy
	Type        RoomType
	Invitations Invitations
	Disabled    bool
	AddinID     string // siopID, "" when the room has no add-in
	Members     []int32
	Managers    []int32
	Presenters  []int32 // the Voiced role
	AddedBy     int32
	AddedOn     int64
	UpdatedBy   int32
	UpdatedOn   int64
}

// Addin is a tblSiopWhiteList row.
type Addin struct {
	ID   string // siopID GUID
	Name string
	URL  string
}

// Message is a tblChat row.
type Message struct {
	RoomID  int32 // channelId
	ChatID  int64 // chatId, sequential per room
	Date    int64 // chatDate, .NET ticks UTC
	UserID  int32 // poster's prinID
	Alert   bool
	Content string
	RTF     *string // NULL when the client sent no RTF
	// Unpaired says which of the text columns (UnpairedContent,
	// UnpairedRTF) held a UTF-16 surrogate without its pair (SQL Server's
	// nvarchar stores one): it is read as U+FFFD, so the text here is not
	// the row's. 0 for every other message.
	Unpaired uint8
}

// The columns of Message.Unpaired.
const (
	UnpairedContent uint8 = 1 << iota
	UnpairedRTF
)

// SystemUserID is the internal system principal ("Active Directory Sync")
// that the documentation names as prinID 1.
const SystemUserID int32 = 1
