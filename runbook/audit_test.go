package runbook

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The tests in this file hold the runbook to what an administrator meets
// on a real pool: an unattended run that must not stop at a prompt, a run
// of a selection (ISE, VS Code) that has no script folder, a second run of
// the whole script after a failure halfway, and properties the reference
// does not document, which are checked when the script runs instead of
// being assumed.

// codeLines are the lines of a script's code: literals replaced by <lit>,
// comments removed, blank lines dropped, indentation trimmed.
func codeLines(t *testing.T, out []byte) []string {
	t.Helper()
	lexed := checkScript(t, out)
	var lines []string
	for _, l := range strings.Split(lexed.code, "\r\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Import-CsPersistentChatData has -Confirm (the reference lists it): the
// runbook answers it, so that an unattended run cannot wait at a prompt.
func TestImportDoesNotWaitForConfirmation(t *testing.T) {
	lines := codeLines(t, fullRunbook(t).Bytes())
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "Import-CsPersistentChatData ") {
			n++
			if !strings.HasSuffix(l, " -Confirm:$false") {
				t.Errorf("the import may prompt: %q", l)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d imports, want 1", n)
	}
}

// A selection run in the ISE or VS Code has no $PSScriptRoot (it is empty
// outside a script file), and Join-Path refuses an empty -Path: every path
// beside the script goes through $PcmigDir, which falls back to the
// current folder.
func TestPathsWorkWhenASelectionIsRun(t *testing.T) {
	rb := fullRunbook(t)
	rb.AddSection(7, "copy the uploaded files")
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", "", ""))
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", ""))
	must(t, rb.MoveUsers("fe19.contoso.com", []string{"sip:zed@contoso.com"}, 0, ""))
	defs := 0
	for _, l := range codeLines(t, rb.Bytes()) {
		if !strings.Contains(l, "$PSScriptRoot") {
			continue
		}
		if l == "$PcmigDir = if ($PSScriptRoot) { $PSScriptRoot } else { (Get-Location).Path }" {
			defs++
			continue
		}
		t.Errorf("a line uses $PSScriptRoot, empty when a selection is run: %q", l)
	}
	if defs != 1 {
		t.Errorf("$PcmigDir is defined %d times, want once", defs)
	}
}

// A user already homed on the target (Get-CsUser's RegistrarPool, which the
// reference documents) is reported, not moved again: a second run of the
// script after a failure halfway moves only the users still to move.
func TestMoveSkipsUsersAlreadyOnTheTarget(t *testing.T) {
	code := strings.Join(codeLines(t, fullRunbook(t).Bytes()), "\n")
	get := strings.Index(code, "$pool = [string](Get-CsUser -Identity $sip).RegistrarPool")
	skip := strings.Index(code, "if ($pool -and $pool -eq $Target) {")
	move := strings.Index(code, "Move-CsUser -Identity $sip -Target $Target -MoveConferenceData -Confirm:$false")
	if get < 0 || skip < get || move < skip {
		t.Fatalf("Move-PcmigUserBatch does not look the user's home pool up before moving it:\n%s", code)
	}
	if strings.Contains(code, "$home") {
		t.Error("the script assigns $home, PowerShell's read-only $HOME")
	}
}

// Adding creators reads the category's Creators first and adds only those
// it lacks: whether Set-CsPersistentChatCategory accepts an Add of a
// creator the category has is not documented, and pcmig has already
// written them to the database when the runbook runs.
func TestCreatorsAreAddedOnlyWhenMissing(t *testing.T) {
	out := fullRunbook(t).Bytes()
	code := strings.Join(codeLines(t, out), "\n")
	get := strings.Index(code, "$category = Get-CsPersistentChatCategory -Identity $Identity")
	check := strings.Index(code, "-not ($category.PSObject.Properties.Name -contains <lit>)")
	set := strings.Index(code, "Set-CsPersistentChatCategory -Identity $Identity -Creators @{Add=$add}")
	if get < 0 || check < get || set < check {
		t.Fatalf("the creators are not compared with the category's before the Set:\n%s", code)
	}
	if n := strings.Count(code, "Set-CsPersistentChatCategory"); n != 1 {
		t.Errorf("Set-CsPersistentChatCategory appears %d times, want only in Add-PcmigCategoryCreators", n)
	}
	if !strings.Contains(code, "Add-PcmigCategoryCreators -Identity <lit> -Creators @(") {
		t.Errorf("the creators are not added with Add-PcmigCategoryCreators:\n%s", code)
	}
	if strings.Contains(string(out), "safe to run again") {
		t.Error("a comment claims an undocumented cmdlet behaviour")
	}
}

// The endpoint properties the section filters on are not in the reference:
// if they are absent, the filter would match nothing and move nothing,
// silently. The script checks them and stops instead.
func TestEndpointPropertiesAreCheckedAtRunTime(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", ""))
	code := strings.Join(codeLines(t, rb.Bytes()), "\n")
	if !strings.Contains(code, "function Get-PcmigChatEndpoint {") ||
		!strings.Contains(code, "foreach ($name in @(<lit>, <lit>)) {") ||
		!strings.Contains(code, "if (-not ($ep.PSObject.Properties.Name -contains $name)) {") {
		t.Errorf("the endpoint properties are not checked:\n%s", code)
	}
	if strings.Contains(code, "Get-CsPersistentChatEndpoint |") {
		t.Errorf("endpoints are read without the property check:\n%s", code)
	}
}

// The site switch says what the reference leaves open: whether Set-CsSite
// needs a publish of the topology, and that a publish from an older
// download would put the old default back.
func TestSiteSwitchNamesWhatIsNotDocumented(t *testing.T) {
	lexed := checkScript(t, fullRunbook(t).Bytes())
	comments := strings.Join(lexed.comments, "\n")
	for _, want := range []string{"Publish", "not documented", "download"} {
		if !strings.Contains(comments, want) {
			t.Errorf("the site switch's comments do not say %q:\n%s", want, comments)
		}
	}
}

// A category name with a backslash makes an identity POOL\A\B whose parsing
// the reference does not give: the command gets a note.
func TestCategoryIdentityWithBackslashIsNoted(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(8, "creators")
	must(t, rb.AddCategoryCreators("pchat19.contoso.com", `Sales\EMEA`, []string{"sip:ann@contoso.com"}))
	must(t, rb.AddCategoryCreators("pchat19.contoso.com", "Support", []string{"sip:ann@contoso.com"}))
	out := string(rb.Bytes())
	if n := strings.Count(out, `# NOTE: the category name holds a \`); n != 1 {
		t.Errorf("%d notes on the backslash, want 1:\n%s", n, out)
	}
}

var guardRE = regexp.MustCompile(`^if \(Test-PcmigStepDone (\d+)\) \{$`)

// Every section with commands runs at most once per runbook: its end is
// recorded, and a second run of the script skips it (the cmdlet import
// above all: it overwrites same-named categories and rooms). The user
// moves are recorded only when none failed.
func TestFinishedStepsAreSkippedOnASecondRun(t *testing.T) {
	rb := fullRunbook(t)
	out := rb.Bytes()
	lines := codeLines(t, out)
	code := strings.Join(lines, "\n")
	for _, want := range []string{
		"function Test-PcmigStepDone {",
		"function Complete-PcmigStep {",
		"$PcmigProgress = Join-Path $PcmigDir <lit>",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("the script lacks %q", want)
		}
	}
	var guarded []string
	for i, l := range lines {
		m := guardRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		guarded = append(guarded, m[1])
		if lines[i+1] != "Write-Host <lit>" || lines[i+2] != "} else {" && lines[i+2] != "} elseif (-not $PcmigUseCmdletRoute) {" {
			t.Errorf("guard %s does not skip with a message: %q", m[1], lines[i:i+3])
		}
	}
	// Sections 1, 2, 3, 5 and 6 have commands; 4 has none.
	if got := strings.Join(guarded, ","); got != "1,2,3,5,6" {
		t.Errorf("guarded sections %s, want 1,2,3,5,6", got)
	}
	if n := strings.Count(code, "\nComplete-PcmigStep "); n != 5 {
		t.Errorf("%d Complete-PcmigStep calls, want 5", n)
	}
	imp := strings.Index(code, "Import-CsPersistentChatData")
	if g := strings.Index(code, "if (Test-PcmigStepDone 2) {"); g < 0 || g > imp {
		t.Errorf("the import is not guarded")
	}
	if !strings.Contains(code, "if ($PcmigMoveFailures -eq 0) {\nComplete-PcmigStep 5 <lit>\n} else {") {
		t.Errorf("the moves are recorded as finished even when some failed:\n%s", code)
	}
	if !strings.Contains(code, "$script:PcmigMoveFailures += $failed") {
		t.Errorf("Move-PcmigUserBatch does not count its failures for the step")
	}
	// The runbook's ID is a digest of its generation time and steps: the
	// same file run again has the same ID; a runbook generated again later
	// (a new run of pcmig on the same estate, which may find new uploaded
	// files to copy) has another, even with the same steps, so that its
	// steps run again; other steps have another ID too.
	id := func(b []byte) string {
		m := regexp.MustCompile(`\$PcmigRunbook = '([0-9a-f]{16})'`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("no $PcmigRunbook in\n%s", b)
		}
		return string(m[1])
	}
	if id(out) != id(fullRunbook(t).Bytes()) {
		t.Error("the same runbook has another ID when rendered again")
	}
	later := fullRunbook(t)
	later.header.Generated = later.header.Generated.Add(1e9)
	if id(out) == id(later.Bytes()) {
		t.Error("a runbook generated again later with the same steps has the same ID: its steps would be skipped")
	}
	again := fullRunbook(t)
	again.AddSection(9, "one more")
	must(t, again.SetSiteDefaultPool("Dublin", "pchat19.contoso.com"))
	if id(out) == id(again.Bytes()) {
		t.Error("other steps have the same ID")
	}
}

// The export's -Scope and -StartDate are documented loosely (the form of a
// scope entry is not given; -StartDate is said to apply to a level that
// holds no content): the command says so.
func TestExportSaysWhatIsNotDocumented(t *testing.T) {
	lexed := checkScript(t, fullRunbook(t).Bytes())
	comments := strings.Join(lexed.comments, "\n")
	for _, want := range []string{"Get-Help Export-CsPersistentChatData -Parameter Scope", "Get-Help Export-CsPersistentChatData -Parameter StartDate"} {
		if !strings.Contains(comments, want) {
			t.Errorf("the export's comments do not say %q", want)
		}
	}
}

// Topology Builder can make one pool the default of every site: after the
// switch the runbook lists every site's default, so that a site still on
// the old pool is seen (the document pcmig reads may not show it).
func TestSiteSwitchListsEverySite(t *testing.T) {
	lexed := checkScript(t, fullRunbook(t).Bytes())
	set := strings.Index(lexed.code, "Set-CsSite -Identity <lit> -DefaultPersistentChatPool <lit>")
	all := strings.Index(lexed.code, "Get-CsSite | Format-Table Identity, DefaultPersistentChatPool -AutoSize")
	if set < 0 || all < set {
		t.Errorf("the sites' defaults are not listed after the switch:\n%s", lexed.code)
	}
	if !strings.Contains(strings.Join(lexed.comments, "\n"), "default of every site") {
		t.Error("the comments do not say why every site is listed")
	}
}

// referenceCmdlets are the Skype for Business cmdlets pcmig's reference
// documents (persistent-chat.md, sections 2 to 5), with the parameters the
// runbook gives them.
var referenceCmdlets = map[string]bool{
	"Set-CsSite": true, "Move-CsUser": true, "Get-CsUser": true, "Get-CsService": true,
	"Get-CsPersistentChatCategory": true, "Set-CsPersistentChatCategory": true,
	"Export-CsPersistentChatData": true, "Import-CsPersistentChatData": true,
	"Set-CsPersistentChatConfiguration": true, "Set-CsPersistentChatComplianceConfiguration": true,
	"New-CsPersistentChatEndpoint": true,
}

// otherCmdlets are the Skype for Business cmdlets the runbook uses that the
// reference does not document: the script's comments must name each one.
var otherCmdlets = map[string]bool{
	"Get-CsSite": true, "Get-CsPersistentChatConfiguration": true, "New-CsPersistentChatConfiguration": true,
	"Get-CsPersistentChatComplianceConfiguration": true, "New-CsPersistentChatComplianceConfiguration": true,
	"Get-CsPersistentChatEndpoint": true, "Remove-CsPersistentChatEndpoint": true,
}

// powerShellCmdlets are Windows PowerShell 5.1's own cmdlets the runbook uses.
var powerShellCmdlets = map[string]bool{
	"Write-Host": true, "Write-Warning": true, "Where-Object": true, "ForEach-Object": true, "Select-Object": true,
	"Sort-Object": true, "Measure-Object": true, "Test-Path": true, "Join-Path": true, "Split-Path": true,
	"Get-Item": true, "New-Item": true, "Get-Location": true, "Get-Date": true, "New-Object": true,
	"Import-Csv": true, "Export-Csv": true, "ConvertTo-Csv": true, "Out-Null": true, "Out-String": true, "Format-List": true, "Format-Table": true,
}

var commandRE = regexp.MustCompile(`(?:^|[\s(|{;])([A-Z][a-z]+-[A-Za-z]+)\b`)
var functionRE = regexp.MustCompile(`(?m)^\s*function ([A-Z][a-z]+-[A-Za-z]+) \{`)

// Every command the runbook runs is a cmdlet the reference documents, one
// of PowerShell's own, a function the script defines, or a Skype for
// Business cmdlet the reference does not document that the script's
// comments name (so that the reviewer checks it): no misspelt or invented
// cmdlet can slip in.
func TestEveryCommandIsKnown(t *testing.T) {
	rb := fullRunbook(t)
	rb.AddSection(7, "files and settings")
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", "", ""))
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", ""))
	must(t, rb.CarryPoolSettingsKeeping("pchat-amer.contoso.com", "pchat19.contoso.com", ""))
	lexed := checkScript(t, rb.Bytes())
	comments := strings.Join(lexed.comments, "\n")
	defined := map[string]bool{}
	for _, m := range functionRE.FindAllStringSubmatch(lexed.code, -1) {
		defined[m[1]] = true
	}
	used := map[string]bool{}
	for _, m := range commandRE.FindAllStringSubmatch(lexed.code, -1) {
		name := m[1]
		used[name] = true
		switch {
		case referenceCmdlets[name], powerShellCmdlets[name], defined[name]:
		case otherCmdlets[name]:
			if !strings.Contains(comments, name) {
				t.Errorf("%s is not in the reference, and no comment names it", name)
			}
		default:
			t.Errorf("unknown command %s", name)
		}
	}
	for name := range defined {
		if !strings.HasPrefix(name, "Test-Pcmig") && !strings.Contains(name, "-Pcmig") {
			t.Errorf("function %s is not named as pcmig's own", name)
		}
	}
	for _, want := range []string{"Move-CsUser", "Set-CsSite", "Set-CsPersistentChatCategory", "Import-CsPersistentChatData", "New-CsPersistentChatEndpoint"} {
		if !used[want] {
			t.Errorf("the script does not use %s: the test covers less than it should", want)
		}
	}
}

// The cmdlet route (Export-/Import-CsPersistentChatData) does what pcmig's
// own export and import steps do. pcmig's run imports whether or not the
// runbook holds the route, so a run of the whole runbook would import the
// archive a second time into a target pcmig has imported it into: the
// route's sections run only when the administrator opts in at the top
// ($PcmigUseCmdletRoute = $true), and say so when skipped.
func TestCmdletRouteRunsOnlyWhenChosen(t *testing.T) {
	out := fullRunbook(t).Bytes()
	lines := codeLines(t, out)
	code := strings.Join(lines, "\n")
	if !strings.Contains(code, "$PcmigUseCmdletRoute = $false") {
		t.Fatalf("the script does not default the cmdlet route to off:\n%s", code)
	}
	for _, cmd := range []string{"Export-CsPersistentChatData", "Import-CsPersistentChatData"} {
		at := strings.Index(code, "\n"+cmd+" ")
		guard := strings.LastIndex(code[:max(at, 0)], "} elseif (-not $PcmigUseCmdletRoute) {")
		other := strings.LastIndex(code[:max(at, 0)], "Complete-PcmigStep ")
		if at < 0 || guard < 0 || guard < other {
			t.Errorf("%s runs without the opt-in:\n%s", cmd, code)
		}
	}
	if n := strings.Count(code, "$PcmigUseCmdletRoute"); n != 3 {
		t.Errorf("$PcmigUseCmdletRoute appears %d times, want its setting and one check per route section", n)
	}
	// Sections without the route do not check it.
	if strings.Contains(string(New(testHeader).Bytes()), "PcmigUseCmdletRoute") {
		t.Error("a runbook without the route mentions it")
	}
}

// Resolve-PcmigFileStore filtered Get-CsService's services on a PoolFqdn
// property the reference does not document: absent, it matched nothing and
// the script said the pool had no Persistent Chat service. It now checks
// the property and says what is missing.
func TestFileStoreLookupChecksPoolFqdn(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(3, "copy the uploaded files")
	must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", "", ""))
	lexed := checkScript(t, rb.Bytes())
	code := lexed.code
	check := strings.Index(code, "-not ($all[0].PSObject.Properties.Name -contains <lit>)")
	filter := strings.Index(code, "$pc = @($all | Where-Object { [string]$_.PoolFqdn -eq $PoolFqdn })")
	if check < 0 || filter < check {
		t.Errorf("PoolFqdn is not checked before the services are filtered on it:\n%s", code)
	}
	if !slices.Contains(lexed.literals, "PoolFqdn") {
		t.Error("the check does not name PoolFqdn")
	}
	if !strings.Contains(strings.Join(lexed.comments, "\n"), "PoolFqdn") {
		t.Error("the comments do not name PoolFqdn as not in the reference")
	}
}

// A step that ran but could not be recorded in the progress file (Excel
// locks a CSV it has open; a read-only folder refuses it) would run again on
// the next run of the script: the cmdlet import would overwrite categories
// and rooms a second time. Before any step, the script opens the progress
// file for appending and stops, naming it, when it cannot; and a record
// that fails after all stops the script with a message saying that the
// step ran and what to add to the file.
func TestProgressFileIsCheckedBeforeAnyStep(t *testing.T) {
	out := fullRunbook(t).Bytes()
	lexed := checkScript(t, out)
	code := strings.Join(codeLines(t, out), "\n")
	open := strings.Index(code, "$stream = [System.IO.File]::Open($PcmigProgressPath, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write)\n$stream.Close()\n} catch {\nthrow (<lit> -f $PcmigProgressPath, $_.Exception.GetBaseException().Message)\n}")
	first := strings.Index(code, "if (Test-PcmigStepDone ")
	if open < 0 || first < 0 || open > first {
		t.Fatalf("the progress file is not opened for writing before the first step:\n%s", code)
	}
	complete := strings.Index(code, "function Complete-PcmigStep {")
	end := strings.Index(code, "$PcmigProgressPath = ")
	if complete < 0 || end < complete {
		t.Fatalf("no Complete-PcmigStep before the check:\n%s", code)
	}
	body := code[complete:end]
	try := strings.Index(body, "try {")
	export := strings.Index(body, "$row | Export-Csv -LiteralPath $PcmigProgress -Append -NoTypeInformation -Encoding UTF8")
	catch := strings.Index(body, "} catch {\nthrow (<lit> -f $Title, $PcmigProgress, $_.Exception.GetBaseException().Message, ")
	if try < 0 || export < try || catch < export {
		t.Errorf("Complete-PcmigStep does not stop with its own message when the record fails:\n%s", body)
	}
	if strings.Contains(body, "Write-Warning") {
		t.Errorf("Complete-PcmigStep only warns:\n%s", body)
	}
	var before, record bool
	for _, l := range lexed.literals {
		before = before || strings.Contains(l, "No step was run: the progress file {0} cannot be written ({1})") && strings.Contains(l, "Excel")
		record = record || strings.Contains(l, "could not record it") && strings.Contains(l, "would run it again") && strings.Contains(l, "{3}")
	}
	if !before || !record {
		t.Errorf("the messages do not say what happened and what to do (check before the steps %v, record %v)", before, record)
	}
}
