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
	// The shares and folders take the hostile values a Windows path can
	// hold (no double quote, < > | * or control character: those are
	// refused, TestCopyFileStoreRefusesWhatNoWindowsPathHolds).
	var inPath []string
	for _, v := range hostileValues[:len(hostileValues)-1] {
		if CheckWindowsPath(v) == nil {
			inPath = append(inPath, v)
		}
	}
	path := strings.Join(inPath, " + ")
	rb := New(Header{Estate: name, Tool: name, Generated: testHeader.Generated})
	rb.AddSection(3, name)
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", path, `\\fs19.contoso.com\pchat share\`, path))
	rb.AddSection(5, name)
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", path))
	out := rb.Bytes()
	lexed := checkScript(t, out)
	for _, want := range []string{path, `\\fs19.contoso.com\pchat share\`} {
		if !slices.Contains(lexed.literals, want) {
			t.Errorf("no literal decodes to %q", want)
		}
	}
	n := 0
	for _, l := range lexed.literals {
		if l == path {
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
	// (Every listing is .NET's GetFiles of all folders: Get-PcmigStoreFiles
	// for the source, Test-... and Assert-... for the target.)
	if all := strings.Count(lexed.code, ".GetFiles(<lit>, [System.IO.SearchOption]::AllDirectories)"); strings.Contains(lexed.code, "Get-ChildItem") ||
		all < 3 || all != strings.Count(lexed.code, ".GetFiles(") {
		t.Error("the comparison leaves hidden files out (Get-ChildItem without -Force)")
	}
}

// A share or log folder holding a double quote (robocopy would split it
// into other arguments: Windows PowerShell 5.1 does not escape it), a
// character Windows allows in no path or a control character is refused,
// and nothing is added.
func TestCopyFileStoreRefusesWhatNoWindowsPathHolds(t *testing.T) {
	for _, bad := range []string{`\\fs\pchat" "C:\Windows" /MIR "x y`, `\\fs\p<x>`, `\\fs\p|x`, `\\fs\p*`, "\\\\fs\\p\nx", "\\\\fs\\p\u009bx"} {
		for i := range 3 {
			args := []string{`\\fs15.contoso.com\pchat`, `\\fs19.contoso.com\pchat`, `D:\logs`}
			args[i] = bad
			rb := New(testHeader)
			rb.AddSection(3, "copy")
			err := rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", args[0], args[1], args[2])
			if err == nil || !strings.Contains(err.Error(), "Windows allows in no path") || strings.Contains(err.Error(), "MIR") {
				t.Errorf("CopyFileStore with %q as argument %d: %v", bad, i+1, err)
			}
			if rb.HasCommands() {
				t.Errorf("CopyFileStore with %q as argument %d added commands", bad, i+1)
			}
		}
	}
}
