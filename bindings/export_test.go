package bindings

import pcrt "github.com/pcmig/pcmig/runtime"

// OptionTables exposes optionTables to the tests of bindings_test.
func OptionTables() map[string]pcrt.OptionTable { return optionTables() }
