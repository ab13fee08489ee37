package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDirectoryRefusesEnabledNotTrueOrFalse: a user directory whose
// Enabled column held "Maybe", "No", "0" or nothing read those users as
// enabled, in silence: dir:users() gave them without disabled, and a run
// counted none of them disabled. Get-CsUser's Enabled is a boolean that
// Export-Csv writes as True or False; any other value is now a row
// problem (warned of with the file and line, the column and the values
// allowed, never the value), and the user is left out of dir:users() like
// any other broken row. TRUE and FALSE (Excel) and spaces still read.
func TestDirectoryRefusesEnabledNotTrueOrFalse(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	users := filepath.Join(dir, "users.csv")
	writeFile(t, users, "\"SipAddress\",\"RegistrarPool\",\"Enabled\"\r\n"+
		"\"sip:ann@contoso.com\",\"fe15.contoso.com\",\"True\"\r\n"+
		"\"sip:bob@contoso.com\",\"fe15.contoso.com\",\"Maybe\"\r\n"+
		"\"sip:cy@contoso.com\",\"fe15.contoso.com\",\"\"\r\n"+
		"\"sip:dee@contoso.com\",\"fe15.contoso.com\",\"0\"\r\n"+
		"\"sip:eve@contoso.com\",\"fe15.contoso.com\",\" FALSE \"\r\n"+
		"\"sip:fay@contoso.com\",\"fe15.contoso.com\",\"No\"\r\n")
	script := filepath.Join(t.TempDir(), "enabled.lua")
	writeFile(t, script, `step("enabled", function()
  local dir = require("user").load()
  for _, u in ipairs(dir:users()) do print("user " .. u.sip .. " " .. tostring(u.disabled == true)) end
  for _, p in ipairs(dir:problems()) do print("problem " .. p.line .. " " .. p.message) end
  local lines = dir:left_behind("fe15.contoso.com")
  print("behind " .. table.concat(lines, ","))
end)
`)
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	neither := "Enabled column is neither True nor False (as Export-Csv writes Get-CsUser's Enabled): export the directory again, or set it to True or False"
	mustContain(t, "stdout", stdout,
		"user sip:ann@contoso.com false\n",
		"user sip:eve@contoso.com true\n",
		"problem 3 "+neither+"\n",
		"problem 4 Enabled column is empty (want True or False, as Export-Csv writes Get-CsUser's Enabled): export the directory again, or set it to True or False\n",
		"problem 5 "+neither+"\n",
		"problem 7 "+neither+"\n",
		"behind 3,4,5,7\n")
	for _, sip := range []string{"bob", "cy", "dee", "fay"} {
		if strings.Contains(stdout, "user sip:"+sip+"@") {
			t.Errorf("sip:%s@ (Enabled neither True nor False) is a user:\n%s", sip, stdout)
		}
	}
	mustContain(t, "stderr", stderr, users+" line 3: "+neither)
	for _, v := range []string{"Maybe", "No\"", ": No", ": 0"} {
		if strings.Contains(stderr, v) {
			t.Errorf("the file's value %q is in the output:\n%s", v, stderr)
		}
	}
}
