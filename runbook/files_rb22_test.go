package runbook

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fileCopyCode is the code of a runbook holding the file-copy section
// (lines trimmed, comments removed, literals as <lit>) and its lexed form.
func fileCopyCode(t *testing.T) (string, psLexed) {
	t.Helper()
	rb := New(testHeader)
	rb.AddSection(3, "copy the uploaded files")
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", `\\fs15.contoso.com\pchat`, `\\fs19.contoso.com\pchat`, `D:\pcmig\logs`))
	out := rb.Bytes()
	return strings.Join(codeLines(t, out), "\n"), checkScript(t, out)
}

// between is the part of s from the first start to the first end after it.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %q in:\n%s", start, s)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q in:\n%s", end, start, s)
	}
	return s[i : i+j+len(end)]
}

// TestFileCopyNeverWritesOverAnotherFile: the runbook copied the uploaded
// files with robocopy /E /Z /COPY:DAT, whose default copies a changed,
// newer or older file over the target's: a file the new share held under
// an old file's name with other content (the new pool's own upload,
// another old pool's, a restored share) was replaced, while pcmig's own
// copy (lab estates) refuses it. Now the tree is copied with /XC /XN /XO
// (Microsoft: those exclude every existing file, so only what the new
// share lacks is copied); before it, Test-PcmigFileStoreTarget compares
// every file present on both sides (size, then SHA-256) and stops the
// script naming each that differs, before anything is copied or recorded;
// and a file an interrupted run of this copy began (recorded before the
// copy) is completed by a robocopy of that one file.
func TestFileCopyNeverWritesOverAnotherFile(t *testing.T) {
	code, lexed := fileCopyCode(t)
	calls := regexp.MustCompile(`(?m)^& robocopy\.exe .*$`).FindAllString(code, -1)
	if len(calls) != 2 {
		t.Fatalf("%d robocopy calls, want the tree and the completion of unfinished files:\n%s", len(calls), strings.Join(calls, "\n"))
	}
	for _, c := range calls {
		for _, bad := range []string{"/PURGE", "/MIR", "/MOV", "/IS", "/IT", "/IM", "/XX"} {
			if strings.Contains(c, bad+" ") {
				t.Errorf("robocopy is called with %s: %s", bad, c)
			}
		}
	}
	tree := "& robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE (<lit> -f $CopyLog)"
	one := "& robocopy.exe $u.SourceDir $u.TargetDir $u.Name /Z /COPY:DAT /R:3 /W:10 /NP /TEE (<lit> -f $CopyLog)"
	if calls[0] != one || calls[1] != tree {
		t.Errorf("robocopy calls:\n%s\nwant:\n%s\n%s", strings.Join(calls, "\n"), one, tree)
	}
	// The one-file completion runs only for what the check returned.
	loop := between(t, code, "foreach ($u in $Unfinished) {", "\n}")
	if !strings.Contains(loop, one) || !strings.Contains(loop, "if ($LASTEXITCODE -ge 8) { throw (<lit> -f $LASTEXITCODE, $u.Path, $CopyLog) }") {
		t.Errorf("the completion of unfinished files is not one robocopy per returned file, judged by its exit code:\n%s", loop)
	}
	check := strings.Index(code, "$Unfinished = @(Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord)")
	if first := strings.Index(code, "& robocopy.exe"); check < 0 || check > first {
		t.Errorf("the check of the new share does not come before the first robocopy (at %d, robocopy at %d)", check, first)
	}
	if !strings.Contains(code, "$CopyRecord = Join-Path (Split-Path -Parent $CopyLog) <lit>") || !slices.Contains(lexed.literals, "file-store-copy.csv") {
		t.Error("the record is not file-store-copy.csv beside the log")
	}

	fn := between(t, code, "function Test-PcmigFileStoreTarget {", "\nreturn $unfinished.ToArray()\n}")
	// Only the same shares' record counts, and only a recorded file that
	// is not larger than the old one is taken for a half copy.
	for _, want := range []string{
		"if ($row.Source -eq $Source -and $row.Target -eq $Target) { $ours[[string]$row.RelativePath] = $true }",
		"if ($ours.ContainsKey($rel)) {\nif ($t.Length -eq $f.Length -and $t.LastWriteTimeUtc -eq $f.LastWriteTimeUtc) { $done++; continue }\nif ($t.Length -le $f.Length) {\n$unfinished.Add(",
		"if ($t.Length -ne $f.Length) {\n$differ.Add((<lit> -f $rel, $t.Length, $f.Length))\n} elseif ((Get-PcmigSha256 -Path $t.FullName) -ne (Get-PcmigSha256 -Path $f.FullName)) {\n$differ.Add((<lit> -f $rel))",
		"if ($seen.ContainsKey($rel)) {\n$differ.Add((<lit> -f $seen[$rel], $rel))",
		"foreach ($d in $differ) { Write-Warning (<lit> -f $d) }",
	} {
		if !strings.Contains(fn, want) {
			t.Errorf("Test-PcmigFileStoreTarget lacks\n%s\nin:\n%s", want, fn)
		}
	}
	// A different file stops the script before anything is recorded.
	stop := strings.Index(fn, "throw (<lit> -f $differ.Count, $Source, $Target, $named)")
	record := strings.Index(fn, "Export-Csv -LiteralPath $Record -Append -NoTypeInformation -Encoding UTF8")
	if stop < 0 || record < 0 || stop > record {
		t.Errorf("the check does not stop before it records (stop at %d, record at %d)", stop, record)
	}
	var msg bool
	for _, l := range lexed.literals {
		msg = msg || strings.Contains(l, "STOPPED before copying anything") && strings.Contains(l, "{3}") &&
			strings.Contains(l, "Nothing was copied") && strings.Contains(l, "pcmig doctor --estate")
	}
	if !msg {
		t.Error("the check's message does not name the files and say that nothing was copied")
	}
	// SHA-256 through .NET: Get-FileHash needs PowerShell 4.0, the script
	// requires 3.0; a path is never a wildcard pattern.
	sha := between(t, code, "function Get-PcmigSha256 {", "\n}")
	if strings.Contains(code, "Get-FileHash") || !strings.Contains(sha, "[System.Security.Cryptography.SHA256]::Create()") || !strings.Contains(sha, "[System.IO.File]::OpenRead($Path)") {
		t.Errorf("Get-PcmigSha256:\n%s", sha)
	}
	// What the robocopy documentation leaves open is said.
	comments := strings.Join(lexed.comments, "\n")
	for _, want := range []string{"NOT what an interrupted copy leaves", "/XC /XN /XO", "robocopy /L", "4 (mismatches alone) is not in the table"} {
		if !strings.Contains(comments, want) {
			t.Errorf("the comments do not say %q", want)
		}
	}
	for _, pair := range [][2]string{{"{", "}"}, {"(", ")"}, {"[", "]"}} {
		if o, c := strings.Count(code, pair[0]), strings.Count(code, pair[1]); o != c {
			t.Errorf("%d %s and %d %s in the script's code", o, pair[0], c, pair[1])
		}
	}
}
