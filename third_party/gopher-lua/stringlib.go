package lua

import (
	"fmt"
	"strings"

	"github.com/yuin/gopher-lua/pm"
)

const emptyLString LString = LString("")

func OpenString(L *LState) int {
	var mod *LTable
	//_, ok := L.G.builtinMts[int(LTString)]
	//if !ok {
	mod = L.RegisterModule(StringLibName, strFuncs).(*LTable)
	gmatch := L.NewFunction(strGmatch)
	mod.RawSetString("gmatch", gmatch)
	mod.RawSetString("gfind", gmatch)
	mod.RawSetString("__index", mod)
	L.G.builtinMts[int(LTString)] = mod
	//}
	L.Push(mod)
	return 1
}

var strFuncs = map[string]LGFunction{
	"byte":    strByte,
	"char":    strChar,
	"dump":    strDump,
	"find":    strFind,
	"format":  strFormat,
	"gsub":    strGsub,
	"len":     strLen,
	"lower":   strLower,
	"match":   strMatch,
	"rep":     strRep,
	"reverse": strReverse,
	"sub":     strSub,
	"upper":   strUpper,
}

func strByte(L *LState) int {
	str := L.CheckString(1)
	start := L.OptInt(2, 1) - 1
	end := L.OptInt(3, -1)
	l := len(str)
	if start < 0 {
		start = l + start + 1
	}
	if end < 0 {
		end = l + end + 1
	}

	if L.GetTop() == 2 {
		if start < 0 || start >= l {
			return 0
		}
		L.Push(LNumber(str[start]))
		return 1
	}

	start = intMax(start, 0)
	end = intMin(end, l)
	if end < 0 || end <= start || start >= l {
		return 0
	}

	for i := start; i < end; i++ {
		L.Push(LNumber(str[i]))
	}
	return end - start
}

func strChar(L *LState) int {
	top := L.GetTop()
	bytes := make([]byte, L.GetTop())
	for i := 1; i <= top; i++ {
		c := L.CheckInt(i)
		if c < 0 || c > 255 {
			L.ArgError(i, "invalid value") // Lua 5.1; it wrapped around
		}
		bytes[i-1] = uint8(c)
	}
	L.Push(LString(string(bytes)))
	return 1
}

func strDump(L *LState) int {
	L.RaiseError("GopherLua does not support the string.dump")
	return 0
}

// hasPatternSpecials reports whether pattern, up to its first NUL, holds
// one of Lua 5.1's SPECIALS ("^$*+?.([%-").
func hasPatternSpecials(pattern string) bool {
	if i := strings.IndexByte(pattern, 0); i >= 0 {
		pattern = pattern[:i]
	}
	return strings.ContainsAny(pattern, "^$*+?.([%-")
}

func strFind(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	init := strInit(str, L.OptInt(3, 1))
	if len(pattern) == 0 {
		L.Push(LNumber(init + 1))
		L.Push(LNumber(init))
		return 2
	}
	// As Lua 5.1's str_find_aux: a plain search when asked for, or when
	// the pattern has none of the characters that make it one (up to its
	// first NUL, as strpbrk reads it): ("x Sales) y"):find("Sales)") is
	// 3 8, not an error.
	plain := LVAsBool(L.Get(4)) || !hasPatternSpecials(pattern)

	if plain {
		pos := strings.Index(str[init:], pattern)
		if pos < 0 {
			L.Push(LNil)
			return 1
		}
		L.Push(LNumber(init+pos) + 1)
		L.Push(LNumber(init + pos + len(pattern)))
		return 2
	}

	mds, err := pm.FindContext(L.contextOrBackground(), pattern, unsafeFastStringToReadOnlyBytes(str), init, 1)
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 1
	}
	md := mds[0]
	L.Push(LNumber(md.Capture(0) + 1))
	L.Push(LNumber(md.Capture(1)))
	for i := 2; i < md.CaptureLength(); i += 2 {
		if md.IsPosCapture(i) {
			L.Push(LNumber(md.Capture(i)))
		} else {
			L.Push(LString(str[md.Capture(i):md.Capture(i+1)]))
		}
	}
	return md.CaptureLength()/2 + 1
}

// formatSize bounds the length of string.format's result: the format, each
// number in it taken as a width (fmt refuses widths over 1e6), and each
// argument, strings twice over (%q escapes).
func formatSize(format string, args []interface{}) int {
	size, num := len(format), 0
	for i := 0; i <= len(format); i++ {
		if i < len(format) && format[i] >= '0' && format[i] <= '9' {
			if num = num*10 + int(format[i]-'0'); num > 1e6 {
				num = 1e6
			}
			continue
		}
		size, num = size+num, 0
	}
	for _, a := range args {
		if s, ok := a.(LString); ok {
			size += 2 * len(s)
		} else {
			size += 32
		}
	}
	return size
}

func strGsub(L *LState) int {
	str := L.CheckString(1)
	pat := L.CheckString(2)
	L.CheckTypes(3, LTString, LTNumber, LTTable, LTFunction)
	repl := L.CheckAny(3)
	limit := L.OptInt(4, -1)
	if L.GetTop() >= 4 && limit <= 0 {
		// Lua 5.1 replaces while n < max_s: none for a limit below 1.
		L.SetTop(1)
		L.Push(LNumber(0))
		return 2
	}

	mds, err := pm.FindContext(L.contextOrBackground(), pat, unsafeFastStringToReadOnlyBytes(str), 0, limit)
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.SetTop(1)
		L.Push(LNumber(0))
		return 2
	}
	switch lv := repl.(type) {
	case LString:
		L.Push(LString(strGsubStr(L, str, string(lv), mds)))
	case LNumber:
		L.Push(LString(strGsubStr(L, str, lv.String(), mds)))
	case *LTable:
		L.Push(LString(strGsubTable(L, str, lv, mds)))
	case *LFunction:
		L.Push(LString(strGsubFunc(L, str, lv, mds)))
	}
	L.Push(LNumber(len(mds)))
	return 2
}

// gsubValue is what a table's or a function's value puts in place of a
// match, as Lua 5.1's add_value: nil or false keeps the match, a string or
// a number replaces it, anything else is an error.
func gsubValue(L *LState, v LValue) (string, bool) {
	if LVIsFalse(v) {
		return "", false
	}
	if !LVCanConvToString(v) {
		L.RaiseError("invalid replacement value (a %s)", v.Type().String())
	}
	return LVAsString(v), true
}

func checkCaptureIndex(L *LState, m *pm.MatchData, idx int) {
	if idx <= 2 {
		return
	}
	if idx >= m.CaptureLength() {
		L.RaiseError("invalid capture index")
	}
}

func capturedString(L *LState, m *pm.MatchData, str string, idx int) string {
	checkCaptureIndex(L, m, idx)
	if idx >= m.CaptureLength() && idx == 2 {
		idx = 0
	}
	if m.IsPosCapture(idx) {
		return fmt.Sprint(m.Capture(idx))
	} else {
		return str[m.Capture(idx):m.Capture(idx+1)]
	}

}

// gsubResult builds string.gsub's result in one pass as the matches are
// replaced, in order. Before each piece it asks the memory check about the
// result's size and, every MiB of it, looks at the context: it kept every
// replacement until the end, so that ("x"):rep(1e6):gsub("x", s) of a
// string s of a megabyte allocated a terabyte before any check.
type gsubResult struct {
	L         *LState
	str       string
	b         strings.Builder
	g         growthCheck
	prev      int
	unchecked int
}

func newGsubResult(L *LState, str string) *gsubResult {
	return &gsubResult{L: L, str: str, g: growthCheck{ls: L}}
}

// replace puts repl in place of str[start:end].
func (r *gsubResult) replace(start, end int, repl []byte) {
	n := start - r.prev + len(repl)
	r.grow(n)
	r.b.WriteString(r.str[r.prev:start])
	r.b.Write(repl)
	r.prev = end
	if r.unchecked += n; r.unchecked >= 1<<20 {
		r.unchecked = 0
		r.L.checkContext()
	}
}

// grow asks the memory check before the result grows by n bytes, and
// doubles its buffer when it is full, as the check supposes (append grows
// a large buffer by a quarter: five times the result's size allocated).
func (r *gsubResult) grow(n int) {
	r.g.grow(r.b.Len() + n)
	if r.b.Len()+n > r.b.Cap() {
		r.b.Grow(n)
	}
}

// String returns the result, the rest of str after the last match added.
func (r *gsubResult) String() string {
	r.grow(len(r.str) - r.prev)
	r.b.WriteString(r.str[r.prev:])
	return r.b.String()
}

func strGsubStr(L *LState, str string, repl string, matches []*pm.MatchData) string {
	r := newGsubResult(L, str)
	var b []byte
	for i, match := range matches {
		if i%4096 == 0 {
			L.checkContext()
		}
		start, end := match.Capture(0), match.Capture(1)
		// As Lua 5.1's add_s: %0 to %9 are the match and its captures,
		// % before any other character is that character, and a % that
		// ends the replacement adds the NUL that ends C's string.
		b = b[:0]
		for k := 0; k < len(repl); k++ {
			c := repl[k]
			if c != '%' {
				b = append(b, c)
				continue
			}
			k++
			switch {
			case k == len(repl):
				b = append(b, 0)
			case repl[k] >= '0' && repl[k] <= '9':
				c := capturedString(L, match, str, 2*int(repl[k]-'0'))
				// A replacement of many %0 repeats the match as often:
				// the result will hold it, so ask before it grows.
				r.g.grow(r.b.Len() + start - r.prev + len(b) + len(c))
				if len(b)+len(c) > cap(b) {
					b = append(make([]byte, 0, 2*(len(b)+len(c))), b...)
				}
				b = append(b, c...)
			default:
				b = append(b, repl[k])
			}
		}
		r.replace(start, end, b)
	}
	return r.String()
}

func strGsubTable(L *LState, str string, repl *LTable, matches []*pm.MatchData) string {
	r := newGsubResult(L, str)
	for i, match := range matches {
		if i%4096 == 0 {
			L.checkContext()
		}
		idx := 0
		if match.CaptureLength() > 2 { // has captures
			idx = 2
		}
		var value LValue
		if match.IsPosCapture(idx) {
			value = L.GetTable(repl, LNumber(match.Capture(idx)))
		} else {
			value = L.GetField(repl, str[match.Capture(idx):match.Capture(idx+1)])
		}
		if v, ok := gsubValue(L, value); ok {
			r.replace(match.Capture(0), match.Capture(1), unsafeFastStringToReadOnlyBytes(v))
		}
	}
	return r.String()
}

func strGsubFunc(L *LState, str string, repl *LFunction, matches []*pm.MatchData) string {
	r := newGsubResult(L, str)
	for _, match := range matches {
		start, end := match.Capture(0), match.Capture(1)
		L.Push(repl)
		nargs := 0
		if match.CaptureLength() > 2 { // has captures
			for i := 2; i < match.CaptureLength(); i += 2 {
				if match.IsPosCapture(i) {
					L.Push(LNumber(match.Capture(i)))
				} else {
					L.Push(LString(capturedString(L, match, str, i)))
				}
				nargs++
			}
		} else {
			L.Push(LString(capturedString(L, match, str, 0)))
			nargs++
		}
		L.Call(nargs, 1)
		ret := L.reg.Pop()
		if v, ok := gsubValue(L, ret); ok {
			r.replace(start, end, unsafeFastStringToReadOnlyBytes(v))
		}
	}
	return r.String()
}

type strMatchData struct {
	str     string
	pos     int
	matches []*pm.MatchData
}

// strGmatchIter is the iterator gmatch returns, its matches in its
// upvalue (as Lua 5.1's gmatch_aux): it takes no arguments, so that it can
// be called by itself (it read them from its first argument, which only
// a generic for passes).
func strGmatchIter(L *LState) int {
	md := L.Get(UpvalueIndex(1)).(*LUserData).Value.(*strMatchData)
	str := md.str
	matches := md.matches
	idx := md.pos
	if idx >= len(matches) {
		return 0
	}
	md.pos += 1
	match := matches[idx]
	if match.CaptureLength() == 2 {
		L.Push(LString(str[match.Capture(0):match.Capture(1)]))
		return 1
	}

	for i := 2; i < match.CaptureLength(); i += 2 {
		if match.IsPosCapture(i) {
			L.Push(LNumber(match.Capture(i)))
		} else {
			L.Push(LString(str[match.Capture(i):match.Capture(i+1)]))
		}
	}
	return match.CaptureLength()/2 - 1
}

func strGmatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	if strings.HasPrefix(pattern, "^") {
		// Lua 5.1's gmatch has no anchor: a leading '^' is a literal
		pattern = "%" + pattern
	}
	mds, err := pm.FindContext(L.contextOrBackground(), pattern, []byte(str), 0, -1)
	if err != nil {
		L.RaiseError(err.Error())
	}
	ud := L.NewUserData()
	ud.Value = &strMatchData{str, 0, mds}
	L.Push(L.NewClosure(strGmatchIter, ud))
	return 1
}

func strLen(L *LState) int {
	str := L.CheckString(1)
	L.Push(LNumber(len(str)))
	return 1
}

func strLower(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(asciiCase(str, 'A', 'Z', 'a'-'A')))
	return 1
}

func strMatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	offset := strInit(str, L.OptInt(3, 1))

	mds, err := pm.FindContext(L.contextOrBackground(), pattern, unsafeFastStringToReadOnlyBytes(str), offset, 1)
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 1 // nil, as in Lua 5.1, not nothing
	}
	md := mds[0]
	nsubs := md.CaptureLength() / 2
	switch nsubs {
	case 1:
		L.Push(LString(str[md.Capture(0):md.Capture(1)]))
		return 1
	default:
		for i := 2; i < md.CaptureLength(); i += 2 {
			if md.IsPosCapture(i) {
				L.Push(LNumber(md.Capture(i)))
			} else {
				L.Push(LString(str[md.Capture(i):md.Capture(i+1)]))
			}
		}
		return nsubs - 1
	}
}

func strRep(L *LState) int {
	str := L.CheckString(1)
	n := L.CheckInt(2)
	if n < 0 {
		L.Push(emptyLString)
	} else {
		L.checkAlloc(mulSize(len(str), n))
		L.Push(LString(strings.Repeat(str, n)))
	}
	return 1
}

func strReverse(L *LState) int {
	str := L.CheckString(1)
	bts := []byte(str)
	out := make([]byte, len(bts))
	for i, j := 0, len(bts)-1; j >= 0; i, j = i+1, j-1 {
		out[i] = bts[j]
	}
	L.Push(LString(string(out)))
	return 1
}

func strSub(L *LState) int {
	str := L.CheckString(1)
	start := luaIndex2StringIndex(str, L.CheckInt(2), true)
	end := luaIndex2StringIndex(str, L.OptInt(3, -1), false)
	l := len(str)
	if start >= l || end < start {
		L.Push(emptyLString)
	} else {
		L.Push(LString(str[start:end]))
	}
	return 1
}

func strUpper(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(asciiCase(str, 'a', 'z', 'A'-'a')))
	return 1
}

func luaIndex2StringIndex(str string, i int, start bool) int {
	if start && i != 0 {
		i -= 1
	}
	l := len(str)
	if i < 0 {
		i = l + i + 1
	}
	i = intMax(0, i)
	if !start && i > l {
		i = l
	}
	return i
}

//

// strInit is the start of string.find and string.match in str for the Lua
// index init, as Lua 5.1 has it: a negative index counts from the end, and
// the start is at least 0 and at most len(str), so that find("", 10) on
// "abc" finds the empty string at 4.
func strInit(str string, init int) int {
	l := len(str)
	if init < 0 {
		init += l + 1
	}
	init--
	if init < 0 {
		return 0
	}
	if init > l {
		return l
	}
	return init
}

// asciiCase adds delta to each byte of str from lo to hi: string.upper and
// string.lower as Lua 5.1 in the C locale, ASCII letters only, every other
// byte unchanged (released gopher-lua used Go's Unicode mapping, which
// changed letters such as "\u00e9" and even the length of a string).
func asciiCase(str string, lo, hi byte, delta int) string {
	b := []byte(str)
	for i, c := range b {
		if lo <= c && c <= hi {
			b[i] = byte(int(c) + delta)
		}
	}
	return string(b)
}
