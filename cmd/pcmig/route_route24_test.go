package main

import (
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/internal/labtest"
)

// routedLab is a lab estate whose one source pool (pchat15) has its
// categories routed to two target pools: Engineering and Sales to
// pchat19-emea (site London, its own database and file store), the rest to
// pchat19 (site Redmond), as docs/estate.md's "Categories routed to several
// pools" describes: one estate per target, each with export.scope. It
// returns the folder; emea.lua and amer.lua are the two estates (emea's
// target has no registrar: the amer estate moves the users).
func routedLab(t *testing.T) string {
	t.Helper()
	dir := labEstate(t, "--messages", "2000")
	emea := filepath.Join(dir, "target-emea.db")
	copyDir(t, filepath.Join(dir, "target-2019.db"), emea)
	labtest.ExecSQLite(t, emea, `UPDATE tblConfig SET configPoolID = 'e0e0e0e0-0000-4000-8000-e0e0e0e0e0e0'`)
	if err := os.Mkdir(filepath.Join(dir, "filestore-emea"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "topology.xml")
	topo := string(readFile(t, p))
	for _, r := range [][2]string{
		{"</Sites>", `<CentralSite SiteId="2"><Name>London</Name><Location/>` +
			`<PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="pchat15.contoso.com"/></CentralSite></Sites>`},
		{"</Clusters>", `<Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="pchat19-emea.contoso.com">
      <ClusterId SiteId="2" Number="1"/>
      <Machine OrdinalInCluster="1" Fqdn="pchat19-emea.contoso.com" FaultDomain="pchat19-emea.contoso.com" UpgradeDomain="pchat19-emea.contoso.com">
        <NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="0.0.0.0"/>
      </Machine>
    </Cluster>
  </Clusters>`},
		{"</Services>", `<Service RoleVersion="1" ServiceVersion="8">
      <ServiceId SiteId="2" RoleName="PersistentChatStore" Instance="1"/>
      <DependsOn/>
      <InstalledOn><SqlInstanceId Name="rtc"><ClusterId SiteId="1" Number="6"/></SqlInstanceId></InstalledOn>
    </Service>
    <Service RoleVersion="1" ServiceVersion="8" Type="Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.PersistentChatService">
      <ServiceId SiteId="2" RoleName="PersistentChatServer" Instance="1"/>
      <DependsOn>
        <Dependency Usage="Default"><ServiceId SiteId="2" RoleName="PersistentChatStore" Instance="1"/></Dependency>
        <Dependency Usage="NextHop"><ServiceId SiteId="1" RoleName="Registrar" Instance="2"/></Dependency>
      </DependsOn>
      <InstalledOn><ClusterId SiteId="2" Number="1"/></InstalledOn>
      <PersistentChatService xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008" DisplayName="Persistent Chat 2019 EMEA" ComplianceEnabled="false"/>
    </Service>
  </Services>`},
	} {
		if !strings.Contains(topo, r[0]) {
			t.Fatalf("topology.xml has no %s", r[0])
		}
		topo = strings.Replace(topo, r[0], r[1], 1)
	}
	writeFile(t, p, topo)
	common := `kind = "lab", topology = "topology.xml", directory = "users.csv", pool_settings = "pool-settings.json",
  source = { pool = "pchat15.contoso.com", registrar = "fe15.contoso.com", db = "sqlite:source-2015.db", file_store = "filestore-2015" },`
	writeFile(t, filepath.Join(dir, "emea.lua"), `return {
  name = "Contoso EMEA", site = "London", archive = "archive/emea.zip", runbook = "runbook-emea.ps1", state = ".pcmig-emea",
  `+common+`
  target = { pool = "pchat19-emea.contoso.com", db = "sqlite:target-emea.db", file_store = "filestore-emea" },
  export = { scope = { "Engineering", "Sales" } },
}
`)
	writeFile(t, filepath.Join(dir, "amer.lua"), `return {
  name = "Contoso AMER", site = "Redmond", archive = "archive/amer.zip", runbook = "runbook-amer.ps1", state = ".pcmig-amer",
  `+common+`
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target-2019.db", file_store = "filestore-2019" },
  export = { scope = { "Finance", "Support", "Människor & Kultur", "東京オフィス" } },
}
`)
	return dir
}

// linkedFilesOf lists the file-store paths that the messages of the
// source's rooms in the named categories link to, read with database/sql.
func linkedFilesOf(t *testing.T, db *sql.DB, cats ...string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT m.content, c.nodeName FROM tblChat m
JOIN tblNode r ON r.nodeID = m.channelId JOIN tblNode c ON c.nodeID = r.parentID
WHERE m.content LIKE '%ma-filelink:%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var content, cat string
		if err := rows.Scan(&content, &cat); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(cats, cat) {
			continue
		}
		for _, l := range filestore.Links(content) {
			if rel, ok := filestore.RelPath(l); ok && !slices.Contains(out, rel) {
				out = append(out, rel)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// storeFiles lists the files of a file store folder (slash paths).
func storeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func categoryNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT nodeName FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID ORDER BY nodeName`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestRoutedCategoriesToTwoTargets: one source's categories routed to two
// target pools in two sites, one estate per target with export.scope, each
// run with migrate.lua. Before, the step "copy the uploaded files" copied
// the whole source file store into both targets (21 files each: the files
// of pchat19-emea's rooms reached pchat19 and the reverse, though separate
// pools exist for data residency), and an estate whose target had no
// registrar stopped at the user move. Now each target's store holds
// exactly the files its rooms' messages link to, each category is in one
// target, each site defaults to its own new pool, the users move once, and
// every dry run names the categories its estate leaves out.
func TestRoutedCategoriesToTwoTargets(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	emea, amer := filepath.Join(dir, "emea.lua"), filepath.Join(dir, "amer.lua")
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	emeaFiles := linkedFilesOf(t, src, "Engineering", "Sales")
	amerFiles := linkedFilesOf(t, src, "Finance", "Support", "Människor & Kultur", "東京オフィス")
	if len(emeaFiles) == 0 || len(amerFiles) == 0 {
		t.Fatalf("the lab's messages link to %d files of Engineering and Sales and %d of the others: want some of each", len(emeaFiles), len(amerFiles))
	}

	stdout, _ := mustRun(t, exitPending, "run", "--estate", emea, "--dry-run")
	mustContain(t, "emea dry run", stdout,
		`4 categories of pchat15.contoso.com not in export.scope, not migrated by this estate: "Finance", "Människor & Kultur", "Support", "東京オフィス"`,
		fmt.Sprintf("%d uploaded files linked from the rooms of the 2 categories in export.scope", len(emeaFiles)),
		"the estate gives the target no registrar: no user is moved (57 users are homed on fe15.contoso.com)")

	stdout, _ = mustRun(t, 0, "run", "--estate", emea)
	mustContain(t, "emea run", stdout, "site London: default Persistent Chat pool switched pchat15.contoso.com -> pchat19-emea.contoso.com", "EQUAL: 2 of 2 categories")
	stdout, _ = mustRun(t, 0, "run", "--estate", amer)
	mustContain(t, "amer run", stdout, `2 categories of pchat15.contoso.com not in export.scope, not migrated by this estate: "Engineering", "Sales"`,
		"site Redmond: default Persistent Chat pool switched pchat15.contoso.com -> pchat19.contoso.com",
		"57 users homed on fe15.contoso.com moved to fe19.contoso.com", "EQUAL: 4 of 4 categories")

	if got := storeFiles(t, filepath.Join(dir, "filestore-emea")); !slices.Equal(got, emeaFiles) {
		t.Errorf("pchat19-emea's file store holds %q, want the files of its rooms %q", got, emeaFiles)
	}
	if got := storeFiles(t, filepath.Join(dir, "filestore-2019")); !slices.Equal(got, amerFiles) {
		t.Errorf("pchat19's file store holds %q, want the files of its rooms %q", got, amerFiles)
	}
	if got := categoryNames(t, openDB(t, filepath.Join(dir, "target-emea.db"))); !slices.Equal(got, []string{"Engineering", "Sales"}) {
		t.Errorf("pchat19-emea holds the categories %q", got)
	}
	if got := categoryNames(t, openDB(t, filepath.Join(dir, "target-2019.db"))); !slices.Equal(got, []string{"Finance", "Människor & Kultur", "Support", "東京オフィス"}) {
		t.Errorf("pchat19 holds the categories %q", got)
	}
	topo := string(readFile(t, filepath.Join(dir, "topology.xml")))
	for _, want := range []string{`<Name>London</Name><Location/><PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="pchat19-emea.contoso.com"/>`} {
		if !strings.Contains(topo, want) {
			t.Errorf("topology.xml lacks %s", want)
		}
	}
	if strings.Contains(topo, `DefaultPersistentChatPool="pchat15.contoso.com"`) {
		t.Error("a site still defaults to pchat15.contoso.com")
	}
	users := string(readFile(t, filepath.Join(dir, "users.csv")))
	if strings.Contains(users, "fe15.contoso.com") {
		t.Error("users.csv still homes users on fe15.contoso.com")
	}
	for _, est := range []string{emea, amer} {
		stdout, _ = mustRun(t, 0, "verify", "--estate", est)
		mustContain(t, "verify "+est, stdout, "EQUAL: ")
	}
}

// TestRoutedTargetsInOneSite: two target pools in one site. A site has one
// default Persistent Chat pool: the estate that names no site switches
// none (before, it stopped before step 1: the topology could not make a
// pool the default of site ""), and says so.
func TestRoutedTargetsInOneSite(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	emea := filepath.Join(dir, "emea.lua")
	writeFile(t, emea, strings.Replace(string(readFile(t, emea)), `site = "London", `, "", 1))
	stdout, _ := mustRun(t, 0, "run", "--estate", emea)
	mustContain(t, "emea run", stdout, "the estate names no site: no site's default Persistent Chat pool is switched to pchat19-emea.contoso.com")
	topo := string(readFile(t, filepath.Join(dir, "topology.xml")))
	if strings.Count(topo, `DefaultPersistentChatPool="pchat15.contoso.com"`) != 2 {
		t.Errorf("a site's default pool changed:\n%s", topo)
	}
}

// TestCopyFilesScope: pool.copy_files' scope names categories of the
// source; one it lacks raises not_found before anything is copied, as
// export.run's scope does, in a real estate too (whose runbook then copies
// the scope's files: TestRoutedRealEstateCopiesOnlyItsFiles).
func TestCopyFilesScope(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	script := filepath.Join(dir, "copy.lua")
	writeFile(t, script, `local pool = require("pool")
local ok, err = pcall(pool.copy_files, "source", "target", { scope = { "Sales", "Nowhere" } })
print(ok, err.kind, err.message)
local r = pool.copy_files("source", "target", { scope = "sales" })
print("copied", r.copied, "of", r.source.files)
`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(dir, "emea.lua"))
	mustContain(t, "copy", stdout, `false	not_found	pool.copy_files: scope names categories that are not in pchat15.contoso.com: "Nowhere"`,
		fmt.Sprintf("copied	%d	of	%d", len(linkedFilesOf(t, openDB(t, filepath.Join(dir, "source-2015.db")), "Sales")),
			len(linkedFilesOf(t, openDB(t, filepath.Join(dir, "source-2015.db")), "Sales"))))
	if got, want := storeFiles(t, filepath.Join(dir, "filestore-emea")), linkedFilesOf(t, openDB(t, filepath.Join(dir, "source-2015.db")), "Sales"); !slices.Equal(got, want) {
		t.Errorf("the copy of Sales's files wrote %q, want %q", got, want)
	}

	est := filepath.Join(dir, "emea.lua")
	writeFile(t, est, strings.Replace(string(readFile(t, est)), `kind = "lab"`, `kind = "real"`, 1))
	stdout, _ = mustRun(t, exitPending, "run", script, "--estate", est, "--dry-run")
	mustContain(t, "real copy", stdout, `false	not_found	pool.copy_files: scope names categories that are not in pchat15.contoso.com: "Nowhere"`)
}

// useRoutes makes the routed lab's two estates read one routes file
// instead of each giving export.scope, and returns its path.
func useRoutes(t *testing.T, dir, routes string) string {
	t.Helper()
	p := filepath.Join(dir, "routes.lua")
	writeFile(t, p, routes)
	for _, name := range []string{"emea.lua", "amer.lua"} {
		est := filepath.Join(dir, name)
		lines := strings.Split(string(readFile(t, est)), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "  export = ") {
				lines[i] = `  routes = "routes.lua",`
			}
		}
		writeFile(t, est, strings.Join(lines, "\n"))
	}
	return p
}

const routesBoth = `return {
  ["pchat19-emea.contoso.com"] = { "Engineering", "Sales" },
  ["pchat19.contoso.com"] = { "Finance", "Support", "Människor & Kultur", "東京オフィス" },
  successor = "pchat19.contoso.com",
}
`

// TestRoutesFileSharedByTheEstates: the estates of a routing read one
// routes table (routes = "routes.lua"), so that no category goes to two
// pools: each estate migrates its target's list, and the run says where
// the others go. Before, routes was no key of the estate (refused).
func TestRoutesFileSharedByTheEstates(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	emea, amer := filepath.Join(dir, "emea.lua"), filepath.Join(dir, "amer.lua")
	stdout, _ := mustRun(t, 0, "run", "--estate", emea)
	mustContain(t, "emea run", stdout,
		"routes: 2 of the 6 categories of pchat15.contoso.com go to pchat19-emea.contoso.com (this estate), the other 4 to pchat19.contoso.com",
		"EQUAL: 2 of 2 categories")
	stdout, _ = mustRun(t, 0, "run", "--estate", amer)
	mustContain(t, "amer run", stdout,
		"routes: 4 of the 6 categories of pchat15.contoso.com go to pchat19.contoso.com (this estate), the other 2 to pchat19-emea.contoso.com",
		"EQUAL: 4 of 4 categories")
	if got := categoryNames(t, openDB(t, filepath.Join(dir, "target-emea.db"))); !slices.Equal(got, []string{"Engineering", "Sales"}) {
		t.Errorf("pchat19-emea holds the categories %q", got)
	}
	if got := categoryNames(t, openDB(t, filepath.Join(dir, "target-2019.db"))); !slices.Equal(got, []string{"Finance", "Människor & Kultur", "Support", "東京オフィス"}) {
		t.Errorf("pchat19 holds the categories %q", got)
	}
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	if got, want := storeFiles(t, filepath.Join(dir, "filestore-emea")), linkedFilesOf(t, src, "Engineering", "Sales"); !slices.Equal(got, want) {
		t.Errorf("pchat19-emea's file store holds %q, want %q", got, want)
	}
}

// TestRoutesRefused: a routing that would put a category in two pools, or
// in none, or names one the source lacks, is refused before anything is
// written, in a dry run too: a category named twice (in the routes file,
// or in an estate's own table) and an estate whose target the routes give
// nothing when the estate is loaded; export.scope beside routes too; a
// source category routed nowhere and an unknown one before step 1.
func TestRoutesRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, routes, estate, want string
		code                       int
	}{
		{name: "named twice", code: 1, routes: strings.Replace(routesBoth, `"Finance", "Support"`, `"Finance", "sales", "Support"`, 1),
			want: "routes.lua: line 3: routes: a category is named twice, here and at line 2, in another pool's list (compared without case): a category belongs to exactly one pool"},
		{name: "named twice inline", code: 1, routes: routesBoth,
			estate: `  routes = { ["pchat19-emea.contoso.com"] = { "Engineering", "Sales", "SALES" }, ["pchat19.contoso.com"] = { "Finance" } },`,
			want:   "line 6: routes: a category is named twice, here and at line 6, in the same list"},
		{name: "target not routed", code: 1, routes: strings.Replace(routesBoth, "pchat19-emea.contoso.com", "pchat19-apac.contoso.com", 1),
			want: "line 5: target.pool: routes gives this estate's target no categories"},
		{name: "scope too", code: 1, routes: routesBoth, estate: `  routes = "routes.lua", export = { scope = { "Sales" } },`,
			want: "line 6: export.scope: with routes, the estate's scope is its target's list in routes"},
		{name: "archive over the routes file", code: 1, routes: routesBoth, estate: `  routes = "routes.lua", archive = "routes.lua",`,
			want: "routes.lua is the routes file: pcmig never writes over a file it reads"},
		{name: "routed nowhere", code: 1, routes: strings.Replace(routesBoth, `, "東京オフィス"`, "", 1),
			want: `validation: 1 category of pchat15.contoso.com is routed to no pool: "東京オフィス"; routes must give every category of the source to exactly one target pool`},
		{name: "unknown", code: 1, routes: strings.Replace(routesBoth, `"Engineering", "Sales"`, `"Engineering", "Sales", "Nowhere"`, 1),
			want: `validation: routes names 1 category that pchat15.contoso.com does not have: "Nowhere" (routed to pchat19-emea.contoso.com)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := routedLab(t)
			useRoutes(t, dir, c.routes)
			est := filepath.Join(dir, "emea.lua")
			if c.estate != "" {
				writeFile(t, est, strings.Replace(string(readFile(t, est)), `  routes = "routes.lua",`, c.estate, 1))
			}
			for _, dry := range []bool{true, false} {
				args := []string{"run", "--estate", est}
				if dry {
					args = append(args, "--dry-run")
				}
				_, stderr := mustRun(t, c.code, args...)
				mustContain(t, c.name, stderr, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "archive", "emea.zip")); err == nil {
				t.Error("the refused run wrote its archive")
			}
			if n := queryInt(t, openDB(t, filepath.Join(dir, "target-emea.db")), `SELECT COUNT(*) FROM tblNode WHERE nodeID <> 1`); n != 0 {
				t.Errorf("the refused run wrote %d nodes into the target", n)
			}
		})
	}
}
