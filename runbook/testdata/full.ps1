# ============================================================================
# Persistent Chat migration runbook: the changes that must be made with
# supported Skype for Business Server cmdlets, not in SQL.
#
# Estate:    Contoso lab
# Generated: 2026-03-01T12:00:00Z by pcmig 0.1.0-test
#
# REVIEW EVERY COMMAND BEFORE RUNNING THIS SCRIPT.
# Run it in the Skype for Business Server Management Shell as a member of
# RTCUniversalServerAdmins; the Persistent Chat cmdlets also need
# CsPersistentChatAdministrator.
# The script stops at the first error, except that each user move is tried
# on its own and recorded in a per-user CSV report.
# Encoding: UTF-8 with byte order mark, CRLF line endings.
# ============================================================================
# Plan: contoso.plan.json
# Steps 1 and 2 use the cmdlet route instead of pcmig's SQL import.

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
$PcmigRunbook = '835516f7d7901736'
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

# The cmdlet route: Export-/Import-CsPersistentChatData do what pcmig's own export and import
# steps do, and pcmig's run imports whether or not this runbook holds them. Running both would
# import the archive a second time, overwriting the same-named categories and rooms pcmig
# imported. Set $true only if pcmig did not import (for example, its run was a dry run) and you
# use Microsoft's cmdlets instead.
$PcmigUseCmdletRoute = $false

# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).
$MoveReport1 = Join-Path -Path 'D:\pcmig\reports' -ChildPath 'move-users-1-to-fe19.contoso.com.csv'
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

# ----------------------------------------------------------------------------
# Step 1: Export Persistent Chat data from the 2015 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 1: Export Persistent Chat data from the 2015 pool'
if (Test-PcmigStepDone 1) {
    Write-Host 'Step 1 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} elseif (-not $PcmigUseCmdletRoute) {
    Write-Host 'Step 1 skipped: the cmdlet route is off ($PcmigUseCmdletRoute at the top of the script).'
} else {
    # Export Persistent Chat data from sql15.contoso.com\pchat.
    # -Scope limits the export to these categories; whether it takes category names (as here) or
    # POOL\CATEGORY identities is not documented: check Get-Help Export-CsPersistentChatData -Parameter Scope.
    # -StartDate is documented as valid only with -Level RoomDirectory (probably meant: Content);
    # check Get-Help Export-CsPersistentChatData -Parameter StartDate with the level used here.
    Export-CsPersistentChatData -DBInstance 'sql15.contoso.com\pchat' -DBName 'mgc' -FileName 'D:\pcmig\pchat15.zip' -Level 'All' -Scope @('Sales', 'Support') -StartDate '2025-01-01T00:00:00Z'
    Complete-PcmigStep 1 'Step 1: Export Persistent Chat data from the 2015 pool'
}

# ----------------------------------------------------------------------------
# Step 2: Import into the 2019 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 2: Import into the 2019 pool'
if (Test-PcmigStepDone 2) {
    Write-Host 'Step 2 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} elseif (-not $PcmigUseCmdletRoute) {
    Write-Host 'Step 2 skipped: the cmdlet route is off ($PcmigUseCmdletRoute at the top of the script).'
} else {
    # Import into sql19.contoso.com\pchat. The import overwrites same-named categories, rooms and
    # add-ins in the target: back up its mgc database first.
    # -Confirm:$false answers the cmdlet's confirmation (the reference lists -Confirm), so that an
    # unattended run cannot wait at a prompt. Microsoft's Group Chat migration runs the import with
    # -WhatIf first and fixes its errors and warnings: run this line with -WhatIf to do the same.
    Import-CsPersistentChatData -DBInstance 'sql19.contoso.com\pchat' -FileName 'D:\pcmig\pchat15.zip' -Confirm:$false
    Complete-PcmigStep 2 'Step 2: Import into the 2019 pool'
}

# ----------------------------------------------------------------------------
# Step 3: Switch the site's default Persistent Chat pool
# ----------------------------------------------------------------------------
Write-Host 'Step 3: Switch the site''s default Persistent Chat pool'
if (Test-PcmigStepDone 3) {
    Write-Host 'Step 3 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent
    # Chat pool, then Publish. pcmig's reference documents Set-CsSite -DefaultPersistentChatPool; it is
    # not documented whether the change also needs a Publish of the topology, nor in what form Get-CsSite
    # (not in the reference either) shows the default: check that its output below names the new pool.
    # Topology Builder publishes its whole document: if you publish from it later, download the
    # topology again first, or a document downloaded before this step puts the old default back.
    Set-CsSite -Identity 'site:Redmond' -DefaultPersistentChatPool 'pchat19.contoso.com'
    Get-CsSite -Identity 'site:Redmond' | Format-List Identity, DefaultPersistentChatPool
    # Every site's default. Topology Builder can make one pool the default of every site ("Use this
    # pool as default for all sites"), and the topology document pcmig reads may not show it: a site
    # still on the old pool must be switched too (Set-CsSite as above), or its users lose Persistent
    # Chat when the old pool is removed.
    Get-CsSite | Format-Table Identity, DefaultPersistentChatPool -AutoSize
    Complete-PcmigStep 3 'Step 3: Switch the site''s default Persistent Chat pool'
}

# ----------------------------------------------------------------------------
# Step 4: Check for duplicate categories
# ----------------------------------------------------------------------------
Write-Host 'Step 4: Check for duplicate categories'
# Nothing to do in this step.

# ----------------------------------------------------------------------------
# Step 5: Move users from the 2015 pool to the 2019 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 5: Move users from the 2015 pool to the 2019 pool'
if (Test-PcmigStepDone 5) {
    Write-Host 'Step 5 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    $PcmigMoveFailures = 0
    # Move 5 user(s) to fe19.contoso.com in 3 batch(es) of up to 2. Each result is appended to $MoveReport1.
    Write-Host 'Batch 1 of 3: 2 user(s) to fe19.contoso.com'
    Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
        'sip:ann@contoso.com'
        'sip:bob@contoso.com'
    )
    Write-Host 'Batch 2 of 3: 2 user(s) to fe19.contoso.com'
    Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
        'sip:cem@contoso.com'
        'sip:dan@contoso.com'
    )
    Write-Host 'Batch 3 of 3: 1 user(s) to fe19.contoso.com'
    Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
        'sip:eve@contoso.com'
    )
    # Users homed elsewhere are not moved.
    # No users to move to fe19.contoso.com.
    if ($PcmigMoveFailures -eq 0) {
        Complete-PcmigStep 5 'Step 5: Move users from the 2015 pool to the 2019 pool'
    } else {
        Write-Warning ('{0} user move(s) failed, so this step is not recorded as finished: fix the cause and run the script again (users already on the target are not moved again).' -f $PcmigMoveFailures)
    }
}

# ----------------------------------------------------------------------------
# Step 6: Add creators to the imported categories
# ----------------------------------------------------------------------------
Write-Host 'Step 6: Add creators to the imported categories'
if (Test-PcmigStepDone 6) {
    Write-Host 'Step 6 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.'
} else {
    # Category pchat19.contoso.com\Sales: add 2 creator(s). Creators must be within the category's AllowedMembers.
    Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Sales' -Creators @(
        'sip:ann@contoso.com'
        'sip:bob@contoso.com'
    )
    # No creators to add to category pchat19.contoso.com\Support.
    Complete-PcmigStep 6 'Step 6: Add creators to the imported categories'
}

Write-Host 'Runbook finished.'
