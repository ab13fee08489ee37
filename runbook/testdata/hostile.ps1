# ============================================================================
# Persistent Chat migration runbook: the changes that must be made with
# supported Skype for Business Server cmdlets, not in SQL.
#
# Estate:    O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` 
# Generated: 2026-03-01T12:00:00Z by O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` 
#
# REVIEW EVERY COMMAND BEFORE RUNNING THIS SCRIPT.
# Run it in the Skype for Business Server Management Shell as a member of
# RTCUniversalServerAdmins; the Persistent Chat cmdlets also need
# CsPersistentChatAdministrator.
# The script stops at the first error, except that each user move is tried
# on its own and recorded in a per-user CSV report.
# Encoding: UTF-8 with byte order mark, CRLF line endings.
# ============================================================================
# O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line
# break; Remove-Item C:\ -Recurse | cr\rlf
# # not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` `

#Requires -Version 3.0

$ErrorActionPreference = 'Stop'

# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
$MoveReport1 = Join-Path -Path 'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -ChildPath 'move-users-1-to-fe19.contoso.com.csv'
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
# Step 1: O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` 
# ----------------------------------------------------------------------------
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
Write-Host 'Step 1: O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` '
# Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent Chat pool.
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
Set-CsSite -Identity 'site:O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -DefaultPersistentChatPool 'pchat19.contoso.com'
Get-CsSite -Identity 'site:O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' | Format-List Identity, DefaultPersistentChatPool
# Category pchat19.contoso.com\O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` : add 2 creator(s). Creators must be within the category's AllowedMembers.
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -Creators @{Add=@(
    'sip:o''brien@contoso.com'
    # NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
    'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` '
)}
# Export Persistent Chat data from O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` .
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
Export-CsPersistentChatData -DBInstance 'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -FileName 'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -Scope @('O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ', '’’')
# Import into O'Brien's $(Remove-Item C:\) `"team`" | ‘typographic’ ‚low‛ quotes''’‘ | ' | '' | ’ | trailing quote' | 'leading | line\nbreak; Remove-Item C:\ -Recurse | cr\rlf\r\n# not a comment | sep\u2028line\u2029para\u0085nel\u000Bvt\u000Cfeed | Ünïcødé 日本語 😀 | bidi \u202Eevil\u202C zero\u200Bwidth | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` . The import overwrites same-named categories, rooms and
# add-ins in the target: back up its mgc database first.
# NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
Import-CsPersistentChatData -DBInstance 'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ' -FileName 'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` '
# Move 2 user(s) to fe19.contoso.com in 2 batch(es) of up to 1. Each result is appended to $MoveReport1.
Write-Host 'Batch 1 of 2: 1 user(s) to fe19.contoso.com'
Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
    'sip:o''brien@contoso.com'
)
Write-Host 'Batch 2 of 2: 1 user(s) to fe19.contoso.com'
Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(
    # NOTE: a value below contains line breaks or invisible characters (U+000A, U+000D, U+2028, U+2029, U+0085, U+000B, U+000C, U+202E, U+202C, U+200B); the quoted text is exact, check it carefully.
    'O''Brien''s $(Remove-Item C:\) `"team`" | ‘‘typographic’’ ‚‚low‛‛ quotes''''’’‘‘ | '' | '''' | ’’ | trailing quote'' | ''leading | line
break; Remove-Item C:\ -Recurse | crlf
# not a comment | sep line paranelvtfeed | Ünïcødé 日本語 😀 | bidi ‮evil‬ zero​width | $env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` '
)

Write-Host 'Runbook finished.'
