package estate

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Ctrl-C while the estate is evaluated ends the run as cancelled, not as
// an estate that "did not finish in time (an endless loop?)": the operator
// stopped it, and the estate is not to blame.
func TestLoadCancelledSaysSo(t *testing.T) {
	path := write(t, "local n = 0\nwhile true do n = n + 1 end\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Load(ctx, path)
	if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "run cancelled") || strings.Contains(err.Error(), "endless loop") {
		t.Fatalf("Load with a cancelled context: %v; want a 'run cancelled' error wrapping context.Canceled", err)
	}
}
