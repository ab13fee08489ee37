package proc

import (
	"os"
	goruntime "runtime"
	"strconv"
)

// User names the account this process runs as, for a lock's record, from
// its environment (getenv; nil: none): DOMAIN\user on Windows, $USER or
// $LOGNAME elsewhere, else the user ID. The run lock and the store's
// writer lock both record it, so the two name one account alike. Not
// os/user: with cgo it links the C library's account lookup, and pcmig
// is one static binary.
func User(getenv func(string) string) string {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if u := getenv("USERNAME"); goruntime.GOOS == "windows" && u != "" {
		if d := getenv("USERDOMAIN"); d != "" {
			return d + `\` + u
		}
		return u
	}
	for _, k := range []string{"USER", "LOGNAME"} {
		if u := getenv(k); u != "" {
			return u
		}
	}
	if uid := os.Getuid(); uid >= 0 {
		return "uid " + strconv.Itoa(uid)
	}
	return "unknown"
}

// Host names this machine, for a lock's record: its host name, or
// "unknown".
func Host() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
}
