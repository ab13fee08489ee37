package runbook

import (
	"regexp"
	"strings"
	"testing"
)

// The file-copy and pool-settings sections, golden: the shares resolved at
// run time for the old pool and given for the new one.
func TestFileStoreAndSettingsSections(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(3, "copy the uploaded files")
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", `\\fs19.contoso.com\pchat`, `D:\pcmig\logs`))
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", ""))
	out := rb.Bytes()
	golden(t, "files-settings.ps1", out)
	lexed := checkScript(t, out)
	for _, want := range []string{
		"& robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE",
		"if ($RobocopyExit -ge 8) { throw",
		"$OldShare = Resolve-PcmigFileStore -PoolFqdn <lit>",
		"$NewShare = <lit>",
		"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare",
		"New-CsPersistentChatEndpoint -SipAddress $sip -PersistentChatPoolFqdn $NewPool",
		"Set-CsPersistentChatConfiguration -Identity $NewScope @values",
		"Set-CsPersistentChatComplianceConfiguration -Identity $NewScope @values",
	} {
		if !strings.Contains(lexed.code, want) {
			t.Errorf("the script's code lacks %q", want)
		}
	}
	// Where the reference is silent, the comments say so.
	comments := strings.Join(lexed.comments, "\n")
	for _, want := range []string{"NOT documented", "SILENT on Get-CsPersistentChatConfiguration", "Remove-CsPersistentChatEndpoint"} {
		if !strings.Contains(comments, want) {
			t.Errorf("the comments do not say %q", want)
		}
	}
}

func TestFileStoreAndSettingsErrors(t *testing.T) {
	rb := New(testHeader)
	if err := rb.CopyFileStore("a.b", "c.d", "", "", ""); err != ErrNoSection {
		t.Errorf("CopyFileStore before a section: %v", err)
	}
	rb.AddSection(1, "x")
	if err := rb.CopyFileStore("not a pool", "c.d", "", "", ""); err == nil {
		t.Error("CopyFileStore accepts a pool that is not an FQDN")
	}
	if err := rb.CarryPoolSettings("a.b", "bad pool", ""); err == nil {
		t.Error("CarryPoolSettings accepts a pool that is not an FQDN")
	}
}

// The endpoint move is restartable: the endpoints to move are recorded in
// a file beside the runbook's logs before any is removed (its SIP address
// is unique, so the new one can only be created after the old one is
// gone), and a rerun recreates on the new pool a recorded endpoint that is
// on neither pool any more, the state a failed New leaves.
func TestSettingsEndpointMoveIsRestartable(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", `D:\pcmig\logs`))
	lexed := checkScript(t, rb.Bytes())
	code := lexed.code
	record := strings.Index(code, "Export-Csv -LiteralPath $EndpointsFile -Append")
	remove := strings.Index(code, "Remove-CsPersistentChatEndpoint")
	if record < 0 || remove < 0 || record > remove {
		t.Fatalf("the endpoints are not recorded before the first Remove-CsPersistentChatEndpoint (record at %d, remove at %d):\n%s", record, remove, code)
	}
	// A record whose last line a kill cut short gets its line break
	// before anything is appended, so that the appended rows do not run
	// into it and get lost with it.
	endLine := strings.Index(code, "if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }")
	if endLine < 0 || endLine > record {
		t.Errorf("the record's last line is not ended before the append (at %d, append at %d):\n%s", endLine, record, code)
	}
	for _, want := range []string{
		"$EndpointsFile = Join-Path (Split-Path -Parent $SettingsReport) <lit>",
		"Import-Csv -LiteralPath $EndpointsFile",     // a rerun reads what an earlier run recorded
		"Where-Object { $recorded -notcontains $_ }", // recorded once, never rewritten
		"if (-not $ep) {", // recorded, gone from the old pool, not on the new: created
		"New-CsPersistentChatEndpoint -SipAddress $sip -PersistentChatPoolFqdn $NewPool",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("the section's code lacks %q:\n%s", want, code)
		}
	}
	comments := strings.Join(lexed.comments, "\n")
	if !strings.Contains(comments, "SIP address is unique") {
		t.Errorf("the comments do not say why New cannot come before Remove:\n%s", comments)
	}
}

// TestSettingsKeepingSection: the section for a pool that is not the first
// to move into the new one keeps the new pool's own configuration and
// compliance configuration (reporting the old pool's differing values as
// "kept", with a warning) and still moves the endpoints; the first pool's
// section replaces them.
func TestSettingsKeepingSection(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(9, "carry the pools' own settings over")
	must(t, rb.CarryPoolSettings("pchat-emea.contoso.com", "pchat19.contoso.com", ""))
	must(t, rb.CarryPoolSettingsKeeping("pchat-amer.contoso.com", "pchat19.contoso.com", ""))
	out := rb.Bytes()
	checkScript(t, out)
	// Indentation aside (the section's lines are inside its progress guard).
	code := regexp.MustCompile(`(?m)^ +`).ReplaceAllString(strings.ReplaceAll(string(out), "\r\n", "\n"), "")
	first := strings.Index(code, "$KeepExisting = $false")
	second := strings.Index(code, "$KeepExisting = $true")
	if first < 0 || second < first {
		t.Fatalf("the sections do not set $KeepExisting false, then true:\n%s", code)
	}
	for _, want := range []string{
		"if ($have -and $KeepExisting) {\nWrite-PcmigSettingsKept 'configuration' $have $values\n} elseif ($have) {\nSet-CsPersistentChatConfiguration",
		"if ($have -and $KeepExisting) {\nWrite-PcmigSettingsKept 'compliance' $have $values\n} elseif ($have) {\nSet-CsPersistentChatComplianceConfiguration",
		"function Write-PcmigSettingsKept {",
		"Write-PcmigSettingsChange $Kind $NewScope 'kept' $detail",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("the script's code lacks %q", want)
		}
	}
	if n := strings.Count(code, "New-CsPersistentChatEndpoint -SipAddress $sip -PersistentChatPoolFqdn $NewPool"); n != 2 {
		t.Errorf("%d endpoint moves, want one per section", n)
	}
	if n := strings.Count(code, "function Write-PcmigSettingsKept"); n != 1 {
		t.Errorf("Write-PcmigSettingsKept is defined %d times", n)
	}
}
