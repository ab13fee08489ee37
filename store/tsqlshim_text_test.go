package store

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// The stand-in server's nvarchar: an embedded lab database holds UTF-8,
// and a surrogate without its pair as its generalized UTF-8 (WTF-8)
// bytes, ED A0 80 for U+D800 (SQLite keeps any bytes). These SQLite
// functions give the T-SQL forms the store sends their SQL Server
// answers: pcmig_shim_utf16le(x) is CONVERT(varbinary(max), x) of an
// nvarchar (its UTF-16LE bytes), pcmig_shim_unpaired(x) is
// unpairedSurrogateSQL(x) (1 when x holds a surrogate without its pair).
func init() {
	for name, fn := range map[string]func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error){
		"pcmig_shim_utf16le": func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			units, err := shimUnits(args[0])
			if units == nil || err != nil {
				return nil, err
			}
			b := make([]byte, 2*len(units))
			for i, u := range units {
				binary.LittleEndian.PutUint16(b[2*i:], u)
			}
			return b, nil
		},
		"pcmig_shim_unpaired": func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			units, err := shimUnits(args[0])
			if err != nil {
				return nil, err
			}
			for i := 0; i < len(units); i++ {
				switch u := units[i]; {
				case u >= 0xD800 && u < 0xDC00:
					if i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] < 0xE000 {
						i++
						continue
					}
					return int64(1), nil
				case u >= 0xDC00 && u < 0xE000:
					return int64(1), nil
				}
			}
			return int64(0), nil
		},
	} {
		if err := sqlite.RegisterDeterministicScalarFunction(name, 1, fn); err != nil {
			panic(err)
		}
	}
}

// shimUnits is the UTF-16 code units of an embedded text value, read as
// WTF-8 (nil for NULL). Other invalid bytes are U+FFFD.
func shimUnits(v driver.Value) ([]uint16, error) {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return nil, fmt.Errorf("tsql shim: text expected, got %T", v)
	}
	units := []uint16{}
	for len(b) > 0 {
		if len(b) >= 3 && b[0] == 0xED && b[1] >= 0xA0 && b[1] <= 0xBF && b[2]&0xC0 == 0x80 {
			units = append(units, 0xD000|uint16(b[1]&0x3F)<<6|uint16(b[2]&0x3F))
			b = b[3:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			r -= 0x10000
			units = append(units, 0xD800+uint16(r>>10), 0xDC00+uint16(r&0x3FF))
		} else {
			units = append(units, uint16(r))
		}
	}
	return units, nil
}

var (
	tsqlVarbinary   = regexp.MustCompile(`CONVERT\(varbinary\(max\), ([A-Za-z_.]+)\)`)
	tsqlNVarCharMax = regexp.MustCompile(`CONVERT\(nvarchar\(max\), ([A-Za-z_.]+)\)`)
	// tsqlUnpaired matches unpairedSurrogateSQL of a column (named the
	// same in each of its places: the store builds it so).
	tsqlUnpaired = regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(unpairedSurrogateSQL("COLUMN")), "COLUMN", `([A-Za-z_.\[\]]+)`))
)

// translateText rewrites the text forms above. CONVERT(nvarchar(max), x)
// of a text column is the column itself (an embedded database's text is
// the stand-in's nvarchar, whatever type the catalogue declares).
func translateText(q string) string {
	q = tsqlNVarCharMax.ReplaceAllString(q, "$1")
	q = tsqlVarbinary.ReplaceAllString(q, "pcmig_shim_utf16le($1)")
	q = tsqlUnpaired.ReplaceAllString(q, "pcmig_shim_unpaired($1)")
	return q
}

// driverText is a text value as go-mssqldb gives it: always valid UTF-8,
// a surrogate without its pair read as U+FFFD (utf16.Decode).
func driverText(v driver.Value) driver.Value {
	s, ok := v.(string)
	if !ok || utf8.ValidString(s) {
		return v
	}
	units, _ := shimUnits(s)
	return string(utf16.Decode(units))
}
