package archive

import "strings"

// errorContains reports whether err matches want: nil for "", else an
// error whose message contains want.
func errorContains(err error, want string) bool {
	if want == "" {
		return err == nil
	}
	return err != nil && strings.Contains(err.Error(), want)
}
