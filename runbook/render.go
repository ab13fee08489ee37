package runbook

import (
	"fmt"
	"strings"
	"time"
)

// eol is the runbook's line ending. PowerShell accepts LF too; CRLF keeps
// the script readable in every Windows editor.
const eol = "\r\n"

const rule = "# ============================================================================"
const thinRule = "# ----------------------------------------------------------------------------"

// moveFunction is the one place that calls Move-CsUser. -Confirm:$false
// stops the per-user confirmation prompt; errors of one user are caught so
// the batch goes on, and every result is recorded.
var moveFunction = []string{
	"# Moves each user on its own: a failure is reported and the batch goes on.",
	"function Move-PcmigUserBatch {",
	"    param(",
	"        [Parameter(Mandatory = $true)][string]$Report,",
	"        [Parameter(Mandatory = $true)][string]$Target,",
	"        [Parameter(Mandatory = $true)][string[]]$Users",
	"    )",
	"    $moved = 0",
	"    $failed = 0",
	"    foreach ($sip in $Users) {",
	"        try {",
	"            Move-CsUser -Identity $sip -Target $Target -MoveConferenceData -Confirm:$false",
	"            $status = 'Moved'",
	"            $message = ''",
	"            $moved++",
	"        } catch {",
	"            $status = 'Failed'",
	"            $message = $_.Exception.Message",
	"            $failed++",
	"            Write-Warning ('{0}: {1}' -f $sip, $message)",
	"        }",
	"        [pscustomobject]@{",
	"            SipAddress = $sip",
	"            Target     = $Target",
	"            Status     = $status",
	"            Error      = $message",
	"            Time       = (Get-Date).ToString('o')",
	"        } | Export-Csv -LiteralPath $Report -Append -NoTypeInformation -Encoding UTF8",
	"    }",
	"    Write-Host ('{0} moved, {1} failed; report: {2}' -f $moved, $failed, $Report)",
	"}",
}

// Bytes renders the runbook: UTF-8 with a byte order mark, CRLF line
// endings.
func (r *Runbook) Bytes() []byte {
	var lines []string
	lines = append(lines, r.headerLines()...)
	if len(r.reports) > 0 {
		lines = append(lines, "", "# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).")
		for _, rep := range r.reports {
			dir := "$PSScriptRoot"
			if rep.dir != "" {
				lines = append(lines, valueNote(rep.dir)...)
				dir = Quote(rep.dir)
			}
			lines = append(lines, fmt.Sprintf("%s = Join-Path -Path %s -ChildPath %s", rep.variable, dir, Quote(rep.file)))
		}
		lines = append(lines, "foreach ($report in @("+reportVars(r.reports)+")) {",
			"    $folder = Split-Path -Path $report -Parent",
			"    if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }",
			"}", "")
		lines = append(lines, moveFunction...)
	}
	if r.needFileCheck {
		lines = append(lines, "")
		lines = append(lines, fileStoreFunctions...)
	}
	if r.needSettings {
		lines = append(lines, "")
		lines = append(lines, settingsFunctions...)
	}
	if len(r.sections) == 0 {
		lines = append(lines, "", "# This runbook has no steps.")
	}
	for _, s := range r.sections {
		title := fmt.Sprintf("Step %d: %s", s.step, s.title)
		lines = append(lines, "", thinRule, "# "+CommentText(title), thinRule)
		lines = append(lines, valueNote(title)...)
		lines = append(lines, "Write-Host "+Quote(title))
		if len(s.lines) == 0 {
			lines = append(lines, "# Nothing to do in this step.")
		}
		lines = append(lines, s.lines...)
	}
	lines = append(lines, "", "Write-Host 'Runbook finished.'", "")
	return []byte("\uFEFF" + strings.Join(lines, eol))
}

func reportVars(reports []moveReport) string {
	vars := make([]string, len(reports))
	for i, rep := range reports {
		vars[i] = rep.variable
	}
	return strings.Join(vars, ", ")
}

// headerLines renders the header comment block and the script settings.
func (r *Runbook) headerLines() []string {
	h := r.header
	generated := "(time not recorded)"
	if !h.Generated.IsZero() {
		generated = h.Generated.UTC().Format(time.RFC3339)
	}
	tool := h.Tool
	if tool == "" {
		tool = "pcmig"
	}
	lines := []string{
		rule,
		"# Persistent Chat migration runbook: the changes that must be made with",
		"# supported Skype for Business Server cmdlets, not in SQL.",
		"#",
		"# Estate:    " + CommentText(h.Estate),
		"# Generated: " + generated + " by " + CommentText(tool),
		"#",
		"# REVIEW EVERY COMMAND BEFORE RUNNING THIS SCRIPT.",
		"# Run it in the Skype for Business Server Management Shell as a member of",
		"# RTCUniversalServerAdmins; the Persistent Chat cmdlets also need",
		"# CsPersistentChatAdministrator.",
		"# The script stops at the first error, except that each user move is tried",
		"# on its own and recorded in a per-user CSV report.",
		"# Encoding: UTF-8 with byte order mark, CRLF line endings.",
		rule,
	}
	lines = append(lines, r.notes...)
	return append(lines, "", "#Requires -Version 3.0", "", "$ErrorActionPreference = 'Stop'")
}
