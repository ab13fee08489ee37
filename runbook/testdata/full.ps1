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

# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).
$MoveReport1 = Join-Path -Path 'D:\pcmig\reports' -ChildPath 'move-users-1-to-fe19.contoso.com.csv'
foreach ($report in @($MoveReport1)) {
    $folder = Split-Path -Path $report -Parent
    if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }
}

# Moves each user on its own: a failure is reported and the batch goes on.
function Move-PcmigUserBatch {
    param(
        [Parameter(Mandatory = $true)][string]$Report,
        [Parameter(Mandatory = $true)][string]$Target,
        [Parameter(Mandatory = $true)][string[]]$Users
    )
    $moved = 0
    $failed = 0
    foreach ($sip in $Users) {
        try {
            Move-CsUser -Identity $sip -Target $Target -MoveConferenceData -Confirm:$false
            $status = 'Moved'
            $message = ''
            $moved++
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
    Write-Host ('{0} moved, {1} failed; report: {2}' -f $moved, $failed, $Report)
}

# ----------------------------------------------------------------------------
# Step 1: Export Persistent Chat data from the 2015 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 1: Export Persistent Chat data from the 2015 pool'
# Export Persistent Chat data from sql15.contoso.com\pchat.
Export-CsPersistentChatData -DBInstance 'sql15.contoso.com\pchat' -DBName 'mgc' -FileName 'D:\pcmig\pchat15.zip' -Level 'All' -Scope @('Sales', 'Support') -StartDate '2025-01-01T00:00:00Z'

# ----------------------------------------------------------------------------
# Step 2: Import into the 2019 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 2: Import into the 2019 pool'
# Import into sql19.contoso.com\pchat. The import overwrites same-named categories, rooms and
# add-ins in the target: back up its mgc database first.
Import-CsPersistentChatData -DBInstance 'sql19.contoso.com\pchat' -FileName 'D:\pcmig\pchat15.zip'

# ----------------------------------------------------------------------------
# Step 3: Switch the site's default Persistent Chat pool
# ----------------------------------------------------------------------------
Write-Host 'Step 3: Switch the site''s default Persistent Chat pool'
# Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent Chat pool.
Set-CsSite -Identity 'site:Redmond' -DefaultPersistentChatPool 'pchat19.contoso.com'
Get-CsSite -Identity 'site:Redmond' | Format-List Identity, DefaultPersistentChatPool

# ----------------------------------------------------------------------------
# Step 4: Check for duplicate categories
# ----------------------------------------------------------------------------
Write-Host 'Step 4: Check for duplicate categories'
# Nothing to do in this step.

# ----------------------------------------------------------------------------
# Step 5: Move users from the 2015 pool to the 2019 pool
# ----------------------------------------------------------------------------
Write-Host 'Step 5: Move users from the 2015 pool to the 2019 pool'
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

# ----------------------------------------------------------------------------
# Step 6: Add creators to the imported categories
# ----------------------------------------------------------------------------
Write-Host 'Step 6: Add creators to the imported categories'
# Category pchat19.contoso.com\Sales: add 2 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Sales' -Creators @{Add=@(
    'sip:ann@contoso.com'
    'sip:bob@contoso.com'
)}
# No creators to add to category pchat19.contoso.com\Support.

Write-Host 'Runbook finished.'
