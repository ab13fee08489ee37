package lua

import (
	"context"
	"io"
)

// allocCheckMin is the smallest allocation the interpreter reports to
// Options.MemoryCheck; smaller ones are left to the embedder's watch of
// the heap.
const allocCheckMin = 64 << 10

// checkAlloc asks Options.MemoryCheck whether the interpreter may allocate
// bytes for a value whose size the script chooses, and raises its error
// if not. size < 0 stands for a size too large for an int.
func (ls *LState) checkAlloc(size int) {
	if size < 0 {
		ls.RaiseError("resulting string too large")
	}
	if ls.Options.MemoryCheck == nil || size < allocCheckMin {
		return
	}
	if err := ls.Options.MemoryCheck(size); err != nil {
		ls.RaiseError("%s", err.Error())
	}
}

// mulSize returns a*b, or -1 when it overflows an int (a, b >= 0).
func mulSize(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if c := a * b; c/b == a && c >= 0 {
		return c
	}
	return -1
}

// growthCheck reports a buffer's growth to checkAlloc each time it doubles,
// so that a result built piece by piece is checked O(log n) times.
type growthCheck struct {
	ls   *LState
	next int
}

func (g *growthCheck) grow(size int) {
	if size < 0 || size >= g.next {
		g.ls.checkAlloc(2 * size)
		if g.next = 2 * size; g.next < allocCheckMin {
			g.next = allocCheckMin
		}
	}
}

// checkContext raises the context's error when the state's context is
// done. The VM looks at the context before every instruction; Go code
// that loops on behalf of a script (the pattern matcher, load's reader,
// string.gsub, table.sort) calls this as it goes.
func (ls *LState) checkContext() {
	if ls.ctx == nil {
		return
	}
	select {
	case <-ls.ctx.Done():
		ls.RaiseError(ls.ctx.Err().Error())
	default:
	}
}

// contextOrBackground returns the state's context, or context.Background.
func (ls *LState) contextOrBackground() context.Context {
	if ls.ctx == nil {
		return context.Background()
	}
	return ls.ctx
}

// contextReader ends its reader early when ctx is done, so that the parser
// stops reading a huge chunk; the caller then finds the context done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr contextReader) Read(p []byte) (int, error) {
	if cr.ctx.Err() != nil {
		return 0, io.EOF
	}
	return cr.r.Read(p)
}
