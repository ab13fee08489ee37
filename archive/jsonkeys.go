package archive

import (
	"encoding/json"
	"fmt"
)

// quickKeys is checkKeys without encoding/json's tokenizer, which
// allocated for every key and value and was most of the reading of an
// archive's structure (a profile of the import of 20,000 rooms: 2.2 of its
// 9 CPU seconds). It walks the top level of the object, skipping the
// values. ok is false when line is not a well-formed object as far as the
// walk can tell: checkKeysSlow then gives encoding/json's error; the
// record is decoded by encoding/json afterwards in any case, which checks
// what the walk does not (numbers, escapes, what follows the object).
func quickKeys(line []byte, rules []keyRule) (ok bool, err error) {
	if len(rules) > 64 {
		return false, nil
	}
	var seen uint64
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return false, nil
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		return true, missing(rules, seen)
	}
	for {
		if i >= len(line) || line[i] != '"' {
			return false, nil
		}
		end, escaped, good := skipString(line, i)
		if !good {
			return false, nil
		}
		key := line[i+1 : end-1]
		if escaped {
			var k string
			if json.Unmarshal(line[i:end], &k) != nil {
				return false, nil
			}
			key = []byte(k)
		}
		i = skipSpace(line, end)
		if i >= len(line) || line[i] != ':' {
			return false, nil
		}
		i = skipSpace(line, i+1)
		vEnd, good := skipValue(line, i)
		if !good {
			return false, nil
		}
		idx := -1
		for n := range rules {
			if rules[n].key == string(key) {
				idx = n
				break
			}
		}
		switch {
		case idx < 0:
			return true, errUnknownField
		case seen&(1<<idx) != 0:
			return true, fmt.Errorf("field %q appears twice", key)
		case !rules[idx].nullable && string(line[i:vEnd]) == "null":
			return true, fmt.Errorf("field %q is null", key)
		}
		if err := rules[idx].checkDigits(line[i:vEnd]); err != nil {
			return true, err
		}
		seen |= 1 << idx
		i = skipSpace(line, vEnd)
		if i >= len(line) {
			return false, nil
		}
		switch line[i] {
		case ',':
			i = skipSpace(line, i+1)
		case '}':
			return true, missing(rules, seen)
		default:
			return false, nil
		}
	}
}

// missing names the first required key not seen.
func missing(rules []keyRule, seen uint64) error {
	for n, r := range rules {
		if seen&(1<<n) == 0 && !r.optional {
			return fmt.Errorf("field %q is missing", r.key)
		}
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string that starts at b[i] (a
// quote) and whether it holds an escape.
func skipString(b []byte, i int) (end int, escaped, ok bool) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j + 1, escaped, true
		}
	}
	return 0, false, false
}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		end, _, ok := skipString(b, i)
		return end, ok
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, _, ok := skipString(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j, j > i
}
