package runbook

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/fqdn"
)

// CopyFileStore adds the copy of the uploaded files from the old pool's
// file store to the new pool's. Each share is the one given, or, when "",
// resolved at run time from the topology with Get-CsService. robocopy copies
// the whole share (restartable, with a log); its exit code is judged as
// robocopy documents it (below 8 is success), and then every source file
// must be in the target with its size. A missing or short file stops the
// script before the topology switch.
func (r *Runbook) CopyFileStore(oldPool, newPool, oldShare, newShare, logDir string) (err error) {
	defer r.logged(&err, Op{Op: "files", Args: []string{oldPool, newPool, oldShare, newShare, logDir}})
	for _, p := range []string{oldPool, newPool} {
		if !fqdn.Valid(p) {
			return fmt.Errorf("runbook: CopyFileStore: pool %q is not an FQDN", p)
		}
	}
	if err := checkUTF8("CopyFileStore", "the old share", oldShare, "the new share", newShare, "the log folder", logDir); err != nil {
		return err
	}
	for _, sh := range []struct{ what, path string }{{"the old share", oldShare}, {"the new share", newShare}, {"the log folder", logDir}} {
		if err := CheckWindowsPath(sh.path); err != nil {
			return fmt.Errorf("runbook: CopyFileStore: %s %w", sh.what, err)
		}
	}
	if _, err := r.current(); err != nil {
		return err
	}
	lines := []string{
		"# Uploaded files are not in the database: messages carry ma-filelink: links and the files are in",
		"# the pool's file store, a file share named in the topology. Export-/Import-CsPersistentChatData do",
		"# not copy them; Microsoft's Group Chat migration says to copy the whole file folder to the new",
		"# store (XCOPY). The folder layout inside the share is NOT documented, so the whole share is copied",
		"# as it is, and nothing inside it is renamed.",
		"# How a Persistent Chat pool names its file store is documented only as a topology dependency;",
		"# the Get-CsService property names used below (PoolFqdn, FileStore, UncPath) are NOT in pcmig's reference:",
		"# the script stops and says so if they are absent. Give the shares in the estate (file_store)",
		"# to skip the lookup.",
	}
	lines = append(lines, valueNote(oldPool, newPool, oldShare, newShare)...)
	lines = append(lines,
		fmt.Sprintf("$OldShare = %s", shareExpr(oldPool, oldShare)),
		fmt.Sprintf("$NewShare = %s", shareExpr(newPool, newShare)),
		"# robocopy reads a \\ before the closing quote that PowerShell puts around a path with a space as",
		"# an escaped quote: the shares go to it without a trailing \\ (a drive root, which has no space, keeps it).",
		"if ($OldShare -notmatch ':\\\\$') { $OldShare = $OldShare.TrimEnd('\\') }",
		"if ($NewShare -notmatch ':\\\\$') { $NewShare = $NewShare.TrimEnd('\\') }",
		fmt.Sprintf("$CopyLog = Join-Path %s ('robocopy-file-store-{0:yyyyMMdd-HHmmss}.log' -f (Get-Date))", logDirExpr(logDir)),
		"Write-Host ('Copying {0} to {1} (log: {2})' -f $OldShare, $NewShare, $CopyLog)",
		"# /E all folders, /Z restartable, /COPY:DAT data, attributes and times, /R /W bounded retries,",
		"# /NP no progress in the log. Run it again after a failure: it copies only what is missing.",
		"& robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $CopyLog)",
		"$RobocopyExit = $LASTEXITCODE",
		"# robocopy's exit code is a set of flags: 0 nothing to copy, 1 files copied, 2 extra files in the",
		"# target, 4 mismatches; 0 to 7 are success. 8 and above mean some files could not be copied.",
		"if ($RobocopyExit -ge 8) { throw ('robocopy failed with exit code {0}; see {1}' -f $RobocopyExit, $CopyLog) }",
		"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare",
	)
	r.needFileCheck = true
	return r.add(lines...)
}

// CheckWindowsPath refuses a path that holds a character Windows allows
// in no path: a double quote, <, >, |, * or a control character. The
// shares go to robocopy.exe as arguments, and Windows PowerShell 5.1
// passes a native command's argument without escaping its double quotes:
// \\fs01\pchat" "C:\Windows" /MIR "x y would reach robocopy as four
// arguments, mirroring into C:\Windows. The error names the rule, not the
// path.
func CheckWindowsPath(p string) error {
	for _, r := range p {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || strings.ContainsRune(`"<>|*`, r) {
			return errors.New(`holds a character Windows allows in no path (" < > | * or a control character): robocopy would take a double quote as the end of the argument`)
		}
	}
	return nil
}

// shareExpr is a share given in the estate, or the lookup at run time.
func shareExpr(pool, share string) string {
	if strings.TrimSpace(share) != "" {
		return Quote(share)
	}
	return fmt.Sprintf("Resolve-PcmigFileStore -PoolFqdn %s", Quote(pool))
}

func logDirExpr(dir string) string {
	if dir == "" {
		return "$PcmigDir"
	}
	return Quote(dir)
}

// fileStoreFunctions are the helpers CopyFileStore's lines call, defined
// once at the top of the script.
var fileStoreFunctions = []string{
	"# Resolve-PcmigFileStore finds a Persistent Chat pool's file store share from the topology:",
	"# the PersistentChatServer service of the pool, its FileStore dependency, that service's UncPath.",
	"# Get-CsService -PersistentChatServer and -FileStore are documented switches; the PoolFqdn,",
	"# FileStore and UncPath property names are not in pcmig's reference and are checked here.",
	"function Resolve-PcmigFileStore {",
	"    param([Parameter(Mandatory)][string]$PoolFqdn)",
	"    $all = @(Get-CsService -PersistentChatServer)",
	"    if ($all.Count -gt 0 -and -not ($all[0].PSObject.Properties.Name -contains 'PoolFqdn')) {",
	"        throw ('Get-CsService shows no PoolFqdn property, so the service of {0} cannot be found: give the share in the estate (file_store)' -f $PoolFqdn)",
	"    }",
	"    $pc = @($all | Where-Object { [string]$_.PoolFqdn -eq $PoolFqdn })",
	"    if ($pc.Count -ne 1) { throw ('no single Persistent Chat service on pool {0}' -f $PoolFqdn) }",
	"    if (-not ($pc[0].PSObject.Properties.Name -contains 'FileStore') -or -not $pc[0].FileStore) {",
	"        throw ('the Persistent Chat service of {0} has no FileStore property: give the share in the estate (file_store)' -f $PoolFqdn)",
	"    }",
	"    $fs = Get-CsService -Identity $pc[0].FileStore",
	"    if (-not $fs.UncPath) { throw ('file store {0} has no UncPath: give the share in the estate (file_store)' -f $pc[0].FileStore) }",
	"    return $fs.UncPath",
	"}",
	"",
	"# Assert-PcmigFileStoreCopy compares the two stores: every file of the source must be in the target",
	"# with the same size (the target may hold files of its own). It prints the counts and sizes of",
	"# both, warns for every missing or different file, then throws with their count. Each store is",
	"# listed once: a share of 100,000 files is two listings, not 100,000 round trips.",
	"function Assert-PcmigFileStoreCopy {",
	"    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target)",
	"    # .NET's GetFiles lists hidden and system files too, as robocopy copies them (Get-ChildItem",
	"    # leaves them out unless forced to include them).",
	"    $src = @((New-Object System.IO.DirectoryInfo $Source).GetFiles('*', [System.IO.SearchOption]::AllDirectories))",
	"    $dst = @((New-Object System.IO.DirectoryInfo $Target).GetFiles('*', [System.IO.SearchOption]::AllDirectories))",
	"    $srcBytes = ($src | Measure-Object -Property Length -Sum).Sum",
	"    $dstBytes = ($dst | Measure-Object -Property Length -Sum).Sum",
	"    Write-Host ('Source: {0} files, {1} bytes. Target: {2} files, {3} bytes.' -f $src.Count, $srcBytes, $dst.Count, $dstBytes)",
	"    # Relative path -> size of every target file (PowerShell's hashtables compare keys",
	"    # case-insensitively, as Windows compares file names).",
	"    $have = @{}",
	"    $dstRoot = (New-Object System.IO.DirectoryInfo $Target).FullName.TrimEnd('\\').Length",
	"    foreach ($f in $dst) { $have[$f.FullName.Substring($dstRoot).TrimStart('\\')] = $f.Length }",
	"    $srcRoot = (New-Object System.IO.DirectoryInfo $Source).FullName.TrimEnd('\\').Length",
	"    $missing = 0",
	"    foreach ($f in $src) {",
	"        $rel = $f.FullName.Substring($srcRoot).TrimStart('\\')",
	"        if (-not $have.ContainsKey($rel) -or $have[$rel] -ne $f.Length) {",
	"            Write-Warning ('missing or different in the target: {0}' -f $rel)",
	"            $missing++",
	"        }",
	"    }",
	"    if ($missing -gt 0) { throw ('{0} files of {1} are missing or different in {2}' -f $missing, $Source, $Target) }",
	"    Write-Host 'Every file of the source is in the target with its size.'",
	"}",
}
