// Package poolsettings models the settings a Persistent Chat pool has
// outside its database, which the documented migration never mentions:
// Persistent Chat configuration and compliance configuration at the pool's
// service scope (service:PersistentChatServer:FQDN), and Persistent Chat
// endpoints (New-CsPersistentChatEndpoint: a contact object with a SIP
// address that points at one pool, which legacy clients use). After the
// topology switch they still belong to the old pool.
//
// On a real estate they live in the Central Management store and the
// runbook carries them with the cmdlets. A lab estate keeps them in a JSON
// file (pool-settings.json) that Carry rewrites, so the demo shows the step.
package poolsettings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/jsonerr"
	"github.com/pcmig/pcmig/textenc"
	"github.com/pcmig/pcmig/textwidth"
)

// Settings is the lab's model of the Central Management store's Persistent
// Chat settings.
type Settings struct {
	Configurations []Configuration `json:"persistent_chat_configuration"`
	Compliance     []Compliance    `json:"persistent_chat_compliance_configuration"`
	Endpoints      []Endpoint      `json:"persistent_chat_endpoints"`

	// env is the encoding the file was read in, which Save keeps.
	env textenc.Envelope
}

// Configuration is one collection of Set-CsPersistentChatConfiguration
// settings.
type Configuration struct {
	Identity               string `json:"identity"` // global, site:NAME or service:PersistentChatServer:FQDN
	DefaultChatHistory     int    `json:"default_chat_history"`
	MaxFileSizeKB          int    `json:"max_file_size_kb"`
	ParticipantUpdateLimit int    `json:"participant_update_limit"`
	RoomManagementURL      string `json:"room_management_url"`
}

// Compliance is one collection of Set-CsPersistentChatComplianceConfiguration
// settings.
type Compliance struct {
	Identity                      string `json:"identity"`
	AdapterType                   string `json:"adapter_type"`
	AdapterName                   string `json:"adapter_name"`
	AdapterOutputDirectory        string `json:"adapter_output_directory"`
	AddChatRoomDetails            bool   `json:"add_chat_room_details"`
	AddUserDetails                bool   `json:"add_user_details"`
	CreateFileAttachmentsManifest bool   `json:"create_file_attachments_manifest"`
	OneChatRoomPerOutputFile      bool   `json:"one_chat_room_per_output_file"`
	RunInterval                   string `json:"run_interval"` // d.hh:mm:ss
}

// Endpoint is a Persistent Chat endpoint: a contact with a SIP address that
// points at one pool.
type Endpoint struct {
	SipAddress  string `json:"sip_address"`
	DisplayName string `json:"display_name"`
	Pool        string `json:"persistent_chat_pool_fqdn"`
}

// Change is one thing Carry changed (or would change).
type Change struct {
	Kind   string `json:"kind"` // configuration, compliance or endpoint
	Object string `json:"object"`
	Action string `json:"action"` // create, update, move, unchanged or (CarryKeeping) kept
	Detail string `json:"detail"`
}

// ServiceScope is the identity of a pool's service-scope settings.
func ServiceScope(pool string) string { return "service:PersistentChatServer:" + pool }

// Load reads a settings file of at most fsguard.MaxPoolSettings bytes, in
// the encoding its byte order mark names, as estate files are read:
// PowerShell 5.1's ConvertTo-Json > pool-settings.json writes UTF-16 LE
// with a mark, editors UTF-8 with one.
func Load(path string) (*Settings, error) {
	raw, err := fsguard.ReadFile(path, fsguard.MaxPoolSettings, "pool settings file")
	if err != nil {
		return nil, err
	}
	b, env, _, err := textenc.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("pool settings %s: %w", path, err)
	}
	s := Settings{env: env}
	if err := json.Unmarshal(b, &s); err != nil {
		// encoding/json quotes what it stopped at: say where and what was
		// expected instead (file contents never appear in errors).
		return nil, fmt.Errorf("pool settings %s: not the JSON pcmig writes: %s%s", path, jsonerr.Describe(b, err, &s), cmdletHint(b))
	}
	if msg := checkKeys(b); msg != "" {
		return nil, fmt.Errorf("pool settings %s: not the JSON pcmig writes: %s%s", path, msg, cmdletHint(b))
	}
	return &s, nil
}

// cmdletHint is what to do with a file that looks like the cmdlets' own
// output (Get-CsPersistentChatConfiguration | ConvertTo-Json: an array of
// objects with an Identity), or "": such a file is not a lab estate's
// settings file, and a real estate needs none.
func cmdletHint(b []byte) string {
	t := bytes.TrimSpace(b)
	if !bytes.HasPrefix(t, []byte("[")) && !bytes.Contains(t, []byte(`"Identity"`)) {
		return ""
	}
	return " (it looks like the cmdlets' own output, such as Get-CsPersistentChatConfiguration | ConvertTo-Json: pool_settings is a lab estate's file in pcmig's format, docs/estate.md; " +
		"a real estate gives none, and its runbook carries the pool's settings with the cmdlets)"
}

// checkKeys says what is wrong with the keys of a file json.Unmarshal
// took, or "". encoding/json passes over a key no field takes and leaves
// a field whose key is missing at its zero value: a misspelt
// "default_chat_histroy", or DefaultChatHistory as the cmdlets' objects
// (ConvertTo-Json) spell it, would carry a chat history of 0 to the new
// pool, a misspelt section would carry no endpoints, and Save would drop
// the key. Every key pcmig writes must be there, and no other: an unknown
// one is named by its place and the key meant (never by itself, which is
// the file's text); a missing one by its entry.
func checkKeys(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var strict Settings
	if err := dec.Decode(&strict); err != nil {
		return jsonerr.Describe(b, err, &strict)
	}
	sections := []struct {
		name string
		typ  reflect.Type
		seen bool
	}{
		{"persistent_chat_configuration", reflect.TypeFor[Configuration](), false},
		{"persistent_chat_compliance_configuration", reflect.TypeFor[Compliance](), false},
		{"persistent_chat_endpoints", reflect.TypeFor[Endpoint](), false},
	}
	// The strict decode took the file: walk it again for the entries'
	// places (offsets, for lines).
	dec = json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // '{'
		return ""
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return ""
		}
		i := slices.IndexFunc(sections, func(sec struct {
			name string
			typ  reflect.Type
			seen bool
		}) bool {
			return strings.EqualFold(sec.name, key)
		})
		if i < 0 {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return ""
			}
			continue
		}
		sec := &sections[i]
		sec.seen = true
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') { // null: no entries
			continue
		}
		for n := 1; dec.More(); n++ {
			at := skipSpace(b, dec.InputOffset())
			var keys map[string]json.RawMessage
			if dec.Decode(&keys) != nil {
				return ""
			}
			for f := range sec.typ.Fields() {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !hasKeyFold(keys, name) {
					return fmt.Sprintf("line %d: %s[%d]: no %s (pcmig writes every setting of an entry)", lineAt(b, at), sec.name, n, name)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return ""
		}
	}
	for _, sec := range sections {
		if !sec.seen {
			return fmt.Sprintf("line %d: no %s (pcmig writes it, [] when there are none)", lineAt(b, skipSpace(b, 0)), sec.name)
		}
	}
	return ""
}

// hasKeyFold says whether m has key as encoding/json finds it: exactly, or
// else without regard to case.
func hasKeyFold(m map[string]json.RawMessage, key string) bool {
	if _, ok := m[key]; ok {
		return true
	}
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// skipSpace is the offset of the first byte at or after at that is not
// white space or a comma (where the next value begins).
func skipSpace(b []byte, at int64) int {
	i := int(at)
	for i < len(b) && strings.IndexByte(" \t\r\n,", b[i]) >= 0 {
		i++
	}
	return i
}

// lineAt is the line of b holding offset at.
func lineAt(b []byte, at int) int {
	at = max(0, min(at, len(b)))
	return bytes.Count(b[:at], []byte{'\n'}) + 1
}

// Encoding names the encoding the file was read in ("UTF-8",
// "UTF-16LE with BOM").
func (s *Settings) Encoding() string { return s.env.String() }

// Save writes the settings atomically, in the encoding they were read in.
func (s *Settings) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, s.env.Encode(append(b, '\n')))
}

// Carry gives the new pool what the old pool has: its service-scope
// configuration and compliance configuration (created, or updated to the
// old pool's values), and every endpoint pointing at the old pool, moved
// to the new one with the same SIP address. It returns every change, and
// one "unchanged" line for what was already right.
func (s *Settings) Carry(oldPool, newPool string) []Change {
	return s.carry(oldPool, newPool, false, true)
}

// CarryLeavingEndpoints is Carry without the endpoints: they stay on the
// old pool, for another estate to move (of one source's categories routed
// to several pools, the successor's: an endpoint's SIP address belongs to
// one pool). Each is named with action "left".
func (s *Settings) CarryLeavingEndpoints(oldPool, newPool, to string) []Change {
	out := s.carry(oldPool, newPool, false, false)
	for _, e := range s.Endpoints {
		if strings.EqualFold(e.Pool, oldPool) {
			out = append(out, Change{Kind: "endpoint", Object: textwidth.OneLine(e.SipAddress), Action: "left",
				Detail: fmt.Sprintf("on %s: the estate of %s moves it", oldPool, to)})
		}
	}
	return out
}

// CarryKeeping is Carry for a pool that is not the first to move into the
// new one (several pools into one): a configuration or compliance
// configuration the new pool already has at its service scope is kept, and
// where the old pool's values differ the change says "kept" and names them;
// one the new pool lacks is created; the endpoints move as with Carry.
func (s *Settings) CarryKeeping(oldPool, newPool string) []Change {
	return s.carry(oldPool, newPool, true, true)
}

func (s *Settings) carry(oldPool, newPool string, keep, endpoints bool) []Change {
	var out []Change
	oldID, newID := ServiceScope(oldPool), ServiceScope(newPool)
	if i := find(s.Configurations, oldID); i >= 0 {
		want := s.Configurations[i]
		want.Identity = newID
		if j := find(s.Configurations, newID); keep && j >= 0 {
			out = append(out, kept("configuration", newID, oldPool, want.values(), s.Configurations[j].values()))
		} else {
			existed, same := put(&s.Configurations, want)
			out = append(out, carried("configuration", newID, existed, same, strings.Join(want.values(), ", ")))
		}
	}
	if i := find(s.Compliance, oldID); i >= 0 {
		want := s.Compliance[i]
		want.Identity = newID
		if j := find(s.Compliance, newID); keep && j >= 0 {
			out = append(out, kept("compliance", newID, oldPool, want.values(), s.Compliance[j].values()))
		} else {
			existed, same := put(&s.Compliance, want)
			out = append(out, carried("compliance", newID, existed, same, strings.Join(want.values()[:3], ", ")))
		}
	}
	for i := range s.Endpoints {
		if !endpoints {
			break
		}
		e := &s.Endpoints[i]
		switch {
		case strings.EqualFold(e.Pool, oldPool):
			e.Pool = newPool
			out = append(out, Change{Kind: "endpoint", Object: textwidth.OneLine(e.SipAddress), Action: "move", Detail: fmt.Sprintf("from %s to %s, SIP address kept", oldPool, newPool)})
		case strings.EqualFold(e.Pool, newPool):
			out = append(out, Change{Kind: "endpoint", Object: textwidth.OneLine(e.SipAddress), Action: "unchanged", Detail: "already points at " + newPool})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// values are the configuration's settings as "Name value", in the
// cmdlet's parameter order.
func (c Configuration) values() []string {
	return []string{
		fmt.Sprintf("DefaultChatHistory %d", c.DefaultChatHistory),
		fmt.Sprintf("MaxFileSizeKB %d", c.MaxFileSizeKB),
		fmt.Sprintf("ParticipantUpdateLimit %d", c.ParticipantUpdateLimit),
		fmt.Sprintf("RoomManagementUrl %q", c.RoomManagementURL),
	}
}

// values are the compliance configuration's settings as "Name value": the
// three that Carry's change names first, then the others.
func (c Compliance) values() []string {
	return []string{
		"AdapterType " + textwidth.OneLine(c.AdapterType),
		"AdapterOutputDirectory " + textwidth.OneLine(c.AdapterOutputDirectory),
		"RunInterval " + textwidth.OneLine(c.RunInterval),
		"AdapterName " + textwidth.OneLine(c.AdapterName),
		fmt.Sprintf("AddChatRoomDetails %t", c.AddChatRoomDetails),
		fmt.Sprintf("AddUserDetails %t", c.AddUserDetails),
		fmt.Sprintf("CreateFileAttachmentsManifest %t", c.CreateFileAttachmentsManifest),
		fmt.Sprintf("OneChatRoomPerOutputFile %t", c.OneChatRoomPerOutputFile),
	}
}

// kept says what CarryKeeping did with a setting the new pool has: nothing;
// "unchanged" when the old pool's values are the same, else "kept", naming
// each of the old pool's values that differs and the new pool's.
func kept(kind, id, oldPool string, old, have []string) Change {
	var differ []string
	for k := range old {
		if old[k] != have[k] {
			name, _, _ := strings.Cut(have[k], " ")
			differ = append(differ, fmt.Sprintf("%s (%s has %s)", have[k], oldPool, strings.TrimPrefix(old[k], name+" ")))
		}
	}
	if len(differ) == 0 {
		return Change{Kind: kind, Object: id, Action: "unchanged", Detail: "the same as " + oldPool + "'s"}
	}
	return Change{Kind: kind, Object: id, Action: "kept", Detail: "the new pool's own values kept: " + strings.Join(differ, ", ")}
}

// carried says what putting one setting did (see put).
func carried(kind, id string, existed, same bool, detail string) Change {
	switch {
	case same:
		return Change{Kind: kind, Object: id, Action: "unchanged", Detail: detail}
	case existed:
		return Change{Kind: kind, Object: id, Action: "update", Detail: detail}
	}
	return Change{Kind: kind, Object: id, Action: "create", Detail: detail}
}

// scoped is a setting kept per scope (global, site or service).
type scoped interface{ identity() string }

func (c Configuration) identity() string { return c.Identity }
func (c Compliance) identity() string    { return c.Identity }

// find is the index of the setting of scope id in l (identities compare
// without case), or -1.
func find[T scoped](l []T, id string) int {
	return slices.IndexFunc(l, func(x T) bool { return strings.EqualFold(x.identity(), id) })
}

// put replaces the setting of want's scope in l with want, or appends want
// when l has none: it says whether one existed and whether it already
// equalled want.
func put[T interface {
	scoped
	comparable
}](l *[]T, want T) (existed, same bool) {
	if j := find(*l, want.identity()); j >= 0 {
		same = (*l)[j] == want
		(*l)[j] = want
		return true, same
	}
	*l = append(*l, want)
	return false, false
}

// Lab returns the settings of a lab estate: the global defaults, the old
// pool's own service-scope configuration and compliance configuration, and
// one endpoint for legacy clients on the old pool.
func Lab(oldPool, domain string) *Settings {
	return &Settings{
		Configurations: []Configuration{
			{Identity: "global", DefaultChatHistory: 30, MaxFileSizeKB: 20000, ParticipantUpdateLimit: 75},
			{Identity: ServiceScope(oldPool), DefaultChatHistory: 50, MaxFileSizeKB: 51200, ParticipantUpdateLimit: 150,
				RoomManagementURL: "https://chatrooms." + domain + "/manage"},
		},
		Compliance: []Compliance{{Identity: ServiceScope(oldPool), AdapterType: "Microsoft.Rtc.Internal.Chat.Server.Compliance.XmlAdapter,compliance",
			AdapterName: "XmlAdapter", AdapterOutputDirectory: `\\fs01.` + domain + `\compliance`, AddChatRoomDetails: true, AddUserDetails: true,
			CreateFileAttachmentsManifest: true, RunInterval: "00:15:00"}},
		Endpoints: []Endpoint{{SipAddress: "sip:ocschat@" + domain, DisplayName: "Group Chat (legacy clients)", Pool: oldPool}},
	}
}
