package archive

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"io"
	"runtime"
	"sync"
)

// pdeflateBlock is the input size of one independently compressed block.
const pdeflateBlock = 1 << 20

// pdeflate is an io.WriteCloser that deflates its input in blocks
// compressed concurrently, and writes them in order as one valid deflate
// stream, as pigz does. Every block but the last ends in a sync flush, which
// byte-aligns it, and is compressed without reference to earlier blocks, so
// the concatenation inflates to the input. Compression costs a little ratio
// (each block starts with an empty window) for near-linear speed-up.
//
// Write and Close are called from one goroutine, which alone writes to the
// underlying writer; the block goroutines only compress. Memory is bounded
// by maxInFlight blocks.
type pdeflate struct {
	out         io.Writer
	level       int
	maxInFlight int
	cur         *pdBlock
	queue       []*pdBlock // compressing or compressed, oldest first
	free        []*pdBlock
	writers     chan *flate.Writer
	readers     chan io.ReadCloser // for checkBlock
	err         error
}

type pdBlock struct {
	in   []byte
	out  bytes.Buffer
	last bool
	err  error
	done chan struct{}
}

func newPdeflate(level int) *pdeflate {
	n := min(runtime.GOMAXPROCS(0), 8) + 1
	return &pdeflate{level: level, maxInFlight: n, writers: make(chan *flate.Writer, n), readers: make(chan io.ReadCloser, n)}
}

// reset starts a new stream to out. The previous stream must be closed.
func (z *pdeflate) reset(out io.Writer) {
	z.out, z.err = out, nil
}

func (z *pdeflate) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && z.err == nil {
		if z.cur == nil {
			z.cur = z.block()
		}
		k := min(len(p), pdeflateBlock-len(z.cur.in))
		z.cur.in = append(z.cur.in, p[:k]...)
		p = p[k:]
		if len(z.cur.in) == pdeflateBlock {
			z.dispatch(false)
		}
	}
	if z.err != nil {
		return 0, z.err
	}
	return n, nil
}

// Close compresses the final block and writes all pending output.
func (z *pdeflate) Close() error {
	if z.cur == nil {
		z.cur = z.block()
	}
	z.dispatch(true)
	for len(z.queue) > 0 {
		z.writeOldest()
	}
	return z.err
}

// discard waits for blocks in flight and drops them.
func (z *pdeflate) discard() {
	for _, b := range z.queue {
		<-b.done
	}
	z.queue, z.cur = nil, nil
}

func (z *pdeflate) block() *pdBlock {
	if n := len(z.free); n > 0 {
		b := z.free[n-1]
		z.free = z.free[:n-1]
		return b
	}
	return &pdBlock{in: make([]byte, 0, pdeflateBlock)}
}

// dispatch starts compressing the current block.
func (z *pdeflate) dispatch(last bool) {
	b := z.cur
	z.cur = nil
	if len(z.queue) == z.maxInFlight {
		z.writeOldest()
	}
	b.last, b.err, b.done = last, nil, make(chan struct{})
	b.out.Reset()
	z.queue = append(z.queue, b)
	go z.compress(b)
}

func (z *pdeflate) compress(b *pdBlock) {
	defer close(b.done)
	var fw *flate.Writer
	select {
	case fw = <-z.writers:
		fw.Reset(&b.out)
	default:
		var err error
		if fw, err = flate.NewWriter(&b.out, z.level); err != nil {
			b.err = err
			return
		}
	}
	_, b.err = fw.Write(b.in)
	if b.err == nil {
		if b.last {
			b.err = fw.Close()
		} else {
			b.err = fw.Flush()
		}
	}
	select {
	case z.writers <- fw:
	default:
	}
	if b.err == nil {
		b.err = z.checkBlock(b)
	}
}

// errBlockCheck is what checkBlock finds when a compressed block does not
// inflate to its input.
var errBlockCheck = errors.New("deflate check failed: a compressed block does not inflate to its input")

// checkBlock inflates a compressed block and compares it with its input,
// where the block was compressed, concurrently with the rest of the
// export: the Writer's proof that the archive's compressed data holds what
// was hashed. A block but the last ends without a final deflate block, so
// its stream stops short of an end: that is expected once all of the input
// has been seen. The inflated bytes are compared where the inflater holds
// them (its WriteTo), not copied out first.
func (z *pdeflate) checkBlock(b *pdBlock) error {
	src := bytes.NewReader(b.out.Bytes())
	var fr io.ReadCloser
	select {
	case fr = <-z.readers:
		if err := fr.(flate.Resetter).Reset(src, nil); err != nil {
			return err
		}
	default:
		fr = flate.NewReader(src)
	}
	defer func() {
		select {
		case z.readers <- fr:
		default:
		}
	}()
	c := blockCompare{in: b.in}
	_, err := io.Copy(&c, fr)
	switch {
	case errors.Is(err, errBlockCheck):
		return errBlockCheck
	case len(c.in) > 0 && err == nil:
		return fmt.Errorf("%w: %v", errBlockCheck, io.ErrUnexpectedEOF)
	case len(c.in) > 0:
		return fmt.Errorf("%w: %v", errBlockCheck, err)
	case err == nil, err == io.ErrUnexpectedEOF && !b.last:
		return nil
	}
	return fmt.Errorf("%w: %v", errBlockCheck, err)
}

// blockCompare is the writer checkBlock inflates into: it fails at the
// first byte that differs from in, or beyond it.
type blockCompare struct{ in []byte }

func (c *blockCompare) Write(p []byte) (int, error) {
	if len(p) > len(c.in) || !bytes.Equal(p, c.in[:len(p)]) {
		return 0, errBlockCheck
	}
	c.in = c.in[len(p):]
	return len(p), nil
}

// writeOldest waits for the oldest block and writes it out.
func (z *pdeflate) writeOldest() {
	b := z.queue[0]
	z.queue = z.queue[1:]
	<-b.done
	if z.err == nil {
		z.err = b.err
	}
	if z.err == nil {
		_, z.err = z.out.Write(b.out.Bytes())
	}
	b.in = b.in[:0]
	z.free = append(z.free, b)
}

// inflaters hands out flate readers for a zip.Reader, reusing them: a new
// one allocates its 32 KiB window and tables, and a Reader opens one per
// part. It decompresses with klauspost's inflate, which reads the same
// deflate streams as compress/flate, faster.
type inflaters struct{ pool sync.Pool }

// decompressor is the zip.Decompressor to register.
func (p *inflaters) decompressor(r io.Reader) io.ReadCloser {
	if fr, ok := p.pool.Get().(io.ReadCloser); ok {
		if err := fr.(flate.Resetter).Reset(r, nil); err == nil {
			return &pooledInflater{ReadCloser: fr, pool: p}
		}
	}
	return &pooledInflater{ReadCloser: flate.NewReader(r), pool: p}
}

// pooledInflater goes back to its pool when closed.
type pooledInflater struct {
	io.ReadCloser
	pool *inflaters
}

func (p *pooledInflater) Read(b []byte) (int, error) {
	if p.ReadCloser == nil {
		return 0, errors.New("flate: read after close")
	}
	return p.ReadCloser.Read(b)
}

func (p *pooledInflater) Close() error {
	if p.ReadCloser == nil {
		return nil
	}
	err := p.ReadCloser.Close()
	p.pool.pool.Put(p.ReadCloser)
	p.ReadCloser = nil
	return err
}
