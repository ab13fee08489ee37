package runbook

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
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
// the batch goes on, and every result is recorded. A user Get-CsUser
// already shows on the target is not moved again, so that a second run of
// the script moves only the users still to move; the failures are counted
// for the step's record (a step with failed moves is not finished).
var moveFunction = []string{
	"# Moves each user on its own: a failure is reported and the batch goes on. A user whose home pool",
	"# (Get-CsUser's RegistrarPool) is already the target is reported as Already and not moved again;",
	"# when Get-CsUser cannot say, Move-CsUser is tried and reports for itself.",
	"function Move-PcmigUserBatch {",
	"    param(",
	"        [Parameter(Mandatory = $true)][string]$Report,",
	"        [Parameter(Mandatory = $true)][string]$Target,",
	"        [Parameter(Mandatory = $true)][string[]]$Users",
	"    )",
	"    $moved = 0",
	"    $already = 0",
	"    $failed = 0",
	"    foreach ($sip in $Users) {",
	"        try {",
	"            $pool = $null",
	"            try { $pool = [string](Get-CsUser -Identity $sip).RegistrarPool } catch { $pool = $null }",
	"            if ($pool -and $pool -eq $Target) {",
	"                $status = 'Already'",
	"                $message = ''",
	"                $already++",
	"            } else {",
	"                Move-CsUser -Identity $sip -Target $Target -MoveConferenceData -Confirm:$false",
	"                $status = 'Moved'",
	"                $message = ''",
	"                $moved++",
	"            }",
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
	"    $script:PcmigMoveFailures += $failed",
	"    Write-Host ('{0} moved, {1} already there, {2} failed; report: {3}' -f $moved, $already, $failed, $Report)",
	"}",
}

// creatorsFunction adds the creators a category lacks. The reference
// documents Set-CsPersistentChatCategory -Creators @{Add=...} and that
// without -AsObject the lists show SIP addresses; it does not say whether
// an Add of a creator the category has is accepted, nor whether the
// addresses carry the sip: prefix, so both sides are compared without it.
var creatorsFunction = []string{
	"# Add-PcmigCategoryCreators adds to a category the creators it does not have yet, so that a second",
	"# run adds nothing (whether Set-CsPersistentChatCategory accepts an Add of a creator the category",
	"# already has is not documented, and pcmig has written these creators to the database already).",
	"# Without -AsObject, Get-CsPersistentChatCategory shows the Creators as SIP addresses; whether with",
	"# the sip: prefix is not documented, so both sides are compared without it.",
	"function Add-PcmigCategoryCreators {",
	"    param(",
	"        [Parameter(Mandatory = $true)][string]$Identity,",
	"        [Parameter(Mandatory = $true)][string[]]$Creators",
	"    )",
	"    $category = Get-CsPersistentChatCategory -Identity $Identity",
	"    if (-not $category) { throw ('no category {0}' -f $Identity) }",
	"    if (-not ($category.PSObject.Properties.Name -contains 'Creators')) {",
	"        throw ('Get-CsPersistentChatCategory shows no Creators property for {0}: add the creators by hand' -f $Identity)",
	"    }",
	"    $have = @($category.Creators | Where-Object { $_ } | ForEach-Object { ([string]$_) -replace '^sip:', '' })",
	"    $add = @($Creators | Where-Object { $have -notcontains ($_ -replace '^sip:', '') })",
	"    if ($add.Count -eq 0) {",
	"        Write-Host ('{0}: its {1} creator(s) are there already' -f $Identity, $Creators.Count)",
	"        return",
	"    }",
	"    Set-CsPersistentChatCategory -Identity $Identity -Creators @{Add=$add}",
	"    Write-Host ('{0}: {1} creator(s) added, {2} there already' -f $Identity, $add.Count, ($Creators.Count - $add.Count))",
	"}",
}

// progressFile is the file beside the script that records the finished
// steps.
const progressFile = "pcmig-runbook-progress.csv"

// progressUnwritable is the message of the check before the first step:
// {0} the progress file, {1} the reason.
const progressUnwritable = "No step was run: the progress file {0} cannot be written ({1}). Close it if it is open (Excel locks a CSV it has open) or make the file and its folder writable, then run the script again."

// progressUnrecorded is the message of a record that failed: {0} the
// step's title, {1} the progress file, {2} the reason, {3} the line to add.
const progressUnrecorded = `STOPPED. {0} ran, but the progress file {1} could not record it ({2}). A new run of this script would run it again. Close the file (Excel locks a CSV it has open) or make it writable, and add this line to it (a new file starts with the line "Runbook","Section","Title","Time"): {3}`

// progressFunctions record the sections a run of the script finished, so
// that a second run after a failure halfway skips them. A record whose last
// line a kill cut short gets its line break before anything is appended.
var progressFunctions = []string{
	"# Test-PcmigStepDone says whether a run of this runbook (the same $PcmigRunbook) finished a step.",
	"function Test-PcmigStepDone {",
	"    param([Parameter(Mandatory = $true)][int]$Section)",
	"    if (-not (Test-Path -LiteralPath $PcmigProgress)) { return $false }",
	"    $rows = @(Import-Csv -LiteralPath $PcmigProgress | Where-Object { $_.Runbook -eq $PcmigRunbook -and $_.Section -eq [string]$Section })",
	"    return ($rows.Count -gt 0)",
	"}",
	"# Complete-PcmigStep records a finished step. A record that fails (the file was locked or made",
	"# read-only after the check at the top) stops the script: the step ran, and a new run of the script",
	"# would run it again unless its line is added to the file by hand.",
	"function Complete-PcmigStep {",
	"    param([Parameter(Mandatory = $true)][int]$Section, [Parameter(Mandatory = $true)][string]$Title)",
	"    $row = [pscustomobject]@{ Runbook = $PcmigRunbook; Section = $Section; Title = $Title; Time = (Get-Date).ToString('o') }",
	"    try {",
	"        if (Test-Path -LiteralPath $PcmigProgress) {",
	"            $full = (Get-Item -LiteralPath $PcmigProgress).FullName",
	"            $bytes = [System.IO.File]::ReadAllBytes($full)",
	"            if ($bytes.Length -gt 0 -and $bytes[-1] -ne 10) { [System.IO.File]::AppendAllText($full, [Environment]::NewLine) }",
	"        }",
	"        $row | Export-Csv -LiteralPath $PcmigProgress -Append -NoTypeInformation -Encoding UTF8",
	"    } catch {",
	"        throw (" + Quote(progressUnrecorded) + " -f $Title, $PcmigProgress, $_.Exception.GetBaseException().Message, (@($row | ConvertTo-Csv -NoTypeInformation) | Select-Object -Last 1))",
	"    }",
	"}",
}

// progressCheck opens the progress file for appending before any step
// runs, so that a step is never run that could not be recorded (Excel
// locks a CSV it has open; a read-only folder or file refuses the write).
// A file the check creates is removed again: Export-Csv -Append writes the
// header only to a file that is not there.
var progressCheck = []string{
	"# Before any step runs, the progress file must be writable: a step that ran but could not be",
	"# recorded would run again on the next run of the script. The file is opened for appending and",
	"# closed again (a file the check creates is removed, so that the first record writes its header).",
	"$PcmigProgressPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PcmigProgress)",
	"$PcmigProgressNew = -not (Test-Path -LiteralPath $PcmigProgressPath)",
	"try {",
	"    $stream = [System.IO.File]::Open($PcmigProgressPath, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write)",
	"    $stream.Close()",
	"} catch {",
	"    throw (" + Quote(progressUnwritable) + " -f $PcmigProgressPath, $_.Exception.GetBaseException().Message)",
	"}",
	"if ($PcmigProgressNew) { [System.IO.File]::Delete($PcmigProgressPath) }",
}

// Bytes renders the runbook: UTF-8 with a byte order mark, CRLF line
// endings.
func (r *Runbook) Bytes() []byte {
	var lines []string
	lines = append(lines, r.headerLines()...)
	if r.HasCommands() {
		lines = append(lines, "",
			"# Progress: each step this script finishes is recorded in $PcmigProgress, with this runbook's ID",
			"# ($PcmigRunbook, a digest of its generation time and steps). Run the script again after a",
			"# failure and it skips the steps it recorded and goes on with the first unfinished one: above all,",
			"# a cmdlet import must not run twice (it overwrites same-named categories and rooms). A step whose",
			"# user moves failed is not recorded. To run a finished step again, delete its line from the file.",
			"# A runbook pcmig generates again (a new run) has another ID: its steps all run.",
			"$PcmigRunbook = "+Quote(r.id()),
			"$PcmigProgress = Join-Path $PcmigDir "+Quote(progressFile))
		lines = append(lines, progressFunctions...)
		lines = append(lines, progressCheck...)
	}
	if slices.ContainsFunc(r.sections, func(s *section) bool { return s.route }) {
		lines = append(lines, "",
			"# The cmdlet route: Export-/Import-CsPersistentChatData do what pcmig's own export and import",
			"# steps do, and pcmig's run imports whether or not this runbook holds them. Running both would",
			"# import the archive a second time, overwriting the same-named categories and rooms pcmig",
			"# imported. Set $true only if pcmig did not import (for example, its run was a dry run) and you",
			"# use Microsoft's cmdlets instead.",
			"$PcmigUseCmdletRoute = $false")
	}
	if len(r.reports) > 0 {
		lines = append(lines, "", "# Per-user move reports: one CSV line per user (SipAddress, Target, Status, Error, Time).")
		for _, rep := range r.reports {
			dir := "$PcmigDir"
			if rep.dir != "" {
				lines = append(lines, valueNote(rep.dir)...)
				dir = Quote(rep.dir)
			}
			lines = append(lines, fmt.Sprintf("%s = Join-Path -Path %s -ChildPath %s", rep.variable, dir, Quote(rep.file)))
		}
		lines = append(lines, "foreach ($report in @("+reportVars(r.reports)+")) {",
			"    $folder = Split-Path -Path $report -Parent",
			"    if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }",
			"}",
			"$PcmigMoveFailures = 0", "")
		lines = append(lines, moveFunction...)
	}
	if r.needCreators {
		lines = append(lines, "")
		lines = append(lines, creatorsFunction...)
	}
	if r.needFileCheck {
		lines = append(lines, "")
		lines = append(lines, fileStoreFunctions...)
	}
	if r.needScopeCopy {
		lines = append(lines, "")
		lines = append(lines, scopeCopyFunction...)
	}
	if r.needSettings {
		lines = append(lines, "")
		lines = append(lines, settingsFunctions...)
	}
	if len(r.sections) == 0 {
		lines = append(lines, "", "# This runbook has no steps.")
	}
	for i, s := range r.sections {
		title := fmt.Sprintf("Step %d: %s", s.step, s.title)
		lines = append(lines, "", thinRule, "# "+CommentText(title), thinRule)
		lines = append(lines, valueNote(title)...)
		lines = append(lines, "Write-Host "+Quote(title))
		if len(s.lines) == 0 {
			lines = append(lines, "# Nothing to do in this step.")
		}
		if !s.hasCommands() {
			lines = append(lines, s.lines...)
			continue
		}
		// The section runs at most once per runbook (see progressFunctions).
		n := strconv.Itoa(i + 1)
		lines = append(lines,
			"if (Test-PcmigStepDone "+n+") {",
			"    Write-Host "+Quote(fmt.Sprintf("Step %d was finished by an earlier run of this runbook (%s): skipped.", s.step, progressFile)))
		if s.route {
			lines = append(lines,
				"} elseif (-not $PcmigUseCmdletRoute) {",
				"    Write-Host "+Quote(fmt.Sprintf("Step %d skipped: the cmdlet route is off ($PcmigUseCmdletRoute at the top of the script).", s.step)))
		}
		lines = append(lines, "} else {")
		if s.moves {
			lines = append(lines, "    $PcmigMoveFailures = 0")
		}
		lines = append(lines, indent(slices.Clone(s.lines))...)
		done := "Complete-PcmigStep " + n + " " + Quote(title)
		if s.moves {
			lines = append(lines,
				"    if ($PcmigMoveFailures -eq 0) {",
				"        "+done,
				"    } else {",
				"        Write-Warning ('{0} user move(s) failed, so this step is not recorded as finished: fix the cause and run the script again (users already on the target are not moved again).' -f $PcmigMoveFailures)",
				"    }")
		} else {
			lines = append(lines, "    "+done)
		}
		lines = append(lines, "}")
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
	return append(lines, "", "#Requires -Version 3.0", "", "$ErrorActionPreference = 'Stop'", "",
		"# The folder for the reports and logs: the script's own, or the current folder when a selection",
		"# is run in the ISE or VS Code ($PSScriptRoot is empty outside a script file).",
		"$PcmigDir = if ($PSScriptRoot) { $PSScriptRoot } else { (Get-Location).Path }")
}

// id is the runbook's ID in its progress record: a digest of its
// generation time and its sections (step numbers, titles and lines). The
// same file run again has the same ID, so its finished steps are skipped;
// a runbook generated again later has another, even with the same steps
// (a new run of pcmig on the same estate may have new uploaded files to
// copy), so its steps run again.
func (r *Runbook) id() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", r.header.Generated.UTC().Format(time.RFC3339Nano))
	for _, s := range r.sections {
		fmt.Fprintf(h, "%d\x00%s\x00%d\x00", s.step, s.title, len(s.lines))
		for _, l := range s.lines {
			fmt.Fprintf(h, "%s\x00", l)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// hasCommands reports whether the section holds a line that is not a
// comment.
func (s *section) hasCommands() bool {
	for _, l := range s.lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}
