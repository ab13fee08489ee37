package bench

import (
	"strings"
	"testing"
)

// Sizes are binary (VmHWM and the Go heap are counted in KiB and bytes), so
// the text says MiB: 300 MiB printed as "300 MB" understated it by 5%.
func TestWriteTextSaysMiB(t *testing.T) {
	r := Report{
		Messages: 10,
		Rounds:   []Round{{}},
		RawRead:  Phase{Name: "raw read"},
		Export:   Phase{Name: "export", PeakHeap: 3 << 20, PeakRSS: 300 << 20},
		Structure: &StructureReport{
			PeakRSS: 150 << 20,
			Steps:   []StepFigure{{Name: "import", PeakRSS: 120 << 20}},
		},
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"peak heap 3.0 MiB", "peak RSS 300.0 MiB", "peak RSS 150 MiB", "peak RSS 120 MiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, " MB") {
		t.Errorf("bench text says MB for a binary size:\n%s", out)
	}
}
