package lua

import (
	"sort"
	"strings"
)

func OpenTable(L *LState) int {
	tabmod := L.RegisterModule(TabLibName, tableFuncs)
	L.Push(tabmod)
	return 1
}

var tableFuncs = map[string]LGFunction{
	"getn":   tableGetN,
	"concat": tableConcat,
	"insert": tableInsert,
	"maxn":   tableMaxN,
	"remove": tableRemove,
	"sort":   tableSort,
}

func tableSort(L *LState) int {
	tbl := L.CheckTable(1)
	sorter := lValueArraySorter{L, nil, tbl.array}
	if L.GetTop() != 1 {
		sorter.Fn = L.CheckFunction(2)
	}
	sort.Sort(sorter)
	return 0
}

func tableGetN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).Len()))
	return 1
}

func tableMaxN(L *LState) int {
	// As Lua 5.1: the largest positive number key, whether an integer in
	// the array part or any number in the hash part.
	tb := L.CheckTable(1)
	max := LNumber(tb.MaxN())
	for k := range tb.dict {
		if n, ok := k.(LNumber); ok && n > max {
			max = n
		}
	}
	L.Push(max)
	return 1
}

// tableRemove is Lua 5.1's tremove: a position outside 1..#t removes
// nothing and returns nothing (position 0 removed the last element).
func tableRemove(L *LState) int {
	tbl := L.CheckTable(1)
	e := tbl.Len()
	pos := L.OptInt(2, e)
	if pos < 1 || pos > e {
		return 0
	}
	L.Push(tbl.RawGetInt(pos))
	for ; pos < e; pos++ {
		tbl.RawSetInt(pos, tbl.RawGetInt(pos+1))
	}
	tbl.RawSetInt(e, LNil)
	return 1
}

// tableConcat is Lua 5.1's tconcat: the elements i to j (1 and #t by
// default) must all be strings or numbers; an index out of the list is
// an error (they were clamped to 1..#t without a word).
func tableConcat(L *LState) int {
	tbl := L.CheckTable(1)
	sep := LString(L.OptString(2, ""))
	i := L.OptInt(3, 1)
	j := L.OptInt(4, tbl.Len())
	if i > j {
		L.Push(emptyLString)
		return 1
	}
	// One pass to check each element (stopping at the first that is no
	// string, so that a wide range of nils costs nothing) and size the
	// result.
	size := mulSize(len(sep), j-i)
	for k := i; k <= j; k++ {
		v := tbl.RawGetInt(k)
		if !LVCanConvToString(v) {
			L.RaiseError("invalid value (%s) at index %d in table for 'concat'", v.Type().String(), k)
		}
		if size >= 0 {
			size += len(LVAsString(v))
		}
	}
	// Build the string directly rather than pushing every piece onto the
	// data stack: a long list would overflow a stack of fixed size, and
	// the pieces would be copied twice.
	L.checkAlloc(size)
	var b strings.Builder
	b.Grow(size)
	for k := i; k <= j; k++ {
		b.WriteString(LVAsString(tbl.RawGetInt(k)))
		if k != j {
			b.WriteString(string(sep))
		}
	}
	L.Push(LString(b.String()))
	return 1
}

// tableInsert is Lua 5.1's tinsert: table.insert(t, v) appends,
// table.insert(t, pos, v) moves t[pos..#t] up one (growing the list to
// pos when pos is past its end), any other number of arguments is an
// error (a fourth argument was ignored).
func tableInsert(L *LState) int {
	tbl := L.CheckTable(1)
	switch L.GetTop() {
	case 2:
		tbl.Append(L.Get(2))
		return 0
	case 3:
	default:
		L.RaiseError("wrong number of arguments to 'insert'")
	}
	e := tbl.Len() + 1
	pos := L.CheckInt(2)
	if pos > e {
		e = pos
	}
	for k := e; k > pos; k-- {
		if (e-k)%4096 == 4095 {
			L.checkContext() // table.insert(t, -2^40, v) moves 2^40 elements, as Lua 5.1
		}
		tbl.RawSetInt(k, tbl.RawGetInt(k-1))
	}
	tbl.RawSetInt(pos, L.Get(3))
	return 0
}

//
