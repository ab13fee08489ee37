package directory

import (
	"fmt"
	"testing"
	"unicode/utf16"
)

func u32le(s string) []byte {
	out := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	return out
}
func u16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestZZProbe(t *testing.T) {
	hdr := "#TYPE " + "Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\r\n\"SipAddress\",\"UserPrincipalName\",\"RegistrarPool\"\r\n"
	row := "\"sip:ann@contoso.com\",\"ann@contoso.com\",\"fe15.contoso.com\"\r\n"
	cases := map[string][]byte{
		"utf32":      u32le(hdr + row),
		"utf7":       []byte("+/v8-" + hdr + row),
		"ascii?":     []byte(hdr + "\"sip:j?rg@contoso.com\",\"j?rg@contoso.com\",\"fe15.contoso.com\"\r\n"),
		"trailingdot": []byte(hdr + "\"sip:ann@contoso.com\",\"\",\"fe15.contoso.com.\"\r\n"),
		"german":     []byte("#TYPE x\r\n\"SipAddress\";\"UserPrincipalName\";\"RegistrarPool\"\r\n\"sip:ann@contoso.com\";\"a\";\"fe15.contoso.com\"\r\n"),
		"listtype":   []byte("\"SipAddress\",\"ProxyAddresses\",\"RegistrarPool\"\r\n\"sip:ann@contoso.com\",\"System.Collections.Generic.List`1[System.String]\",\"fe15.contoso.com\"\r\n"),
		"nul":        []byte(hdr + "\"sip:ann@contoso.com\",\"\x00\",\"fe15.contoso.com\"\r\n"),
		"crlf-only-cr": []byte("\"SipAddress\",\"RegistrarPool\"\r\"sip:ann@contoso.com\",\"fe15.contoso.com\"\r"),
		"sipspace":   []byte(hdr + "\" sip:ann@contoso.com\",\"\",\"fe15.contoso.com\"\r\n"),
		"unquoted-hdr-spaces": []byte("SipAddress, UserPrincipalName, RegistrarPool\nsip:ann@contoso.com, x, fe15.contoso.com\n"),
		"utf16 bom german": u16le("\"SipAddress\";\"RegistrarPool\"\r\n\"sip:ann@contoso.com\";\"fe15.contoso.com\"\r\n"),
		"regpool obj": []byte(hdr + "\"sip:ann@contoso.com\",\"\",\"Registrar:fe15.contoso.com\"\r\n"),
	}
	for name, data := range cases {
		d, p, err := Parse(data)
		n := -1
		if d != nil {
			n = len(d.Users())
			if n > 0 {
				fmt.Printf("%s: users %+v\n", name, d.Users())
			}
		}
		fmt.Printf("%s: users=%d problems=%v err=%v\n", name, n, p, err)
	}
}
