package runbook

import (
	"fmt"

	"github.com/pcmig/pcmig/fqdn"
)

// CarryPoolSettings adds the section that gives the new pool the old
// pool's own settings, read at run time: the Persistent Chat configuration
// and the compliance configuration at the old pool's service scope, and
// the Persistent Chat endpoints that point at the old pool, recreated for
// the new pool with the same SIP address. Every change is written to a CSV
// report beside the script (Kind, Identity, Action, Detail, Time). The
// endpoints to move are recorded in pool-settings-endpoints.csv there
// before any is removed, so that a rerun after a failed New (the endpoint
// then on neither pool) creates it on the new pool.
func (r *Runbook) CarryPoolSettings(oldPool, newPool, reportDir string) (err error) {
	defer r.logged(&err, Op{Op: "settings", Args: []string{oldPool, newPool, reportDir}})
	return r.carrySettings(oldPool, newPool, reportDir, false)
}

// CarryPoolSettingsKeeping is CarryPoolSettings for a pool that is not the
// first to move into the new one (several pools into one): a configuration
// or compliance configuration the new pool already has at its service
// scope when the section runs is kept, and each of the old pool's values
// that differs is written to the report ("kept") and shown as a warning;
// one the new pool lacks is created; the endpoints move the same way.
func (r *Runbook) CarryPoolSettingsKeeping(oldPool, newPool, reportDir string) (err error) {
	defer r.logged(&err, Op{Op: "settings", Args: []string{oldPool, newPool, reportDir, keepExisting}})
	return r.carrySettings(oldPool, newPool, reportDir, true)
}

// keepExisting marks a CarryPoolSettingsKeeping call in its Op.
const keepExisting = "keep"

// CarryPoolSettingsLeavingEndpoints is CarryPoolSettings without the
// endpoints, which stay on the old pool for the runbook of successor's
// estate to move (one source's categories routed to several pools: an
// endpoint's SIP address belongs to one pool, and legacy clients reach one
// pool through it). The section says so; it reads no endpoint.
func (r *Runbook) CarryPoolSettingsLeavingEndpoints(oldPool, newPool, reportDir, successor string) (err error) {
	defer r.logged(&err, Op{Op: "settings-no-endpoints", Args: []string{oldPool, newPool, reportDir, successor}})
	if !fqdn.Valid(successor) {
		return fmt.Errorf("runbook: CarryPoolSettings: pool %q is not an FQDN", successor)
	}
	return r.carrySettingsOf(oldPool, newPool, reportDir, false, successor)
}

func (r *Runbook) carrySettings(oldPool, newPool, reportDir string, keep bool) error {
	return r.carrySettingsOf(oldPool, newPool, reportDir, keep, "")
}

// carrySettingsOf writes the section; the endpoints move unless leaveTo
// names the pool whose estate moves them.
func (r *Runbook) carrySettingsOf(oldPool, newPool, reportDir string, keep bool, leaveTo string) error {
	for _, p := range []string{oldPool, newPool} {
		if !fqdn.Valid(p) {
			return fmt.Errorf("runbook: CarryPoolSettings: pool %q is not an FQDN", p)
		}
	}
	if err := checkUTF8("CarryPoolSettings", "the report folder", reportDir); err != nil {
		return err
	}
	if _, err := r.current(); err != nil {
		return err
	}
	oldID, newID := "service:PersistentChatServer:"+oldPool, "service:PersistentChatServer:"+newPool
	lines := []string{
		"# The pool's own settings live in the Central Management store, not in mgc, and Microsoft's",
		"# migration procedure does not mention them. This section reads them from the old pool at run",
		"# time and recreates them for the new one. What pcmig's reference documents:",
		"#   Set-CsPersistentChatConfiguration: scopes global, site: and service:, parameters",
		"#     DefaultChatHistory, MaxFileSizeKB, ParticipantUpdateLimit, RoomManagementUrl;",
		"#   Set-CsPersistentChatComplianceConfiguration: AdapterType, AdapterName, AdapterOutputDirectory,",
		"#     AddChatRoomDetails, AddUserDetails, CreateFileAttachmentsManifest, CustomConfiguration,",
		"#     OneChatRoomPerOutputFile, RunInterval;",
		"#   New-CsPersistentChatEndpoint: -SipAddress and -PersistentChatPoolFqdn.",
		"# The reference is SILENT on Get-CsPersistentChatConfiguration, New-CsPersistentChatConfiguration,",
		"# Get-CsPersistentChatComplianceConfiguration, New-CsPersistentChatComplianceConfiguration,",
		"# Get-CsPersistentChatEndpoint and Remove-CsPersistentChatEndpoint, and on the endpoint's",
		"# properties (SipAddress and PersistentChatPoolFqdn are read by those names and checked,",
		"# DisplayName is not carried). Review them with Get-Help before running.",
		"# An endpoint's SIP address is unique (it belongs to one contact object at a time) and must stay",
		"# the same, so New-CsPersistentChatEndpoint for the new pool is impossible while the old endpoint",
		"# exists: each endpoint is removed, then recreated. So that a failed New (the endpoint is then",
		"# gone from both pools) is not lost, the endpoints to move are recorded in $EndpointsFile before",
		"# any is removed; a rerun of this section reads it and creates on the new pool every recorded",
		"# endpoint that is on neither pool any more.",
	}
	if leaveTo != "" {
		// This section moves no endpoint: the lines above on moving them
		// would describe what it does not do.
		lines = append(lines[:len(lines)-6],
			"# Endpoints: this section moves none. The old pool's categories are routed to several pools, and",
			"# an endpoint's SIP address belongs to one pool: they move to "+leaveTo+" with the runbook of its estate.")
	}
	lines = append(lines, valueNote(oldPool, newPool)...)
	lines = append(lines,
		fmt.Sprintf("$OldScope = %s", Quote(oldID)),
		fmt.Sprintf("$NewScope = %s", Quote(newID)),
		fmt.Sprintf("$NewPool = %s", Quote(newPool)),
		fmt.Sprintf("$OldPool = %s", Quote(oldPool)),
		"# $KeepExisting: true keeps the configurations the new pool has (another pool moved into it first).",
		fmt.Sprintf("$KeepExisting = $%t", keep),
		fmt.Sprintf("$SettingsReport = Join-Path %s ('pool-settings-{0:yyyyMMdd-HHmmss}.csv' -f (Get-Date))", logDirExpr(reportDir)),
		"",
		"# Persistent Chat configuration at the old pool's service scope.",
		"$cfg = Get-CsPersistentChatConfiguration -Identity $OldScope -ErrorAction SilentlyContinue",
		"if ($cfg) {",
		"    $values = @{ DefaultChatHistory = $cfg.DefaultChatHistory; MaxFileSizeKB = $cfg.MaxFileSizeKB",
		"                 ParticipantUpdateLimit = $cfg.ParticipantUpdateLimit; RoomManagementUrl = $cfg.RoomManagementUrl }",
		"    $have = Get-CsPersistentChatConfiguration -Identity $NewScope -ErrorAction SilentlyContinue",
		"    if ($have -and $KeepExisting) {",
		"        Write-PcmigSettingsKept 'configuration' $have $values",
		"    } elseif ($have) {",
		"        Set-CsPersistentChatConfiguration -Identity $NewScope @values",
		"        Write-PcmigSettingsChange 'configuration' $NewScope 'update' ($values | Out-String).Trim()",
		"    } else {",
		"        New-CsPersistentChatConfiguration -Identity $NewScope @values | Out-Null",
		"        Write-PcmigSettingsChange 'configuration' $NewScope 'create' ($values | Out-String).Trim()",
		"    }",
		"} else {",
		"    Write-PcmigSettingsChange 'configuration' $OldScope 'none' 'the old pool has no service-scope configuration: site and global settings apply'",
		"}",
		"",
		"# Compliance configuration at the old pool's service scope.",
		"$cmp = Get-CsPersistentChatComplianceConfiguration -Identity $OldScope -ErrorAction SilentlyContinue",
		"if ($cmp) {",
		"    $values = @{ AdapterType = $cmp.AdapterType; AdapterName = $cmp.AdapterName; AdapterOutputDirectory = $cmp.AdapterOutputDirectory",
		"                 AddChatRoomDetails = $cmp.AddChatRoomDetails; AddUserDetails = $cmp.AddUserDetails",
		"                 CreateFileAttachmentsManifest = $cmp.CreateFileAttachmentsManifest; CustomConfiguration = $cmp.CustomConfiguration",
		"                 OneChatRoomPerOutputFile = $cmp.OneChatRoomPerOutputFile; RunInterval = $cmp.RunInterval }",
		"    $have = Get-CsPersistentChatComplianceConfiguration -Identity $NewScope -ErrorAction SilentlyContinue",
		"    if ($have -and $KeepExisting) {",
		"        Write-PcmigSettingsKept 'compliance' $have $values",
		"    } elseif ($have) {",
		"        Set-CsPersistentChatComplianceConfiguration -Identity $NewScope @values",
		"        Write-PcmigSettingsChange 'compliance' $NewScope 'update' ('AdapterType ' + $cmp.AdapterType)",
		"    } else {",
		"        New-CsPersistentChatComplianceConfiguration -Identity $NewScope @values | Out-Null",
		"        Write-PcmigSettingsChange 'compliance' $NewScope 'create' ('AdapterType ' + $cmp.AdapterType)",
		"    }",
		"} else {",
		"    Write-PcmigSettingsChange 'compliance' $OldScope 'none' 'the old pool has no service-scope compliance configuration'",
		"}",
		"",
	)
	if leaveTo != "" {
		lines = append(lines,
			"# Endpoints: NOT moved by this runbook. The old pool's categories are routed to several pools, and",
			"# an endpoint's SIP address belongs to one pool: they move to "+leaveTo+", the successor named in",
			"# routes, with the runbook of its estate.",
			"Write-Host ('Pool settings carried over; the endpoints of {0} are left for the runbook of {1}; report: {2}' -f $OldPool, "+Quote(leaveTo)+", $SettingsReport)",
		)
		r.needSettings = true
		return r.add(lines...)
	}
	lines = append(lines,
		"# Endpoints of the old pool, recreated for the new pool with the same SIP address. First the",
		"# record: the old pool's endpoints that an earlier run has not recorded are appended to it",
		"# before anything changes (appending never rewrites what an earlier run recorded). The",
		"# endpoints to move are those on the old pool and the recorded ones.",
		"$EndpointsFile = Join-Path (Split-Path -Parent $SettingsReport) 'pool-settings-endpoints.csv'",
		"$recorded = @()",
		"if (Test-Path -LiteralPath $EndpointsFile) {",
		"    $recorded = @(Import-Csv -LiteralPath $EndpointsFile | Where-Object { $_.OldPool -eq $OldPool -and $_.NewPool -eq $NewPool } | ForEach-Object { $_.SipAddress })",
		"}",
		"$onOld = @(Get-PcmigChatEndpoint | Where-Object { [string]$_.PersistentChatPoolFqdn -eq $OldPool } | ForEach-Object { [string]$_.SipAddress })",
		"$unrecorded = @($onOld | Where-Object { $recorded -notcontains $_ })",
		"if ($unrecorded.Count -gt 0) {",
		"    # A record cut short by a kill may lack its final line break: end it first, so that what",
		"    # is appended now starts a line of its own (a row cut short is then read with a wrong",
		"    # NewPool and left out, while its endpoint is still on the old pool).",
		"    if (Test-Path -LiteralPath $EndpointsFile) {",
		"        $full = (Get-Item -LiteralPath $EndpointsFile).FullName",
		"        $bytes = [System.IO.File]::ReadAllBytes($full)",
		"        if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }",
		"    }",
		"    $unrecorded | ForEach-Object { [pscustomobject]@{ SipAddress = $_; OldPool = $OldPool; NewPool = $NewPool } } |",
		"        Export-Csv -LiteralPath $EndpointsFile -Append -NoTypeInformation -Encoding UTF8",
		"}",
		"$moving = @($recorded + $onOld | Sort-Object -Unique)",
		"foreach ($sip in $moving) {",
		"    $ep = Get-PcmigChatEndpoint | Where-Object { [string]$_.SipAddress -eq $sip } | Select-Object -First 1",
		"    if ($ep -and [string]$ep.PersistentChatPoolFqdn -eq $NewPool) {",
		"        Write-PcmigSettingsChange 'endpoint' $sip 'none' ('already on {0}' -f $NewPool)",
		"        continue",
		"    }",
		"    if ($ep -and [string]$ep.PersistentChatPoolFqdn -ne $OldPool) {",
		"        Write-PcmigSettingsChange 'endpoint' $sip 'none' ('now on {0}, not {1}: left alone' -f $ep.PersistentChatPoolFqdn, $OldPool)",
		"        continue",
		"    }",
		"    if (-not $ep) {",
		"        Write-PcmigSettingsChange 'endpoint' $sip 'resume' ('recorded by an earlier run and on neither pool: created on {0}' -f $NewPool)",
		"    } else {",
		"        Remove-CsPersistentChatEndpoint -Identity $ep.Identity -Confirm:$false",
		"    }",
		"    New-CsPersistentChatEndpoint -SipAddress $sip -PersistentChatPoolFqdn $NewPool | Out-Null",
		"    Write-PcmigSettingsChange 'endpoint' $sip 'move' ('from {0} to {1}, SIP address kept' -f $OldPool, $NewPool)",
		"}",
		"Write-Host ('Pool settings carried over; report: {0}' -f $SettingsReport)",
	)
	r.needSettings = true
	return r.add(lines...)
}

// settingsFunctions are the helpers CarryPoolSettings's and
// CarryPoolSettingsKeeping's lines call.
var settingsFunctions = []string{
	"# Get-PcmigChatEndpoint lists the Persistent Chat endpoints and checks that each has the two",
	"# properties the section reads, SipAddress and PersistentChatPoolFqdn: they are not in pcmig's",
	"# reference, and without them every filter below would match nothing and move nothing, silently.",
	"function Get-PcmigChatEndpoint {",
	"    $all = @(Get-CsPersistentChatEndpoint)",
	"    foreach ($ep in $all) {",
	"        foreach ($name in @('SipAddress', 'PersistentChatPoolFqdn')) {",
	"            if (-not ($ep.PSObject.Properties.Name -contains $name)) {",
	"                throw ('Get-CsPersistentChatEndpoint shows no {0} property for {1}: move the endpoints by hand' -f $name, $ep.Identity)",
	"            }",
	"        }",
	"    }",
	"    return $all",
	"}",
	"# Write-PcmigSettingsChange appends one change to the pool settings report and shows it.",
	"function Write-PcmigSettingsChange {",
	"    param([string]$Kind, [string]$Identity, [string]$Action, [string]$Detail)",
	"    Write-Host ('{0} {1}: {2}' -f $Kind, $Identity, $Action)",
	"    [pscustomobject]@{ Kind = $Kind; Identity = $Identity; Action = $Action; Detail = $Detail; Time = (Get-Date).ToString('o') } |",
	"        Export-Csv -LiteralPath $SettingsReport -Append -NoTypeInformation -Encoding UTF8",
	"}",
	"# Write-PcmigSettingsKept reports a configuration of the new pool left as it is: 'unchanged'",
	"# when the old pool's values are the same, else 'kept' with each value of the old pool that",
	"# differs (and a warning: the old pool's users now get the new pool's value).",
	"function Write-PcmigSettingsKept {",
	"    param([string]$Kind, $Have, [hashtable]$Values)",
	"    $differ = @($Values.Keys | Sort-Object | Where-Object { [string]$Have.$_ -ne [string]$Values[$_] } |",
	"        ForEach-Object { '{0} {1} ({2} has {3})' -f $_, $Have.$_, $OldPool, $Values[$_] })",
	"    if ($differ.Count -eq 0) {",
	"        Write-PcmigSettingsChange $Kind $NewScope 'unchanged' ('the same as {0}''s' -f $OldPool)",
	"        return",
	"    }",
	"    $detail = 'the new pool''s own values kept: ' + ($differ -join ', ')",
	"    Write-Warning ('{0} {1}: {2}' -f $Kind, $NewScope, $detail)",
	"    Write-PcmigSettingsChange $Kind $NewScope 'kept' $detail",
	"}",
}
