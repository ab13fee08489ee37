package runbook

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/fqdn"
)

// CopyFileStore adds the copy of the uploaded files from the old pool's
// file store to the new pool's. Each share is the one given, or, when "",
// resolved at run time from the topology with Get-CsService. Nothing of the
// new share is written over: before anything is copied, a file the new
// share holds under an old file's name with other content (size, then
// SHA-256) stops the script, naming it; robocopy then copies the whole
// share with /XC /XN /XO (restartable, with a log), which leaves every
// file the new share holds alone; a file an interrupted run of this copy
// began (recorded in file-store-copy.csv beside the log before the copy)
// is completed by a robocopy of that one file. Its exit code is judged as
// robocopy documents it (below 8 is success), and then every source file
// must be in the target with its size. A missing or short file stops the
// script before the topology switch.
func (r *Runbook) CopyFileStore(oldPool, newPool, oldShare, newShare, logDir string) (err error) {
	defer r.logged(&err, Op{Op: "files", Args: []string{oldPool, newPool, oldShare, newShare, logDir}})
	return r.copyFileStore(oldPool, newPool, oldShare, newShare, logDir, nil, nil)
}

// CopyFileStoreScope is CopyFileStore for the files of some categories'
// rooms only: files lists them (relative paths inside the share, with / or
// \ between folders, as filestore.RelPath reads the links of those rooms'
// messages) and categories names the categories, for the script's
// comments. Of one source's categories routed to several pools, each pool
// gets its own rooms' files and no other's (pools exist for data
// residency). The same rules hold: nothing of the new share is written over
// (the check before the copy compares each listed file the new share
// holds), a copy an interrupted run began is completed, robocopy runs with
// /XC /XN /XO, on the listed names of one folder at a time, and then every
// listed file must be in the new share with its size. A listed file the
// old share lacks is named in a warning and not copied; if it lacks every
// one, the script stops before it copies anything (the links do not name
// the share's files as pcmig reads them). A path that cannot name a file
// on a Windows share (empty, absolute, with a .. folder, or holding " < >
// | * ? : or a control character, which robocopy would take as a wildcard
// or the end of an argument) is refused: see WindowsRelPath.
func (r *Runbook) CopyFileStoreScope(oldPool, newPool, oldShare, newShare, logDir string, categories, files []string) (err error) {
	defer r.logged(&err, Op{Op: "files-scope", Args: []string{oldPool, newPool, oldShare, newShare, logDir},
		Names: slices.Clone(categories), Values: slices.Clone(files)})
	if files == nil {
		files = []string{}
	}
	return r.copyFileStore(oldPool, newPool, oldShare, newShare, logDir, categories, files)
}

// WindowsRelPath is rel (a file's place inside a share, / or \ between
// folders) with \ between folders, or an error when rel cannot name a file
// on a Windows share: empty, absolute, with an empty, . or .. folder, or
// holding " < > | * ? : or a control character. The error names the rule,
// not the path.
func WindowsRelPath(rel string) (string, error) {
	if !utf8.ValidString(rel) {
		return "", errors.New("is not valid UTF-8")
	}
	w := strings.ReplaceAll(rel, "/", `\`)
	for _, seg := range strings.Split(w, `\`) {
		if seg == "" || seg == "." || seg == ".." {
			return "", errors.New("is not a relative path of folders and a file name")
		}
	}
	for _, r := range w {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || strings.ContainsRune(`"<>|*?:`, r) {
			return "", errors.New(`holds a character Windows allows in no file name (" < > | * ? : or a control character)`)
		}
	}
	return w, nil
}

// copyFileStore writes the copy: of the whole share when files is nil, of
// the listed files else.
func (r *Runbook) copyFileStore(oldPool, newPool, oldShare, newShare, logDir string, categories, files []string) (err error) {
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
	if err := checkUTF8("CopyFileStore", "a category's name", strings.Join(categories, "\n")); err != nil {
		return err
	}
	scoped := files != nil
	list := make([]string, 0, len(files))
	for _, f := range files {
		w, err := WindowsRelPath(f)
		if err != nil {
			return fmt.Errorf("runbook: CopyFileStore: a listed file %w", err)
		}
		list = append(list, w)
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
		"$CopyRecord = Join-Path (Split-Path -Parent $CopyLog) 'file-store-copy.csv'",
		"Write-Host ('Copying {0} to {1} (log: {2})' -f $OldShare, $NewShare, $CopyLog)",
	)
	only := ""
	if scoped {
		only = " -Only $ScopeFiles -Scoped"
		lines = append(lines,
			"# NOT the whole share: this pool gets the categories "+CommentText(strings.Join(categories, ", "))+",",
			"# and only the files that the messages of their rooms link to are copied (the old share's other",
			"# files belong to rooms that go to other pools, or to none). The list was read from the old pool's",
			"# database when this runbook was written, each link read as ma-filelink:///SERVER/SHARE/PATH, PATH",
			"# being the file's place inside the share (how a real pool writes its links is not documented:",
			"# if the old share holds none of the listed files, the script stops before it copies anything).",
			"# A file uploaded to these rooms after the export is not listed.",
			fmt.Sprintf("# %d files:", len(list)),
		)
		if len(list) == 0 {
			lines = append(lines, "$ScopeFiles = @()")
		} else {
			lines = append(lines, "$ScopeFiles = @(")
			for _, f := range list {
				lines = append(lines, "    "+Quote(f))
			}
			lines = append(lines, ")")
		}
	}
	lines = append(lines,
		"# Nothing of the new share is written over. First Test-PcmigFileStoreTarget compares every file of",
		"# the old share that the new share already holds (size, then SHA-256): if one differs it stops the",
		"# script, naming it, before anything is copied. It appends the files the copy will create to",
		"# $CopyRecord, and returns those an earlier run of this copy created and did not finish.",
		"$Unfinished = @(Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord"+only+")",
		"# Microsoft documents /Z (restartable mode: an interrupted copy can pick up where it left off rather",
		"# than copy the whole file again) but NOT what an interrupted copy leaves in the target (its size",
		"# and time) or whether a later run resumes it: so a half-copied file is found from the record, not",
		"# from robocopy, and completed by a robocopy of its own, of that one file, without /XC /XN /XO",
		"# (resumed or copied whole, it is complete afterwards; its size is checked below).",
		"foreach ($u in $Unfinished) {",
		"    Write-Host ('Completing {0}, which an earlier run of this copy began' -f $u.Path)",
		"    & robocopy.exe $u.SourceDir $u.TargetDir $u.Name /Z /COPY:DAT /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $CopyLog)",
		"    if ($LASTEXITCODE -ge 8) { throw ('robocopy failed with exit code {0} on {1}; see {2}' -f $LASTEXITCODE, $u.Path, $CopyLog) }",
		"}",
		"# /E all folders, /Z restartable, /COPY:DAT data, attributes and times, /R /W bounded retries,",
		"# /NP no progress in the log. /XC /XN /XO: Microsoft documents them as excluding existing files",
		"# with the same time and another size, and source files newer or older than the destination's;",
		"# together they leave every file the new share holds as it is, and robocopy copies only the files",
		"# it lacks. Without /PURGE or /MIR nothing of the new share is deleted (/XX is not needed).",
		"# robocopy /L would list without copying; its log's layout is not documented, so the check above",
		"# lists both shares itself. Run the section again after a failure: it copies what is missing.",
	)
	if scoped {
		lines = append(lines,
			"# Copy-PcmigScopeFiles runs robocopy on each folder of the list with the listed names only (no /E),",
			"# with the same options and exit-code rule as the copy of a whole share.",
			"Copy-PcmigScopeFiles -Source $OldShare -Target $NewShare -Only $ScopeFiles -Log $CopyLog",
			"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare -Only $ScopeFiles -Scoped",
		)
		r.needScopeCopy = true
	} else {
		lines = append(lines,
			"& robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $CopyLog)",
			"$RobocopyExit = $LASTEXITCODE",
			"# robocopy's exit code: Microsoft's table gives 0 (nothing copied), 1 (files copied), 2 (extra files",
			"# in the target) and 3, 5, 6, 7 (their combinations with mismatches) without a failure, and 8 or more",
			"# as at least one failure. 4 (mismatches alone) is not in the table: below 8, it passes.",
			"if ($RobocopyExit -ge 8) { throw ('robocopy failed with exit code {0}; see {1}' -f $RobocopyExit, $CopyLog) }",
			"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare",
		)
	}
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
	"# Get-PcmigStoreFiles lists the files of a file store: every one (.NET's GetFiles lists hidden and",
	"# system files too, as robocopy copies them; Get-ChildItem leaves them out unless forced), or with",
	"# -Scoped those of the paths -Only lists (relative to -Root, folders and a file name, no ..) that",
	"# are files of the store.",
	"function Get-PcmigStoreFiles {",
	"    param([Parameter(Mandatory)][string]$Root, [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)",
	"    $dir = New-Object System.IO.DirectoryInfo $Root",
	"    if (-not $Scoped) { return @($dir.GetFiles('*', [System.IO.SearchOption]::AllDirectories)) }",
	"    $found = New-Object 'System.Collections.Generic.List[System.IO.FileInfo]'",
	"    foreach ($rel in @($Only)) {",
	"        $f = New-Object System.IO.FileInfo ([System.IO.Path]::Combine($dir.FullName, $rel))",
	"        if ($f.Exists) { $found.Add($f) }",
	"    }",
	"    return $found.ToArray()",
	"}",
	"",
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
	"# Test-PcmigFileStoreTarget is the check before the copy. robocopy with /XC /XN /XO writes over no",
	"# file of the new share; but a file the new share already holds under the name of one of the old",
	"# share's with other content (the new pool's own users' upload, another old pool's when several move",
	"# into one, a restored or reused share, a file put there by hand) would stay, and the migrated",
	"# messages would link to it. Every such file is named in a warning, and the script stops before",
	"# anything is copied; pcmig doctor --estate's 'uploaded file names' line names the messages that",
	"# link to each. Files of the same size are compared by SHA-256 (Get-FileHash needs PowerShell 4.0,",
	"# this script 3.0: .NET computes it), so a share restored from the old one passes. Names of the old",
	"# share that differ only by case would be one file in the new share: they stop the script too.",
	"# $Record lists the files this copy found absent from the new share and then created (Source,",
	"# Target, RelativePath), appended before robocopy runs. Such a file whose size or time is not yet",
	"# the old file's (and that is not larger) was left by an interrupted run: it is returned to be",
	"# completed, not reported. A file put at one of those names by someone else after the copy began",
	"# cannot be told from it. A share that keeps times less precisely than NTFS makes every copied file",
	"# look unfinished: each is then copied again, one robocopy at a time (slow, never wrong).",
	"# With -Scoped, only the files -Only lists (paths inside $Source) are looked at: see Get-PcmigStoreFiles.",
	"function Test-PcmigFileStoreTarget {",
	"    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target, [Parameter(Mandatory)][string]$Record,",
	"        [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)",
	"    $srcDir = New-Object System.IO.DirectoryInfo $Source",
	"    $dstDir = New-Object System.IO.DirectoryInfo $Target",
	"    $src = @(Get-PcmigStoreFiles -Root $Source -Only $Only -Scoped:$Scoped)",
	"    if ($Scoped -and $src.Count -lt $Only.Count) {",
	"        if ($src.Count -eq 0) {",
	"            throw ('STOPPED before copying anything: none of the {0} files listed for this pool''s categories is in {1}: this pool''s links do not name the files of its share as pcmig reads them. Nothing was copied. Copy the files of these categories'' rooms by hand.' -f $Only.Count, $Source)",
	"        }",
	"        Write-Warning ('{0} of the {1} files listed for this pool''s categories are not in {2} (removed, or never stored): they are not copied, and messages link to them' -f ($Only.Count - $src.Count), $Only.Count, $Source)",
	"    }",
	"    $dst = @()",
	"    if ($dstDir.Exists) { $dst = @($dstDir.GetFiles('*', [System.IO.SearchOption]::AllDirectories)) }",
	"    # Relative path -> file of the new share (PowerShell's hashtables compare keys",
	"    # case-insensitively, as Windows compares file names).",
	"    $have = @{}",
	"    $dstRoot = $dstDir.FullName.TrimEnd('\\').Length",
	"    foreach ($f in $dst) { $have[$f.FullName.Substring($dstRoot).TrimStart('\\')] = $f }",
	"    $ours = @{}",
	"    if (Test-Path -LiteralPath $Record) {",
	"        foreach ($row in @(Import-Csv -LiteralPath $Record)) {",
	"            if ($row.Source -eq $Source -and $row.Target -eq $Target) { $ours[[string]$row.RelativePath] = $true }",
	"        }",
	"    }",
	"    $srcRoot = $srcDir.FullName.TrimEnd('\\').Length",
	"    $seen = @{}",
	"    $differ = New-Object 'System.Collections.Generic.List[string]'",
	"    $toRecord = New-Object 'System.Collections.Generic.List[string]'",
	"    $unfinished = New-Object 'System.Collections.Generic.List[object]'",
	"    $toCopy = 0; $done = 0; $same = 0",
	"    foreach ($f in $src) {",
	"        $rel = $f.FullName.Substring($srcRoot).TrimStart('\\')",
	"        if ($seen.ContainsKey($rel)) {",
	"            $differ.Add(('{0} and {1}: names that differ only by case are one file in the new share' -f $seen[$rel], $rel))",
	"            continue",
	"        }",
	"        $seen[$rel] = $rel",
	"        if (-not $have.ContainsKey($rel)) {",
	"            $toCopy++",
	"            if (-not $ours.ContainsKey($rel)) { $toRecord.Add($rel) }",
	"            continue",
	"        }",
	"        $t = $have[$rel]",
	"        if ($ours.ContainsKey($rel)) {",
	"            if ($t.Length -eq $f.Length -and $t.LastWriteTimeUtc -eq $f.LastWriteTimeUtc) { $done++; continue }",
	"            if ($t.Length -le $f.Length) {",
	"                $unfinished.Add([pscustomobject]@{ Path = $rel; SourceDir = $f.DirectoryName; TargetDir = $t.DirectoryName; Name = $f.Name })",
	"                continue",
	"            }",
	"        }",
	"        if ($t.Length -ne $f.Length) {",
	"            $differ.Add(('{0}: {1} bytes in the new share, {2} in the old' -f $rel, $t.Length, $f.Length))",
	"        } elseif ((Get-PcmigSha256 -Path $t.FullName) -ne (Get-PcmigSha256 -Path $f.FullName)) {",
	"            $differ.Add(('{0}: same size, other content (SHA-256)' -f $rel))",
	"        } else {",
	"            $same++",
	"        }",
	"    }",
	"    if ($differ.Count -gt 0) {",
	"        foreach ($d in $differ) { Write-Warning ('a file of the new share differs: {0}' -f $d) }",
	"        $named = @($differ | Select-Object -First 10) -join '; '",
	"        if ($differ.Count -gt 10) { $named += ('; and {0} more (see the warnings above)' -f ($differ.Count - 10)) }",
	"        throw ('STOPPED before copying anything: {0} files of {1} are in {2} with other content, and would stay there, or be one file: {3}. Nothing was copied and nothing was written over. Find out whose files they are (pcmig doctor --estate names the messages that link to each), then run the script again.' -f $differ.Count, $Source, $Target, $named)",
	"    }",
	"    if ($toRecord.Count -gt 0) {",
	"        # A record cut short by a kill may lack its final line break: end it first, so that what is",
	"        # appended now starts a line of its own.",
	"        if (Test-Path -LiteralPath $Record) {",
	"            $full = (Get-Item -LiteralPath $Record).FullName",
	"            $bytes = [System.IO.File]::ReadAllBytes($full)",
	"            if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }",
	"        }",
	"        $toRecord | ForEach-Object { [pscustomobject]@{ Source = $Source; Target = $Target; RelativePath = $_ } } |",
	"            Export-Csv -LiteralPath $Record -Append -NoTypeInformation -Encoding UTF8",
	"    }",
	"    Write-Host ('Before the copy: {0} files to copy, {1} copied by an earlier run, {2} already in the new share with the same content, {3} begun by an earlier run to complete.' -f $toCopy, $done, $same, $unfinished.Count)",
	"    return $unfinished.ToArray()",
	"}",
	"",
	"# Get-PcmigSha256 is the SHA-256 of a file, read through .NET (no wildcards in the path).",
	"function Get-PcmigSha256 {",
	"    param([Parameter(Mandatory)][string]$Path)",
	"    $sha = [System.Security.Cryptography.SHA256]::Create()",
	"    $stream = [System.IO.File]::OpenRead($Path)",
	"    try { return [System.BitConverter]::ToString($sha.ComputeHash($stream)) } finally { $stream.Dispose(); $sha.Dispose() }",
	"}",
	"",
	"# Assert-PcmigFileStoreCopy compares the two stores: every file of the source must be in the target",
	"# with the same size (the target may hold files of its own). It prints the counts and sizes of",
	"# both, warns for every missing or different file, then throws with their count. Each store is",
	"# listed once: a share of 100,000 files is two listings, not 100,000 round trips.",
	"# With -Scoped, the source's files are those -Only lists that it holds.",
	"function Assert-PcmigFileStoreCopy {",
	"    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target,",
	"        [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)",
	"    $src = @(Get-PcmigStoreFiles -Root $Source -Only $Only -Scoped:$Scoped)",
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

// scopeCopyFunction is the copy of CopyFileStoreScope: robocopy on the
// listed names of each folder, defined once at the top of the script.
var scopeCopyFunction = []string{
	"# Copy-PcmigScopeFiles copies the files -Only lists (relative to the shares) with robocopy: one run",
	"# per folder of the list and per 50 of its names (robocopy takes file names after the two folders;",
	"# none holds * or ?, so none is a wildcard), with /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP, as the",
	"# copy of a whole share, and without /E: no other file of the old share is copied. A folder the",
	"# old share lacks is passed over (its files were named in a warning before the copy). An exit code",
	"# of 8 or more stops the script, naming the folder.",
	"function Copy-PcmigScopeFiles {",
	"    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target,",
	"        [AllowNull()][AllowEmptyCollection()][string[]]$Only, [Parameter(Mandatory)][string]$Log)",
	"    $byFolder = [ordered]@{}",
	"    foreach ($rel in @($Only)) {",
	"        $i = $rel.LastIndexOf('\\')",
	"        $folder = ''",
	"        $name = $rel",
	"        if ($i -ge 0) { $folder = $rel.Substring(0, $i); $name = $rel.Substring($i + 1) }",
	"        if (-not $byFolder.Contains($folder)) { $byFolder[$folder] = New-Object 'System.Collections.Generic.List[string]' }",
	"        $byFolder[$folder].Add($name)",
	"    }",
	"    foreach ($folder in @($byFolder.Keys)) {",
	"        $from = $Source",
	"        $to = $Target",
	"        if ($folder) { $from = [System.IO.Path]::Combine($Source, $folder); $to = [System.IO.Path]::Combine($Target, $folder) }",
	"        if (-not (Test-Path -LiteralPath $from -PathType Container)) { continue }",
	"        $names = $byFolder[$folder]",
	"        for ($at = 0; $at -lt $names.Count; $at += 50) {",
	"            $batch = @($names.GetRange($at, [Math]::Min(50, $names.Count - $at)))",
	"            & robocopy.exe $from $to $batch /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $Log)",
	"            if ($LASTEXITCODE -ge 8) { throw ('robocopy failed with exit code {0} in {1}; see {2}' -f $LASTEXITCODE, $from, $Log) }",
	"        }",
	"    }",
	"}",
}
