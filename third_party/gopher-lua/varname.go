package lua

// Naming the value an error is about, as Lua 5.1's getobjname (ldebug.c):
// "attempt to call global 'foo' (a nil value)" rather than "attempt to call
// a non-function object". The register the failing instruction reads is
// named after the local it holds, or after the instruction that last set
// it (findSetReg, Lua 5.2's findsetreg with its handling of jumps): a
// global, a field or method read with a constant name, an upvalue, or a
// move from a named register. When that is not certain the name is "" and
// the caller keeps its own message.

// localNameAt is the name of the local held in register reg at pc, or "".
func localNameAt(proto *FunctionProto, reg, pc int) string {
	n := reg + 1
	for _, l := range proto.DbgLocals {
		if l.StartPc > pc {
			break
		}
		if pc < l.EndPc {
			n--
			if n == 0 {
				return l.Name
			}
		}
	}
	return ""
}

// findSetReg is the pc of the instruction before lastpc that last set
// register reg, or -1 if there is none or it is not certain to have run
// (it lies between a forward jump and the jump's target, or the register is
// written by code findSetReg does not follow).
func findSetReg(proto *FunctionProto, lastpc, reg int) int {
	code := proto.Code
	if lastpc > len(code) {
		return -1
	}
	setreg := -1
	jmptarget := 0 // code before this pc is conditional
	set := func(pc int) {
		if pc < jmptarget {
			setreg = -1
		} else {
			setreg = pc
		}
	}
	jump := func(dest int) {
		if dest <= lastpc && dest > jmptarget {
			jmptarget = dest
		}
	}
	for pc := 0; pc < lastpc; pc++ {
		inst := code[pc]
		op := opGetOpCode(inst)
		a := opGetArgA(inst)
		switch op {
		case OP_LOADNIL:
			if a <= reg && reg <= opGetArgB(inst) {
				set(pc)
			}
		case OP_CALL, OP_TAILCALL, OP_VARARG:
			if reg >= a {
				set(pc)
			}
		case OP_TFORLOOP:
			if reg >= a+2 {
				set(pc)
			}
			jump(pc + 2)
		case OP_SELF:
			if reg == a || reg == a+1 {
				set(pc)
			}
		case OP_FORLOOP:
			if reg == a || reg == a+3 {
				set(pc)
			}
		case OP_FORPREP:
			if reg == a {
				set(pc)
			}
			jump(pc + 1 + opGetArgSbx(inst))
		case OP_JMP:
			if dest := pc + 1 + opGetArgSbx(inst); dest > pc {
				jump(dest)
			}
		case OP_EQ, OP_LT, OP_LE, OP_TEST:
			jump(pc + 2)
		case OP_TESTSET:
			if reg == a {
				set(pc)
			}
			jump(pc + 2)
		case OP_LOADBOOL:
			if reg == a {
				set(pc)
			}
			if opGetArgC(inst) != 0 {
				jump(pc + 2)
			}
		case OP_SETLIST:
			if opGetArgC(inst) == 0 {
				pc++ // the next word is C
			}
		case OP_CLOSURE:
			if reg == a {
				set(pc)
			}
			// the closure's upvalues follow as MOVE or GETUPVAL
			if bx := opGetArgBx(inst); bx < len(proto.FunctionPrototypes) {
				pc += int(proto.FunctionPrototypes[bx].NumUpvalues)
			} else {
				return -1
			}
		case OP_MOVE, OP_MOVEN, OP_LOADK, OP_GETUPVAL, OP_GETGLOBAL, OP_GETTABLE, OP_GETTABLEKS,
			OP_NEWTABLE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW, OP_UNM, OP_NOT, OP_LEN, OP_CONCAT:
			if reg == a {
				set(pc)
			}
		case OP_SETGLOBAL, OP_SETUPVAL, OP_SETTABLE, OP_SETTABLEKS, OP_RETURN, OP_CLOSE, OP_NOP:
		default:
			return -1
		}
	}
	return setreg
}

// constantName is the string constant rk names, or "".
func constantName(proto *FunctionProto, rk int) string {
	if !opIsK(rk) {
		return ""
	}
	if s, ok := proto.Constants[opIndexK(rk)].(LString); ok {
		return string(s)
	}
	return ""
}

// objectName names register reg of proto at pc: "global 'foo'", "local
// 'x'", "field 'name'", "upvalue 'u'", "method 'm'", or "".
func objectName(proto *FunctionProto, pc, reg int) string {
	for depth := 0; depth < 200; depth++ {
		if name := localNameAt(proto, reg, pc); name != "" {
			if name[0] == '(' { // (for index) and the like
				return ""
			}
			return "local '" + name + "'"
		}
		setpc := findSetReg(proto, pc, reg)
		if setpc < 0 {
			return ""
		}
		inst := proto.Code[setpc]
		switch opGetOpCode(inst) {
		case OP_GETGLOBAL:
			if bx := opGetArgBx(inst); bx < len(proto.Constants) {
				if s, ok := proto.Constants[bx].(LString); ok {
					return "global '" + string(s) + "'"
				}
			}
			return ""
		case OP_MOVE, OP_MOVEN:
			b := opGetArgB(inst)
			if b >= opGetArgA(inst) {
				return ""
			}
			pc, reg = setpc, b
			continue
		case OP_GETTABLE, OP_GETTABLEKS:
			if name := constantName(proto, opGetArgC(inst)); name != "" {
				return "field '" + name + "'"
			}
			return ""
		case OP_GETUPVAL:
			if b := opGetArgB(inst); b < len(proto.DbgUpvalues) {
				return "upvalue '" + proto.DbgUpvalues[b] + "'"
			}
			return ""
		case OP_SELF:
			if reg != opGetArgA(inst) {
				return ""
			}
			if name := constantName(proto, opGetArgC(inst)); name != "" {
				return "method '" + name + "'"
			}
			return ""
		}
		return ""
	}
	return ""
}

// currentInstruction is the running Lua function's frame and the
// instruction it is executing, if it is one of ops.
func (ls *LState) currentInstruction(ops []int) (*callFrame, uint32, bool) {
	cf := ls.currentFrame
	if cf == nil || cf.Fn == nil || cf.Fn.IsG || cf.Fn.Proto == nil {
		return nil, 0, false
	}
	pc := cf.Pc - 1
	if pc < 0 || pc >= len(cf.Fn.Proto.Code) {
		return nil, 0, false
	}
	inst := cf.Fn.Proto.Code[pc]
	op := opGetOpCode(inst)
	for _, o := range ops {
		if o == op {
			return cf, inst, true
		}
	}
	return nil, 0, false
}

// registerName names the register of the running Lua function that the
// instruction being executed (one of ops) reads as its operand number
// which (0: A, 1: B, 2: C; a constant is no register) when it holds v,
// followed by v's type in parentheses: "local 'x' (a nil value)". It is ""
// when the current frame is a Go function's (a Go function's L.GetField
// names nothing), the instruction is another, or its operand is not v.
func (ls *LState) registerName(ops []int, which int, v LValue) string {
	cf, inst, ok := ls.currentInstruction(ops)
	if !ok {
		return ""
	}
	var reg int
	switch which {
	case 0:
		reg = opGetArgA(inst)
	case 1:
		reg = opGetArgB(inst)
	default:
		reg = opGetArgC(inst)
	}
	if which != 0 && opIsK(reg) {
		return ""
	}
	return ls.frameRegisterName(cf, reg, v)
}

// frameRegisterName names register reg of the Lua function running in cf
// at its current instruction if it holds v.
func (ls *LState) frameRegisterName(cf *callFrame, reg int, v LValue) string {
	idx := cf.LocalBase + reg
	if reg < 0 || idx < 0 || idx >= len(ls.reg.array) || !sameValue(ls.reg.array[idx], v) {
		return ""
	}
	name := objectName(cf.Fn.Proto, cf.Pc-1, reg)
	if name == "" {
		return ""
	}
	return name + " (a " + v.Type().String() + " value)"
}

// sameValue is v1 == v2 for the values a register holds, without comparing
// values Go cannot compare.
func sameValue(v1, v2 LValue) bool {
	switch v1.(type) {
	case LNumber, LString, LBool, *LNilType, *LTable, *LFunction, *LUserData, *LState, LChannel:
		return v1 == v2
	}
	return false
}

var (
	namedCallOps   = []int{OP_CALL, OP_TAILCALL}
	namedIndexOps  = []int{OP_GETTABLE, OP_GETTABLEKS, OP_SELF}
	namedSetOps    = []int{OP_SETTABLE, OP_SETTABLEKS}
	namedArithOps  = []int{OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW}
	namedLenOps    = []int{OP_LEN}
	namedUnmOps    = []int{OP_UNM}
	namedConcatOps = []int{OP_CONCAT}
)

// callErrorMessage is the message for calling fn, which is no function.
func (ls *LState) callErrorMessage(fn LValue) string {
	if fn != nil {
		if name := ls.registerName(namedCallOps, 0, fn); name != "" {
			return "attempt to call " + name
		}
	}
	return "attempt to call a non-function object"
}

// indexErrorMessage is the message for indexing obj, which is no table,
// with key; first is false after an __index or __newindex chain, when obj
// is not the value the instruction read.
func (ls *LState) indexErrorMessage(obj LValue, key string, first, set bool) string {
	if first {
		ops := namedIndexOps
		which := 1
		if set {
			ops, which = namedSetOps, 0
		}
		if name := ls.registerName(ops, which, obj); name != "" {
			return "attempt to index " + name + " with key '" + key + "'"
		}
	}
	return "attempt to index a non-table object(" + obj.Type().String() + ") with key '" + key + "'"
}

// arithErrorName names the operand of the arithmetic instruction being
// executed that Lua 5.1 blames (luaG_aritherror: the first that is no
// number nor a string convertible to one), or "".
func (ls *LState) arithErrorName(lhs, rhs LValue, lhsIsNumber bool) string {
	if !lhsIsNumber {
		return ls.registerName(namedArithOps, 1, lhs)
	}
	return ls.registerName(namedArithOps, 2, rhs)
}

// concatErrorName names the operand of the concatenation being executed
// that Lua 5.1 blames (luaG_concaterror: the left one unless it is a string
// or number), or "". lhsIdx and rhsIdx are their registers' absolute
// indexes, -1 for a value concatenation made.
func (ls *LState) concatErrorName(lhs, rhs LValue, lhsIdx, rhsIdx int) string {
	v, idx := lhs, lhsIdx
	if LVCanConvToString(lhs) {
		v, idx = rhs, rhsIdx
	}
	if idx < 0 {
		return ""
	}
	cf, inst, ok := ls.currentInstruction(namedConcatOps)
	if !ok {
		return ""
	}
	reg := idx - cf.LocalBase
	if reg < opGetArgB(inst) || reg > opGetArgC(inst) {
		return ""
	}
	return ls.frameRegisterName(cf, reg, v)
}
