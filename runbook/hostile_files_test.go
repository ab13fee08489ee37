package runbook

import (
	"slices"
	"strings"
	"testing"
)

// The file-copy and pool-settings sections with hostile shares and report
// folders: every value is one literal that decodes to itself, nothing
// reaches the code, and hidden characters get a note.
func TestHostileFileStoreAndSettings(t *testing.T) {
	name := strings.Join(hostileValues[:len(hostileValues)-1], " | ")
	rb := New(Header{Estate: name, Tool: name, Generated: testHeader.Generated})
	rb.AddSection(3, name)
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", name, `\\fs19.contoso.com\pchat share\`, name))
	rb.AddSection(5, name)
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", name))
	out := rb.Bytes()
	lexed := checkScript(t, out)
	for _, want := range []string{name, `\\fs19.contoso.com\pchat share\`} {
		if !slices.Contains(lexed.literals, want) {
			t.Errorf("no literal decodes to %q", want)
		}
	}
	n := 0
	for _, l := range lexed.literals {
		if l == name {
			n++
		}
	}
	if n != 3 {
		t.Errorf("the hostile value is %d literals, want 3 (old share, log folder, report folder)", n)
	}
	for _, leak := range []string{"Remove-Item", "Ünïcødé", "O'Brien", "$(", "`", "evil", "not a comment", "${x}"} {
		if strings.Contains(lexed.code, leak) {
			t.Errorf("hostile text %q reached the script's code", leak)
		}
	}
	if n := strings.Count(string(out), "# NOTE: a value below contains line breaks"); n < 2 {
		t.Errorf("%d warning notes, want one before each section's hidden characters", n)
	}
	// Paths are never wildcard patterns: a report folder named "[2026]"
	// must not make Export-Csv look for files matching it.
	if strings.Contains(lexed.code, "Export-Csv -Path") || !strings.Contains(lexed.code, "Export-Csv -LiteralPath") {
		t.Error("Export-Csv takes its path as a wildcard pattern (-Path), not literally (-LiteralPath)")
	}
	// robocopy (the C runtime's argument rules) reads a \ before the
	// closing quote PowerShell adds around a path with a space as an
	// escaped quote: the shares are given without a trailing \.
	if !strings.Contains(lexed.code, "$OldShare = $OldShare.TrimEnd(<lit>)") || !strings.Contains(lexed.code, "$NewShare = $NewShare.TrimEnd(<lit>)") {
		t.Error("the shares keep a trailing backslash before robocopy")
	}
	// Hidden and system files are copied by robocopy and must be compared too.
	if strings.Contains(lexed.code, "Get-ChildItem") || strings.Count(lexed.code, ").GetFiles(<lit>, [System.IO.SearchOption]::AllDirectories)") != 2 {
		t.Error("the comparison leaves hidden files out (Get-ChildItem without -Force)")
	}
}
