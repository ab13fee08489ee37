package bindings_test

import (
	"path/filepath"
	"testing"
)

// Each module's Lua API, success and error paths, against a lab estate.

func TestEstateLua(t *testing.T) { runLuaTests(t, "estate_test.lua", smallLab(1), nil) }

func TestExportLua(t *testing.T) { runLuaTests(t, "export_test.lua", smallLab(1), nil) }

func TestImportLua(t *testing.T) { runLuaTests(t, "import_test.lua", smallLab(1), nil) }

func TestCategoryLua(t *testing.T) { runLuaTests(t, "category_test.lua", smallLab(1), nil) }

func TestCreatorLua(t *testing.T) { runLuaTests(t, "creator_test.lua", smallLab(1), nil) }

func TestRoomLua(t *testing.T) { runLuaTests(t, "room_test.lua", smallLab(1), nil) }

func TestTopologyLua(t *testing.T) {
	runLuaTests(t, "topology_test.lua", smallLab(1), func(t testing.TB, dir string) {
		copyFile(t, filepath.Join("testdata", "two-sites.xml"), filepath.Join(dir, "two-sites.xml"))
	})
}

func TestUserLua(t *testing.T) { runLuaTests(t, "user_test.lua", smallLab(1), nil) }

func TestRealEstateLua(t *testing.T) { runLuaTests(t, "real_test.lua", smallLab(1), makeReal) }

func TestDryRunLua(t *testing.T) { runDryLuaTests(t, "dryrun_test.lua", smallLab(1), nil) }

func TestVerifyLua(t *testing.T) { runLuaTests(t, "verify_test.lua", smallLab(1), nil) }

func TestPoolLua(t *testing.T) { runLuaTests(t, "pool_test.lua", smallLab(1), nil) }
