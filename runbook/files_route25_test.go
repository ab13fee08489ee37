package runbook

import (
	"regexp"
	"strings"
	"testing"
)

// TestFileCopyOfAScope: CopyFileStoreScope copies the listed files only:
// the script holds the list, checks, copies and compares those files (the
// whole share's robocopy /E is not in it), with the never-overwrite rules
// of the whole share's copy (/XC /XN /XO, the check before the copy, the
// record of what it creates). Golden.
func TestFileCopyOfAScope(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(3, "copy the uploaded files")
	must(t, rb.CopyFileStoreScope("pchat15.contoso.com", "pchat19-emea.contoso.com", `\\fs15.contoso.com\pchat`, `\\fs19.contoso.com\pchat emea`, `D:\pcmig\logs`,
		[]string{"Engineering", "Sales 'EU'"}, []string{"room-1/file-1/plan.docx", `room-1/file-2/it's here.txt`, "room-2/file-3/Ångström.pdf"}))
	out := rb.Bytes()
	golden(t, "files-scope.ps1", out)
	lexed := checkScript(t, out)
	code := strings.Join(codeLines(t, out), "\n")
	if regexp.MustCompile(`(?m)^& robocopy\.exe \$OldShare`).MatchString(code) {
		t.Error("the scoped copy runs robocopy on the whole share")
	}
	for _, want := range []string{
		"$Unfinished = @(Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord -Only $ScopeFiles -Scoped)",
		"Copy-PcmigScopeFiles -Source $OldShare -Target $NewShare -Only $ScopeFiles -Log $CopyLog",
		"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare -Only $ScopeFiles -Scoped",
		"& robocopy.exe $from $to $batch /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("the script's code lacks %q", want)
		}
	}
	lits := strings.Join(lexed.literals, "\n")
	for _, want := range []string{`room-1\file-1\plan.docx`, `room-1\file-2\it's here.txt`, `room-2\file-3\Ångström.pdf`} {
		if !strings.Contains(lits, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(code, "/E ") && strings.Contains(between(t, code, "function Copy-PcmigScopeFiles", "\n}"), "/E") {
		t.Error("Copy-PcmigScopeFiles copies folders (/E)")
	}
	// An empty list copies nothing, and says so; it is not the whole share.
	rb = New(testHeader)
	rb.AddSection(3, "copy the uploaded files")
	must(t, rb.CopyFileStoreScope("pchat15.contoso.com", "pchat19-emea.contoso.com", "", "", "", []string{"Sales"}, nil))
	code = strings.Join(codeLines(t, rb.Bytes()), "\n")
	if !strings.Contains(code, "$ScopeFiles = @()") || strings.Contains(code, "$OldShare $NewShare /E") {
		t.Errorf("an empty scope's copy:\n%s", code)
	}
}

// TestFileCopyOfAScopeRefusesPathsNoShareHolds: robocopy takes the names
// after its two folders as wildcards; a listed path with * or ? would copy
// other files of the folder (other pools' files), one with a quote would
// end the argument. Such a path, and one that climbs out, is refused, and
// the runbook gets nothing.
func TestFileCopyOfAScopeRefusesPathsNoShareHolds(t *testing.T) {
	for _, bad := range []string{"room/*", "room/file?.txt", `room/a"b`, "../x/y", "room//y", "/abs/y", "room/a:b", "room/\x01", "room/a|b", ""} {
		rb := New(testHeader)
		rb.AddSection(3, "copy the uploaded files")
		before := string(rb.Bytes())
		err := rb.CopyFileStoreScope("pchat15.contoso.com", "pchat19.contoso.com", "", "", "", []string{"Sales"}, []string{"ok/file.txt", bad})
		if err == nil {
			t.Errorf("%q is taken", bad)
			continue
		}
		if strings.Contains(err.Error(), bad) && bad != "" {
			t.Errorf("the error quotes the path: %v", err)
		}
		if got := string(rb.Bytes()); got != before {
			t.Errorf("%q: the refused copy added lines", bad)
		}
	}
}

// TestSettingsLeavingEndpoints: the settings section of an estate that is
// not routes' successor carries the configurations and moves no endpoint
// (the successor's runbook does), and says whose runbook moves them.
func TestSettingsLeavingEndpoints(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettingsLeavingEndpoints("pchat15.contoso.com", "pchat19-emea.contoso.com", "", "pchat19.contoso.com"))
	out := rb.Bytes()
	lexed := checkScript(t, out)
	code := strings.Join(codeLines(t, out), "\n")
	for _, bad := range []string{"New-CsPersistentChatEndpoint", "Remove-CsPersistentChatEndpoint", "Get-PcmigChatEndpoint |", "$EndpointsFile"} {
		if strings.Contains(code, bad) {
			t.Errorf("the section runs %s", bad)
		}
	}
	for _, want := range []string{"Set-CsPersistentChatConfiguration -Identity $NewScope @values", "Set-CsPersistentChatComplianceConfiguration -Identity $NewScope @values"} {
		if !strings.Contains(lexed.code, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
	if !strings.Contains(strings.Join(lexed.literals, "\n"), "pchat19.contoso.com") {
		t.Error("the section does not name the successor")
	}
	if err := rb.CarryPoolSettingsLeavingEndpoints("pchat15.contoso.com", "pchat19.contoso.com", "", "not a pool"); err == nil {
		t.Error("a successor that is not an FQDN is taken")
	}
}
