package archive

import "testing"

// TestWholeNumber: a JSON number of a whole value is written without
// fraction or exponent; any other is left to the decoder.
func TestWholeNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1.0": "1", "1e0": "1", "1E+0": "1", "0.1e1": "1", "10e-1": "1", "-0.0": "0", "-0": "0",
		"-2.00": "-2", "1e5": "100000", "123.4e1": "1234", "0e99": "0", "0.000": "0",
		"1.5": "", "1e-1": "", "01.0": "", "1.": "", ".5": "", "1e": "", "1e99999": "",
		"1e20": "", "9.2233720368547758070e18": "9223372036854775807", "1.0x": "", "--1": "",
	} {
		got, ok := wholeNumber([]byte(in))
		if !ok {
			got = nil
		}
		if string(got) != want {
			t.Errorf("wholeNumber(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	line := []byte(`{"state":1.0e0,"pool_id":2E1,"policy_id":3.5,"x":4.0}`)
	if got, want := string(wholeNumbers(line, "state", "pool_id", "policy_id")), `{"state":1    ,"pool_id":20 ,"policy_id":3.5,"x":4.0}`; got != want {
		t.Errorf("wholeNumbers = %s, want %s", got, want)
	}
}
