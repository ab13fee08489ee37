package textenc

import (
	"bytes"
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	body := []byte("Zoë 日本語 🎉\r\nline two\n")
	for _, env := range []Envelope{{UTF8, false}, {UTF8, true}, {UTF16LE, true}, {UTF16BE, true}} {
		data := env.Encode(body)
		got, back, ok, err := Decode(data)
		if err != nil || !ok != !env.BOM || back != env || !bytes.Equal(got, body) {
			t.Errorf("%s: Decode(Encode) = %q, %v, %v, %v", env, got, back, ok, err)
		}
		if env.BOM && !bytes.Equal(back.Encode(got), data) {
			t.Errorf("%s: re-encoding differs from the original bytes", env)
		}
	}
}

func TestDecodeUTF16Rejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"odd length":         {0x3C, 0x00, 0x3C},
		"unpaired surrogate": {0x00, 0xD8, 0x41, 0x00},
		"lone low surrogate": {0x00, 0xDC},
	} {
		if _, err := DecodeUTF16(b, false); err == nil {
			t.Errorf("%s: DecodeUTF16 succeeded", name)
		}
	}
}

// TestDecodeSurrogateOffset: Decode names the byte of an unpaired
// surrogate in the file, counting the byte order mark (it said two less).
func TestDecodeSurrogateOffset(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want int
	}{
		{[]byte{0xFF, 0xFE, 'a', 0, 0x00, 0xD8, 'b', 0}, 4},
		{[]byte{0xFE, 0xFF, 0, 'a', 0, 'b', 0xDC, 0x00}, 6},
	} {
		_, _, _, err := Decode(tc.data)
		var se *SurrogateError
		if !errors.As(err, &se) || se.Offset != tc.want {
			t.Errorf("Decode(% x): %v, want an unpaired surrogate at byte %d", tc.data, err, tc.want)
		}
	}
	if _, _, _, err := Decode([]byte{0xFF, 0xFE, 'a'}); !errors.Is(err, ErrOddLength) {
		t.Errorf("odd length: %v, want ErrOddLength", err)
	}
}
