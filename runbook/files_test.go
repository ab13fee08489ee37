package runbook

import (
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
		"& robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /R:3 /W:10 /NP /TEE",
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
