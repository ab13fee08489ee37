# ============================================================================
# Persistent Chat migration runbook: the changes that must be made with
# supported Skype for Business Server cmdlets, not in SQL.
#
# Estate:    Contoso lab
# Generated: TIME by pcmig VERSION
#
# REVIEW EVERY COMMAND BEFORE RUNNING THIS SCRIPT.
# Run it in the Skype for Business Server Management Shell as a member of
# RTCUniversalServerAdmins; the Persistent Chat cmdlets also need
# CsPersistentChatAdministrator.
# The script stops at the first error, except that each user move is tried
# on its own and recorded in a per-user CSV report.
# Encoding: UTF-8 with byte order mark, CRLF line endings.
# ============================================================================

#Requires -Version 3.0

$ErrorActionPreference = 'Stop'

# The folder for the reports and logs: the script's own, or the current folder when a selection
# is run in the ISE or VS Code ($PSScriptRoot is empty outside a script file).
$PcmigDir = if ($PSScriptRoot) { $PSScriptRoot } else { (Get-Location).Path }

# Progress: each step this script finishes is recorded in $PcmigProgress, with this runbook's ID
# ($PcmigRunbook, a digest of its generation time and steps). Run the script again after a
# failure and it skips the steps it recorded and goes on with the first unfinished one: above all,
# a cmdlet import must not run twice (it overwrites same-named categories and rooms). A step whose
# user moves failed is not recorded. To run a finished step again, delete its line from the file.
# A runbook pcmig generates again (a new run) has another ID: its steps all run.
$PcmigRunbook = 'ID'
$PcmigProgress = Join-Path $PcmigDir 'pcmig-runbook-progress.csv'
# Test-PcmigStepDone says whether a run of this runbook (the same $PcmigRunbook) finished a step.
function Test-PcmigStepDone {
    param([Parameter(Mandatory = $true)][int]$Section)
    if (-not (Test-Path -LiteralPath $PcmigProgress)) { return $false }
    $rows = @(Import-Csv -LiteralPath $PcmigProgress | Where-Object { $_.Runbook -eq $PcmigRunbook -and $_.Section -eq [string]$Section })
    return ($rows.Count -gt 0)
}
# Complete-PcmigStep records a finished step. A record that fails (the file was locked or made
# read-only after the check at the top) stops the script: the step ran, and a new run of the script
# would run it again unless its line is added to the file by hand.
function Complete-PcmigStep {
    param([Parameter(Mandatory = $true)][int]$Section, [Parameter(Mandatory = $true)][string]$Title)
    $row = [pscustomobject]@{ Runbook = $PcmigRunbook; Section = $Section; Title = $Title; Time = (Get-Date).ToString('o') }
    try {
        if (Test-Path -LiteralPath $PcmigProgress) {
            $full = (Get-Item -LiteralPath $PcmigProgress).FullName
            $bytes = [System.IO.File]::ReadAllBytes($full)
            if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }
        }
        $row | Export-Csv -LiteralPath $PcmigProgress -Append -NoTypeInformation -Encoding UTF8
    } catch {
        throw ('STOPPED. {0} ran, but the progress file {1} could not record it ({2}). A new run of this script would run it again. Close the file (Excel locks a CSV it has open) or make it writable, and add this line to it (a new file starts with the line "Runbook","Section","Title","Time"): {3}' -f $Title, $PcmigProgress, $_.Exception.GetBaseException().Message, (@($row | ConvertTo-Csv -NoTypeInformation) | Select-Object -Last 1))
    }
}
# Before any step runs, the progress file must be writable: a step that ran but could not be
# recorded would run again on the next run of the script. The file is opened for appending and
# closed again (a file the check creates is removed, so that the first record writes its header).
$PcmigProgressPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PcmigProgress)
$PcmigProgressNew = -not (Test-Path -LiteralPath $PcmigProgressPath)
try {
    $stream = [System.IO.File]::Open($PcmigProgressPath, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write)
    $stream.Close()
} catch {
    throw ('No step was run: the progress file {0} cannot be written ({1}). Close it if it is open (Excel locks a CSV it has open) or make the file and its folder writable, then run the script again.' -f $PcmigProgressPath, $_.Exception.GetBaseException().Message)
}
if ($PcmigProgressNew) { [System.IO.File]::Delete($PcmigProgressPath) }

# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).
$MoveReport1 = Join-Path -Path $PcmigDir -ChildPath 'move-users-1-to-fe19.contoso.com.csv'
foreach ($report in @($MoveReport1)) {
    $folder = Split-Path -Path $report -Parent
    if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }
}
$PcmigMoveFailures = 0

# Moves each user on its own: a failure is reported and the batch goes on. A user whose home pool
# (Get-CsUser's RegistrarPool) is already the target is reported as Already and not moved again;
# when Get-CsUser cannot say, Move-CsUser is tried and reports for itself.
function Move-PcmigUserBatch {
    param(
        [Parameter(Mandatory = $true)][string]$Report,
        [Parameter(Mandatory = $true)][string]$Target,
        [Parameter(Mandatory = $true)][string[]]$Users
    )
    $moved = 0
    $already = 0
    $failed = 0
    foreach ($sip in $Users) {
        try {
            $pool = $null
            try { $pool = [string](Get-CsUser -Identity $sip).RegistrarPool } catch { $pool = $null }
            if ($pool -and $pool -eq $Target) {
                $status = 'Already'
                $message = ''
                $already++
            } else {
                Move-CsUser -Identity $sip -Target $Target -MoveConferenceData -Confirm:$false
                $status = 'Moved'
                $message = ''
                $moved++
            }
        } catch {
            $status = 'Failed'
            $message = $_.Exception.Message
            $failed++
            Write-Warning ('{0}: {1}' -f $sip, $message)
        }
        [pscustomobject]@{
            SipAddress = $sip
            Target     = $Target
            Status     = $status
            Error      = $message
            Time       = (Get-Date).ToString('o')
        } | Export-Csv -LiteralPath $Report -Append -NoTypeInformation -Encoding UTF8
    }
    $script:PcmigMoveFailures += $failed
    Write-Host ('{0} moved, {1} already there, {2} failed; report: {3}' -f $moved, $already, $failed, $Report)
}

# Add-PcmigCategoryCreators adds to a category the creators it does not have yet, so that a second
# run adds nothing (whether Set-CsPersistentChatCategory accepts an Add of a creator the category
# already has is not documented, and pcmig has written these creators to the database already).
# Without -AsObject, Get-CsPersistentChatCategory shows the Creators as SIP addresses; whether with
# the sip: prefix is not documented, so both sides are compared without it.
function Add-PcmigCategoryCreators {
    param(
        [Parameter(Mandatory = $true)][string]$Identity,
        [Parameter(Mandatory = $true)][string[]]$Creators
    )
    $category = Get-CsPersistentChatCategory -Identity $Identity
    if (-not $category) { throw ('no category {0}' -f $Identity) }
    if (-not ($category.PSObject.Properties.Name -contains 'Creators')) {
        throw ('Get-CsPersistentChatCategory shows no Creators property for {0}: add the creators by hand' -f $Identity)
    }
    $have = @($category.Creators | Where-Object { $_ } | ForEach-Object { ([string]$_) -replace '^sip:', '' })
    $add = @($Creators | Where-Object { $have -notcontains ($_ -replace '^sip:', '') })
    if ($add.Count -eq 0) {
        Write-Host ('{0}: its {1} creator(s) are there already' -f $Identity, $Creators.Count)
        return
    }
    Set-CsPersistentChatCategory -Identity $Identity -Creators @{Add=$add}
    Write-Host ('{0}: {1} creator(s) added, {2} there already' -f $Identity, $add.Count, ($Creators.Count - $add.Count))
}

# Get-PcmigStoreFiles lists the files of a file store: every one (.NET's GetFiles lists hidden and
# system files too, as robocopy copies them; Get-ChildItem leaves them out unless forced), or with
# -Scoped those of the paths -Only lists (relative to -Root, folders and a file name, no ..) that
# are files of the store.
function Get-PcmigStoreFiles {
    param([Parameter(Mandatory)][string]$Root, [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)
    $dir = New-Object System.IO.DirectoryInfo $Root
    if (-not $Scoped) { return @($dir.GetFiles('*', [System.IO.SearchOption]::AllDirectories)) }
    $found = New-Object 'System.Collections.Generic.List[System.IO.FileInfo]'
    foreach ($rel in @($Only)) {
        $f = New-Object System.IO.FileInfo ([System.IO.Path]::Combine($dir.FullName, $rel))
        if ($f.Exists) { $found.Add($f) }
    }
    return $found.ToArray()
}

# Resolve-PcmigFileStore finds a Persistent Chat pool's file store share from the topology:
# the PersistentChatServer service of the pool, its FileStore dependency, that service's UncPath.
# Get-CsService -PersistentChatServer and -FileStore are documented switches; the PoolFqdn,
# FileStore and UncPath property names are not in pcmig's reference and are checked here.
function Resolve-PcmigFileStore {
    param([Parameter(Mandatory)][string]$PoolFqdn)
    $all = @(Get-CsService -PersistentChatServer)
    if ($all.Count -gt 0 -and -not ($all[0].PSObject.Properties.Name -contains 'PoolFqdn')) {
        throw ('Get-CsService shows no PoolFqdn property, so the service of {0} cannot be found: give the share in the estate (file_store)' -f $PoolFqdn)
    }
    $pc = @($all | Where-Object { [string]$_.PoolFqdn -eq $PoolFqdn })
    if ($pc.Count -ne 1) { throw ('no single Persistent Chat service on pool {0}' -f $PoolFqdn) }
    if (-not ($pc[0].PSObject.Properties.Name -contains 'FileStore') -or -not $pc[0].FileStore) {
        throw ('the Persistent Chat service of {0} has no FileStore property: give the share in the estate (file_store)' -f $PoolFqdn)
    }
    $fs = Get-CsService -Identity $pc[0].FileStore
    if (-not $fs.UncPath) { throw ('file store {0} has no UncPath: give the share in the estate (file_store)' -f $pc[0].FileStore) }
    return $fs.UncPath
}

# Test-PcmigFileStoreTarget is the check before the copy. robocopy with /XC /XN /XO writes over no
# file of the new share; but a file the new share already holds under the name of one of the old
# share's with other content (the new pool's own users' upload, another old pool's when several move
# into one, a restored or reused share, a file put there by hand) would stay, and the migrated
# messages would link to it. Every such file is named in a warning, and the script stops before
# anything is copied; pcmig doctor --estate's 'uploaded file names' line names the messages that
# link to each. Files of the same size are compared by SHA-256 (Get-FileHash needs PowerShell 4.0,
# this script 3.0: .NET computes it), so a share restored from the old one passes. Names of the old
# share that differ only by case would be one file in the new share: they stop the script too.
# $Record lists the files this copy found absent from the new share and then created (Source,
# Target, RelativePath), appended before robocopy runs. Such a file whose size or time is not yet
# the old file's (and that is not larger) was left by an interrupted run: it is returned to be
# completed, not reported. A file put at one of those names by someone else after the copy began
# cannot be told from it. A share that keeps times less precisely than NTFS makes every copied file
# look unfinished: each is then copied again, one robocopy at a time (slow, never wrong).
# With -Scoped, only the files -Only lists (paths inside $Source) are looked at: see Get-PcmigStoreFiles.
function Test-PcmigFileStoreTarget {
    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target, [Parameter(Mandatory)][string]$Record,
        [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)
    $srcDir = New-Object System.IO.DirectoryInfo $Source
    $dstDir = New-Object System.IO.DirectoryInfo $Target
    $src = @(Get-PcmigStoreFiles -Root $Source -Only $Only -Scoped:$Scoped)
    if ($Scoped -and $src.Count -lt $Only.Count) {
        if ($src.Count -eq 0) {
            throw ('STOPPED before copying anything: none of the {0} files listed for this pool''s categories is in {1}: this pool''s links do not name the files of its share as pcmig reads them. Nothing was copied. Copy the files of these categories'' rooms by hand.' -f $Only.Count, $Source)
        }
        Write-Warning ('{0} of the {1} files listed for this pool''s categories are not in {2} (removed, or never stored): they are not copied, and messages link to them' -f ($Only.Count - $src.Count), $Only.Count, $Source)
    }
    $dst = @()
    if ($dstDir.Exists) { $dst = @($dstDir.GetFiles('*', [System.IO.SearchOption]::AllDirectories)) }
    # Relative path -> file of the new share (PowerShell's hashtables compare keys
    # case-insensitively, as Windows compares file names).
    $have = @{}
    $dstRoot = $dstDir.FullName.TrimEnd('\').Length
    foreach ($f in $dst) { $have[$f.FullName.Substring($dstRoot).TrimStart('\')] = $f }
    $ours = @{}
    if (Test-Path -LiteralPath $Record) {
        foreach ($row in @(Import-Csv -LiteralPath $Record)) {
            if ($row.Source -eq $Source -and $row.Target -eq $Target) { $ours[[string]$row.RelativePath] = $true }
        }
    }
    $srcRoot = $srcDir.FullName.TrimEnd('\').Length
    $seen = @{}
    $differ = New-Object 'System.Collections.Generic.List[string]'
    $toRecord = New-Object 'System.Collections.Generic.List[string]'
    $unfinished = New-Object 'System.Collections.Generic.List[object]'
    $toCopy = 0; $done = 0; $same = 0
    foreach ($f in $src) {
        $rel = $f.FullName.Substring($srcRoot).TrimStart('\')
        if ($seen.ContainsKey($rel)) {
            $differ.Add(('{0} and {1}: names that differ only by case are one file in the new share' -f $seen[$rel], $rel))
            continue
        }
        $seen[$rel] = $rel
        if (-not $have.ContainsKey($rel)) {
            $toCopy++
            if (-not $ours.ContainsKey($rel)) { $toRecord.Add($rel) }
            continue
        }
        $t = $have[$rel]
        if ($ours.ContainsKey($rel)) {
            if ($t.Length -eq $f.Length -and $t.LastWriteTimeUtc -eq $f.LastWriteTimeUtc) { $done++; continue }
            if ($t.Length -le $f.Length) {
                $unfinished.Add([pscustomobject]@{ Path = $rel; SourceDir = $f.DirectoryName; TargetDir = $t.DirectoryName; Name = $f.Name })
                continue
            }
        }
        if ($t.Length -ne $f.Length) {
            $differ.Add(('{0}: {1} bytes in the new share, {2} in the old' -f $rel, $t.Length, $f.Length))
        } elseif ((Get-PcmigSha256 -Path $t.FullName) -ne (Get-PcmigSha256 -Path $f.FullName)) {
            $differ.Add(('{0}: same size, other content (SHA-256)' -f $rel))
        } else {
            $same++
        }
    }
    if ($differ.Count -gt 0) {
        foreach ($d in $differ) { Write-Warning ('a file of the new share differs: {0}' -f $d) }
        $named = @($differ | Select-Object -First 10) -join '; '
        if ($differ.Count -gt 10) { $named += ('; and {0} more (see the warnings above)' -f ($differ.Count - 10)) }
        throw ('STOPPED before copying anything: {0} files of {1} are in {2} with other content, and would stay there, or be one file: {3}. Nothing was copied and nothing was written over. Find out whose files they are (pcmig doctor --estate names the messages that link to each), then run the script again.' -f $differ.Count, $Source, $Target, $named)
    }
    if ($toRecord.Count -gt 0) {
        # A record cut short by a kill may lack its final line break: end it first, so that what is
        # appended now starts a line of its own.
        if (Test-Path -LiteralPath $Record) {
            $full = (Get-Item -LiteralPath $Record).FullName
            $bytes = [System.IO.File]::ReadAllBytes($full)
            if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }
        }
        $toRecord | ForEach-Object { [pscustomobject]@{ Source = $Source; Target = $Target; RelativePath = $_ } } |
            Export-Csv -LiteralPath $Record -Append -NoTypeInformation -Encoding UTF8
    }
    Write-Host ('Before the copy: {0} files to copy, {1} copied by an earlier run, {2} already in the new share with the same content, {3} begun by an earlier run to complete.' -f $toCopy, $done, $same, $unfinished.Count)
    return $unfinished.ToArray()
}

# Get-PcmigSha256 is the SHA-256 of a file, read through .NET (no wildcards in the path).
function Get-PcmigSha256 {
    param([Parameter(Mandatory)][string]$Path)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $stream = [System.IO.File]::OpenRead($Path)
    try { return [System.BitConverter]::ToString($sha.ComputeHash($stream)) } finally { $stream.Dispose(); $sha.Dispose() }
}

# Assert-PcmigFileStoreCopy compares the two stores: every file of the source must be in the target
# with the same size (the target may hold files of its own). It prints the counts and sizes of
# both, warns for every missing or different file, then throws with their count. Each store is
# listed once: a share of 100,000 files is two listings, not 100,000 round trips.
# With -Scoped, the source's files are those -Only lists that it holds.
function Assert-PcmigFileStoreCopy {
    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target,
        [AllowNull()][AllowEmptyCollection()][string[]]$Only, [switch]$Scoped)
    $src = @(Get-PcmigStoreFiles -Root $Source -Only $Only -Scoped:$Scoped)
    $dst = @((New-Object System.IO.DirectoryInfo $Target).GetFiles('*', [System.IO.SearchOption]::AllDirectories))
    $srcBytes = ($src | Measure-Object -Property Length -Sum).Sum
    $dstBytes = ($dst | Measure-Object -Property Length -Sum).Sum
    Write-Host ('Source: {0} files, {1} bytes. Target: {2} files, {3} bytes.' -f $src.Count, $srcBytes, $dst.Count, $dstBytes)
    # Relative path -> size of every target file (PowerShell's hashtables compare keys
    # case-insensitively, as Windows compares file names).
    $have = @{}
    $dstRoot = (New-Object System.IO.DirectoryInfo $Target).FullName.TrimEnd('\').Length
    foreach ($f in $dst) { $have[$f.FullName.Substring($dstRoot).TrimStart('\')] = $f.Length }
    $srcRoot = (New-Object System.IO.DirectoryInfo $Source).FullName.TrimEnd('\').Length
    $missing = 0
    foreach ($f in $src) {
        $rel = $f.FullName.Substring($srcRoot).TrimStart('\')
        if (-not $have.ContainsKey($rel) -or $have[$rel] -ne $f.Length) {
            Write-Warning ('missing or different in the target: {0}' -f $rel)
            $missing++
        }
    }
    if ($missing -gt 0) { throw ('{0} files of {1} are missing or different in {2}' -f $missing, $Source, $Target) }
    Write-Host 'Every file of the source is in the target with its size.'
}

# Get-PcmigChatEndpoint lists the Persistent Chat endpoints and checks that each has the two
# properties the section reads, SipAddress and PersistentChatPoolFqdn: they are not in pcmig's
# reference, and without them every filter below would match nothing and move nothing, silently.
function Get-PcmigChatEndpoint {
    $all = @(Get-CsPersistentChatEndpoint)
    foreach ($ep in $all) {
        foreach ($name in @('SipAddress', 'PersistentChatPoolFqdn')) {
            if (-not ($ep.PSObject.Properties.Name -contains $name)) {
                throw ('Get-CsPersistentChatEndpoint shows no {0} property for {1}: move the endpoints by hand' -f $name, $ep.Identity)
            }
        }
    }
    return $all
}
# Write-PcmigSettingsChange appends one change to the pool settings report and shows it.
function Write-PcmigSettingsChange {
    param([string]$Kind, [string]$Identity, [string]$Action, [string]$Detail)
    Write-Host ('{0} {1}: {2}' -f $Kind, $Identity, $Action)
    [pscustomobject]@{ Kind = $Kind; Identity = $Identity; Action = $Action; Detail = $Detail; Time = (Get-Date).ToString('o') } |
        Export-Csv -LiteralPath $SettingsReport -Append -NoTypeInformation -Encoding UTF8
}
# Write-PcmigSettingsKept reports a configuration of the new pool left as it is: 'unchanged'
# when the old pool's values are the same, else 'kept' with each value of the old pool that
# differs (and a warning: the old pool's users now get the new pool's value).
function Write-PcmigSettingsKept {
    param([string]$Kind, $Have, [hashtable]$Values)
    $differ = @($Values.Keys | Sort-Object | Where-Object { [string]$Have.$_ -ne [string]$Values[$_] } |
        ForEach-Object { '{0} {1} ({2} has {3})' -f $_, $Have.$_, $OldPool, $Values[$_] })
    if ($differ.Count -eq 0) {
        Write-PcmigSettingsChange $Kind $NewScope 'unchanged' ('the same as {0}''s' -f $OldPool)
        return
    }
    $detail = 'the new pool''s own values kept: ' + ($differ -join ', ')
    Write-Warning ('{0} {1}: {2}' -f $Kind, $NewScope, $detail)
    Write-PcmigSettingsChange $Kind $NewScope 'kept' $detail
}

# ----------------------------------------------------------------------------
# Step 3: copy the uploaded files
# ----------------------------------------------------------------------------
Write-Host 'Step 3: copy the uploaded files'
if (Test-PcmigStepDone 1) {
    Write-Host 'Step 3 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # Uploaded files are not in the database: messages carry ma-filelink: links and the files are in
    # the pool's file store, a file share named in the topology. Export-/Import-CsPersistentChatData do
    # not copy them; Microsoft's Group Chat migration says to copy the whole file folder to the new
    # store (XCOPY). The folder layout inside the share is NOT documented, so the whole share is copied
    # as it is, and nothing inside it is renamed.
    # How a Persistent Chat pool names its file store is documented only as a topology dependency;
    # the Get-CsService property names used below (PoolFqdn, FileStore, UncPath) are NOT in pcmig's reference:
    # the script stops and says so if they are absent. Give the shares in the estate (file_store)
    # to skip the lookup.
    $OldShare = Resolve-PcmigFileStore -PoolFqdn 'pchat15.contoso.com'
    $NewShare = '\\fs19.contoso.com\pchat'
    # robocopy reads a \ before the closing quote that PowerShell puts around a path with a space as
    # an escaped quote: the shares go to it without a trailing \ (a drive root, which has no space, keeps it).
    if ($OldShare -notmatch ':\\$') { $OldShare = $OldShare.TrimEnd('\') }
    if ($NewShare -notmatch ':\\$') { $NewShare = $NewShare.TrimEnd('\') }
    $CopyLog = Join-Path $PcmigDir ('robocopy-file-store-{0:yyyyMMdd-HHmmss}.log' -f (Get-Date))
    $CopyRecord = Join-Path (Split-Path -Parent $CopyLog) 'file-store-copy.csv'
    Write-Host ('Copying {0} to {1} (log: {2})' -f $OldShare, $NewShare, $CopyLog)
    # Nothing of the new share is written over. First Test-PcmigFileStoreTarget compares every file of
    # the old share that the new share already holds (size, then SHA-256): if one differs it stops the
    # script, naming it, before anything is copied. It appends the files the copy will create to
    # $CopyRecord, and returns those an earlier run of this copy created and did not finish.
    $Unfinished = @(Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord)
    # Microsoft documents /Z (restartable mode: an interrupted copy can pick up where it left off rather
    # than copy the whole file again) but NOT what an interrupted copy leaves in the target (its size
    # and time) or whether a later run resumes it: so a half-copied file is found from the record, not
    # from robocopy, and completed by a robocopy of its own, of that one file, without /XC /XN /XO
    # (resumed or copied whole, it is complete afterwards; its size is checked below).
    foreach ($u in $Unfinished) {
        Write-Host ('Completing {0}, which an earlier run of this copy began' -f $u.Path)
        & robocopy.exe $u.SourceDir $u.TargetDir $u.Name /Z /COPY:DAT /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $CopyLog)
        if ($LASTEXITCODE -ge 8) { throw ('robocopy failed with exit code {0} on {1}; see {2}' -f $LASTEXITCODE, $u.Path, $CopyLog) }
    }
    # /E all folders, /Z restartable, /COPY:DAT data, attributes and times, /R /W bounded retries,
    # /NP no progress in the log. /XC /XN /XO: Microsoft documents them as excluding existing files
    # with the same time and another size, and source files newer or older than the destination's;
    # together they leave every file the new share holds as it is, and robocopy copies only the files
    # it lacks. Without /PURGE or /MIR nothing of the new share is deleted (/XX is not needed).
    # robocopy /L would list without copying; its log's layout is not documented, so the check above
    # lists both shares itself. Run the section again after a failure: it copies what is missing.
    & robocopy.exe $OldShare $NewShare /E /Z /COPY:DAT /XC /XN /XO /R:3 /W:10 /NP /TEE ('/LOG+:{0}' -f $CopyLog)
    $RobocopyExit = $LASTEXITCODE
    # robocopy's exit code: Microsoft's table gives 0 (nothing copied), 1 (files copied), 2 (extra files
    # in the target) and 3, 5, 6, 7 (their combinations with mismatches) without a failure, and 8 or more
    # as at least one failure. 4 (mismatches alone) is not in the table: below 8, it passes.
    if ($RobocopyExit -ge 8) { throw ('robocopy failed with exit code {0}; see {1}' -f $RobocopyExit, $CopyLog) }
    Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare
    Complete-PcmigStep 1 'Step 3: copy the uploaded files'
}

# ----------------------------------------------------------------------------
# Step 4: switch the site's default Persistent Chat pool
# ----------------------------------------------------------------------------
Write-Host 'Step 4: switch the site''s default Persistent Chat pool'
if (Test-PcmigStepDone 2) {
    Write-Host 'Step 4 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent
    # Chat pool, then Publish. pcmig's reference documents Set-CsSite -DefaultPersistentChatPool; it is
    # not documented whether the change also needs a Publish of the topology, nor in what form Get-CsSite
    # (not in the reference either) shows the default: check that its output below names the new pool.
    # Topology Builder publishes its whole document: if you publish from it later, download the
    # topology again first, or a document downloaded before this step puts the old default back.
    Set-CsSite -Identity 'site:Red''mond $env:USERNAME ‘‘x’’ `n Ünïcødé' -DefaultPersistentChatPool 'pchat19.contoso.com'
    Get-CsSite -Identity 'site:Red''mond $env:USERNAME ‘‘x’’ `n Ünïcødé' | Format-List Identity, DefaultPersistentChatPool
    # Every site's default. Topology Builder can make one pool the default of every site ("Use this
    # pool as default for all sites"), and the topology document pcmig reads may not show it: a site
    # still on the old pool must be switched too (Set-CsSite as above), or its users lose Persistent
    # Chat when the old pool is removed.
    Get-CsSite | Format-Table Identity, DefaultPersistentChatPool -AutoSize
    Complete-PcmigStep 2 'Step 4: switch the site''s default Persistent Chat pool'
}

# ----------------------------------------------------------------------------
# Step 5: carry the pool's own settings over
# ----------------------------------------------------------------------------
Write-Host 'Step 5: carry the pool''s own settings over'
if (Test-PcmigStepDone 3) {
    Write-Host 'Step 5 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # The pool's own settings live in the Central Management store, not in mgc, and Microsoft's
    # migration procedure does not mention them. This section reads them from the old pool at run
    # time and recreates them for the new one. What pcmig's reference documents:
    #   Set-CsPersistentChatConfiguration: scopes global, site: and service:, parameters
    #     DefaultChatHistory, MaxFileSizeKB, ParticipantUpdateLimit, RoomManagementUrl;
    #   Set-CsPersistentChatComplianceConfiguration: AdapterType, AdapterName, AdapterOutputDirectory,
    #     AddChatRoomDetails, AddUserDetails, CreateFileAttachmentsManifest, CustomConfiguration,
    #     OneChatRoomPerOutputFile, RunInterval;
    #   New-CsPersistentChatEndpoint: -SipAddress and -PersistentChatPoolFqdn.
    # The reference is SILENT on Get-CsPersistentChatConfiguration, New-CsPersistentChatConfiguration,
    # Get-CsPersistentChatComplianceConfiguration, New-CsPersistentChatComplianceConfiguration,
    # Get-CsPersistentChatEndpoint and Remove-CsPersistentChatEndpoint, and on the endpoint's
    # properties (SipAddress and PersistentChatPoolFqdn are read by those names and checked,
    # DisplayName is not carried). Review them with Get-Help before running.
    # An endpoint's SIP address is unique (it belongs to one contact object at a time) and must stay
    # the same, so New-CsPersistentChatEndpoint for the new pool is impossible while the old endpoint
    # exists: each endpoint is removed, then recreated. So that a failed New (the endpoint is then
    # gone from both pools) is not lost, the endpoints to move are recorded in $EndpointsFile before
    # any is removed; a rerun of this section reads it and creates on the new pool every recorded
    # endpoint that is on neither pool any more.
    $OldScope = 'service:PersistentChatServer:pchat15.contoso.com'
    $NewScope = 'service:PersistentChatServer:pchat19.contoso.com'
    $NewPool = 'pchat19.contoso.com'
    $OldPool = 'pchat15.contoso.com'
    # $KeepExisting: true keeps the configurations the new pool has (another pool moved into it first).
    $KeepExisting = $false
    $SettingsReport = Join-Path $PcmigDir ('pool-settings-{0:yyyyMMdd-HHmmss}.csv' -f (Get-Date))
    
    # Persistent Chat configuration at the old pool's service scope.
    $cfg = Get-CsPersistentChatConfiguration -Identity $OldScope -ErrorAction SilentlyContinue
    if ($cfg) {
        $values = @{ DefaultChatHistory = $cfg.DefaultChatHistory; MaxFileSizeKB = $cfg.MaxFileSizeKB
                     ParticipantUpdateLimit = $cfg.ParticipantUpdateLimit; RoomManagementUrl = $cfg.RoomManagementUrl }
        $have = Get-CsPersistentChatConfiguration -Identity $NewScope -ErrorAction SilentlyContinue
        if ($have -and $KeepExisting) {
            Write-PcmigSettingsKept 'configuration' $have $values
        } elseif ($have) {
            Set-CsPersistentChatConfiguration -Identity $NewScope @values
            Write-PcmigSettingsChange 'configuration' $NewScope 'update' ($values | Out-String).Trim()
        } else {
            New-CsPersistentChatConfiguration -Identity $NewScope @values | Out-Null
            Write-PcmigSettingsChange 'configuration' $NewScope 'create' ($values | Out-String).Trim()
        }
    } else {
        Write-PcmigSettingsChange 'configuration' $OldScope 'none' 'the old pool has no service-scope configuration: site and global settings apply'
    }
    
    # Compliance configuration at the old pool's service scope.
    $cmp = Get-CsPersistentChatComplianceConfiguration -Identity $OldScope -ErrorAction SilentlyContinue
    if ($cmp) {
        $values = @{ AdapterType = $cmp.AdapterType; AdapterName = $cmp.AdapterName; AdapterOutputDirectory = $cmp.AdapterOutputDirectory
                     AddChatRoomDetails = $cmp.AddChatRoomDetails; AddUserDetails = $cmp.AddUserDetails
                     CreateFileAttachmentsManifest = $cmp.CreateFileAttachmentsManifest; CustomConfiguration = $cmp.CustomConfiguration
                     OneChatRoomPerOutputFile = $cmp.OneChatRoomPerOutputFile; RunInterval = $cmp.RunInterval }
        $have = Get-CsPersistentChatComplianceConfiguration -Identity $NewScope -ErrorAction SilentlyContinue
        if ($have -and $KeepExisting) {
            Write-PcmigSettingsKept 'compliance' $have $values
        } elseif ($have) {
            Set-CsPersistentChatComplianceConfiguration -Identity $NewScope @values
            Write-PcmigSettingsChange 'compliance' $NewScope 'update' ('AdapterType ' + $cmp.AdapterType)
        } else {
            New-CsPersistentChatComplianceConfiguration -Identity $NewScope @values | Out-Null
            Write-PcmigSettingsChange 'compliance' $NewScope 'create' ('AdapterType ' + $cmp.AdapterType)
        }
    } else {
        Write-PcmigSettingsChange 'compliance' $OldScope 'none' 'the old pool has no service-scope compliance configuration'
    }
    
    # Endpoints of the old pool, recreated for the new pool with the same SIP address. First the
    # record: the old pool's endpoints that an earlier run has not recorded are appended to it
    # before anything changes (appending never rewrites what an earlier run recorded). The
    # endpoints to move are those on the old pool and the recorded ones.
    $EndpointsFile = Join-Path (Split-Path -Parent $SettingsReport) 'pool-settings-endpoints.csv'
    $recorded = @()
    if (Test-Path -LiteralPath $EndpointsFile) {
        $recorded = @(Import-Csv -LiteralPath $EndpointsFile | Where-Object { $_.OldPool -eq $OldPool -and $_.NewPool -eq $NewPool } | ForEach-Object { $_.SipAddress })
    }
    $onOld = @(Get-PcmigChatEndpoint | Where-Object { [string]$_.PersistentChatPoolFqdn -eq $OldPool } | ForEach-Object { [string]$_.SipAddress })
    $unrecorded = @($onOld | Where-Object { $recorded -notcontains $_ })
    if ($unrecorded.Count -gt 0) {
        # A record cut short by a kill may lack its final line break: end it first, so that what
        # is appended now starts a line of its own (a row cut short is then read with a wrong
        # NewPool and left out, while its endpoint is still on the old pool).
        if (Test-Path -LiteralPath $EndpointsFile) {
            $full = (Get-Item -LiteralPath $EndpointsFile).FullName
            $bytes = [System.IO.File]::ReadAllBytes($full)
            if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }
        }
        $unrecorded | ForEach-Object { [pscustomobject]@{ SipAddress = $_; OldPool = $OldPool; NewPool = $NewPool } } |
            Export-Csv -LiteralPath $EndpointsFile -Append -NoTypeInformation -Encoding UTF8
    }
    $moving = @($recorded + $onOld | Sort-Object -Unique)
    foreach ($sip in $moving) {
        $ep = Get-PcmigChatEndpoint | Where-Object { [string]$_.SipAddress -eq $sip } | Select-Object -First 1
        if ($ep -and [string]$ep.PersistentChatPoolFqdn -eq $NewPool) {
            Write-PcmigSettingsChange 'endpoint' $sip 'none' ('already on {0}' -f $NewPool)
            continue
        }
        if ($ep -and [string]$ep.PersistentChatPoolFqdn -ne $OldPool) {
            Write-PcmigSettingsChange 'endpoint' $sip 'none' ('now on {0}, not {1}: left alone' -f $ep.PersistentChatPoolFqdn, $OldPool)
            continue
        }
        if (-not $ep) {
            Write-PcmigSettingsChange 'endpoint' $sip 'resume' ('recorded by an earlier run and on neither pool: created on {0}' -f $NewPool)
        } else {
            Remove-CsPersistentChatEndpoint -Identity $ep.Identity -Confirm:$false
        }
        New-CsPersistentChatEndpoint -SipAddress $sip -PersistentChatPoolFqdn $NewPool | Out-Null
        Write-PcmigSettingsChange 'endpoint' $sip 'move' ('from {0} to {1}, SIP address kept' -f $OldPool, $NewPool)
    }
    Write-Host ('Pool settings carried over; report: {0}' -f $SettingsReport)
    Complete-PcmigStep 3 'Step 5: carry the pool''s own settings over'
}

# ----------------------------------------------------------------------------
# Step 7: move the users to the target pool
# ----------------------------------------------------------------------------
Write-Host 'Step 7: move the users to the target pool'
if (Test-PcmigStepDone 4) {
    Write-Host 'Step 7 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    $PcmigMoveFailures = 0
    # Move 58 user(s) to fe19.contoso.com in 2 batch(es) of up to 50. Each result is appended to $MoveReport1.
    Write-Host 'Batch 1 of 2: 50 user(s) to fe19.contoso.com'
    Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
        'sip:pcadmin@contoso.com'
        'sip:zoe.angstrom@contoso.com'
        'sip:jose.nunez@contoso.com'
        'sip:lukasz.zolc@contoso.com'
        'sip:taro.tanaka@contoso.com'
        'sip:siobhan.oconnor@contoso.com'
        'sip:emma.kowalski@contoso.com'
        'sip:bruno.novak@contoso.com'
        'sip:noah.obrien@contoso.com'
        'sip:chen.overgaard@contoso.com'
        'sip:zoltan.dubois@contoso.com'
        'sip:chen.patel@contoso.com'
        'sip:tomas.smith@contoso.com'
        'sip:ingrid.overgaard@contoso.com'
        'sip:fatima.keller@contoso.com'
        'sip:dmitri.dvorak@contoso.com'
        'sip:uma.schafer@contoso.com'
        'sip:fatima.garcia@contoso.com'
        'sip:xavier.nilsson@contoso.com'
        'sip:agnieszka.dvorak@contoso.com'
        'sip:jamal.yilmaz@contoso.com'
        'sip:yara.garcia@contoso.com'
        'sip:xavier.overgaard@contoso.com'
        'sip:victor.schafer@contoso.com'
        'sip:chloe.wojcik@contoso.com'
        'sip:zoltan.smith@contoso.com'
        'sip:laura.schafer@contoso.com'
        'sip:chen.johnson@contoso.com'
        'sip:maelle.yilmaz@contoso.com'
        'sip:soren.garcia@contoso.com'
        'sip:oguz.novak@contoso.com'
        'sip:ana.patel@contoso.com'
        'sip:dmitri.lefevre@contoso.com'
        'sip:hannah.muller@contoso.com'
        'sip:soren.yilmaz@contoso.com'
        'sip:hannah.andersson@contoso.com'
        'sip:rosa.keller@contoso.com'
        'sip:francois.kim@contoso.com'
        'sip:dmitri.fernandez@contoso.com'
        'sip:chloe.rossi@contoso.com'
        'sip:maelle.andersson@contoso.com'
        'sip:uma.nakamura@contoso.com'
        'sip:sven.schafer@contoso.com'
        'sip:mei.nakamura@contoso.com'
        'sip:francois.nakamura@contoso.com'
        'sip:zoltan.silva@contoso.com'
        'sip:xavier.kim@contoso.com'
        'sip:giulia.horvath@contoso.com'
        'sip:uma.garcia@contoso.com'
        'sip:xavier.kim2@contoso.com'
    )
    Write-Host 'Batch 2 of 2: 8 user(s) to fe19.contoso.com'
    Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
        'sip:chloe.nilsson@contoso.com'
        'sip:zoltan.rossi@contoso.com'
        'sip:oguz.brown@contoso.com'
        'sip:francois.lefevre@contoso.com'
        'sip:rosa.fernandez@contoso.com'
        'sip:laura.kim@contoso.com'
        'sip:mateo.novak@contoso.com'
        'sip:o''brien$x`ü’’@contoso.com'
    )
    if ($PcmigMoveFailures -eq 0) {
        Complete-PcmigStep 4 'Step 7: move the users to the target pool'
    } else {
        Write-Warning ('{0} user move(s) failed, so this step is not recorded as finished: fix the cause and run the script again (users already on the target are not moved again).' -f $PcmigMoveFailures)
    }
}

# ----------------------------------------------------------------------------
# Step 8: carry the category creators over
# ----------------------------------------------------------------------------
Write-Host 'Step 8: carry the category creators over'
if (Test-PcmigStepDone 5) {
    Write-Host 'Step 8 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\Finance: add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Finance' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\Människor & Kultur: add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Människor & Kultur' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\Ops ‘Q’ $(Get-Date) `x & "Ü": add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Ops ‘‘Q’’ $(Get-Date) `x & "Ü"' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\Sales: add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Sales' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\Support: add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Support' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    # pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.
    # Category pchat19.contoso.com\東京オフィス: add 1 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\東京オフィス' -Creators @(
        'sip:pcadmin@contoso.com'
    )
    Complete-PcmigStep 5 'Step 8: carry the category creators over'
}

Write-Host 'Runbook finished.'
