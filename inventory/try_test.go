package inventory

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/pcmig/pcmig/store"
)

func TestTry(t *testing.T) {
	db := os.Getenv("INVDB")
	if db == "" {
		t.Skip()
	}
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + db, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inv, err := Take(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	WriteText(os.Stdout, inv)
	if os.Getenv("JSON") != "" {
		b, _ := json.MarshalIndent(inv, "", "  ")
		os.Stdout.Write(b)
	}
}
