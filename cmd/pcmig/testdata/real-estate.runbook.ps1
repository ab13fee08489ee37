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

# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).
$MoveReport1 = Join-Path -Path $PSScriptRoot -ChildPath 'move-users-1-to-fe19.contoso.com.csv'
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
        } | Export-Csv -Path $Report -Append -NoTypeInformation -Encoding UTF8
    }
    Write-Host ('{0} moved, {1} failed; report: {2}' -f $moved, $failed, $Report)
}

# ----------------------------------------------------------------------------
# Step 3: switch the site's default Persistent Chat pool
# ----------------------------------------------------------------------------
Write-Host 'Step 3: switch the site''s default Persistent Chat pool'
# Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent Chat pool.
Set-CsSite -Identity 'site:Red''mond $env:USERNAME ‘‘x’’ `n Ünïcødé' -DefaultPersistentChatPool 'pchat19.contoso.com'
Get-CsSite -Identity 'site:Red''mond $env:USERNAME ‘‘x’’ `n Ünïcødé' | Format-List Identity, DefaultPersistentChatPool

# ----------------------------------------------------------------------------
# Step 5: move the users to the target pool
# ----------------------------------------------------------------------------
Write-Host 'Step 5: move the users to the target pool'
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

# ----------------------------------------------------------------------------
# Step 6: carry the category creators over
# ----------------------------------------------------------------------------
Write-Host 'Step 6: carry the category creators over'
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\Finance: add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Finance' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\Människor & Kultur: add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Människor & Kultur' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\Ops ‘Q’ $(Get-Date) `x & "Ü": add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Ops ‘‘Q’’ $(Get-Date) `x & "Ü"' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\Sales: add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Sales' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\Support: add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\Support' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}
# pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.
# Category pchat19.contoso.com\東京オフィス: add 1 creator(s). Creators must be within the category's AllowedMembers.
Set-CsPersistentChatCategory -Identity 'pchat19.contoso.com\東京オフィス' -Creators @{Add=@(
    'sip:pcadmin@contoso.com'
)}

Write-Host 'Runbook finished.'
