package archive

import (
	"crypto/sha256"
	"hash"
	"io"
)

const (
	prefetchBuffers = 4
	prefetchSize    = 256 << 10
)

// prefetch reads ahead of its consumer in a goroutine, so that inflating
// and hashing a part overlap with decoding it. It is an io.Reader for one
// consumer. Its SHA-256 and byte count cover everything read from src and
// are final once Read has returned an error.
type prefetch struct {
	src   io.Reader
	h     hash.Hash
	n     int64
	err   error       // the producer's final error, set before full closes
	full  chan []byte // filled buffers, in order
	free  chan []byte
	stopc chan struct{}
	done  chan struct{}
	cur   []byte // unread part of buf
	buf   []byte // buffer the consumer holds
}

func startPrefetch(src io.Reader) *prefetch {
	pf := &prefetch{
		src: src, h: sha256.New(),
		full:  make(chan []byte, prefetchBuffers),
		free:  make(chan []byte, prefetchBuffers),
		stopc: make(chan struct{}),
		done:  make(chan struct{}),
	}
	for i := 0; i < prefetchBuffers; i++ {
		pf.free <- make([]byte, prefetchSize)
	}
	go pf.run()
	return pf
}

func (pf *prefetch) run() {
	defer close(pf.done)
	defer close(pf.full)
	for {
		var buf []byte
		select {
		case buf = <-pf.free:
		case <-pf.stopc:
			return
		}
		buf = buf[:cap(buf)]
		n, err := 0, error(nil)
		for n < len(buf) && err == nil {
			var k int
			k, err = pf.src.Read(buf[n:])
			n += k
		}
		pf.h.Write(buf[:n])
		pf.n += int64(n)
		if n > 0 {
			select {
			case pf.full <- buf[:n]:
			case <-pf.stopc:
				return
			}
		}
		if err != nil {
			pf.err = err
			return
		}
	}
}

func (pf *prefetch) Read(p []byte) (int, error) {
	for len(pf.cur) == 0 {
		if pf.buf != nil {
			pf.free <- pf.buf // never blocks: free holds every buffer
			pf.buf = nil
		}
		buf, ok := <-pf.full
		if !ok {
			return 0, pf.err
		}
		pf.cur, pf.buf = buf, buf
	}
	n := copy(p, pf.cur)
	pf.cur = pf.cur[n:]
	return n, nil
}

// stop ends the producer and waits for it, so src may be closed.
func (pf *prefetch) stop() {
	close(pf.stopc)
	<-pf.done
}
