package archive

import (
	"archive/zip"
	"sync/atomic"
	"time"
)

// zipSink writes the archive's zip entries on a goroutine of its own, so
// that the Writer goes on encoding while a part's compressed blocks are
// finished. zip.Writer ends an entry when the next one starts, and ending
// one waits for every block of the part to be compressed and checked
// (pdeflate.Close): done on the Writer's goroutine, that wait came at
// every part, a hundred times in a 1,000,000-message export, and an
// execution trace showed the export's goroutine blocked there for a third
// of its time while the second core had only the last block to compress.
//
// The Writer starts a sink at the first messages part and hands it the
// parts' names and their batched lines (after hashing them), in order;
// the sink alone uses the zip.Writer until stop, at the next part of
// another kind (Commit's rooms), after which the Writer uses it itself.
// The sink's first error stops its writing and is the Writer's sticky
// error at its next flush, part or Commit.
type zipSink struct {
	zw      *zip.Writer
	modTime time.Time
	ops     chan sinkOp
	free    chan []byte // batch buffers written out, for reuse
	made    int         // batch buffers allocated (at most sinkBuffers)
	done    chan struct{}
	failed  atomic.Bool
	dropped atomic.Bool // set by abandon: what is left is not written
	err     error       // the first error: set before failed, read after it
	stopped bool
}

// sinkBuffers is how many batches of pendingFlush bytes the Writer may
// be ahead of the sink: enough to cover a part's last blocks (a few
// milliseconds of encoding), 2 MiB.
const sinkBuffers = 8

type sinkOp struct {
	create string // start this zip entry
	data   []byte // write this to the current entry
	pooled bool   // data is a batch buffer, to be reused
}

func newZipSink(zw *zip.Writer, modTime time.Time) *zipSink {
	s := &zipSink{zw: zw, modTime: modTime, ops: make(chan sinkOp, 2*sinkBuffers), free: make(chan []byte, sinkBuffers), done: make(chan struct{})}
	go s.run()
	return s
}

func (s *zipSink) run() {
	defer close(s.done)
	var entry interface{ Write([]byte) (int, error) }
	for op := range s.ops {
		if s.err == nil && !s.dropped.Load() {
			var err error
			if op.create != "" {
				entry, err = s.zw.CreateHeader(&zip.FileHeader{Name: op.create, Method: zip.Deflate, Modified: s.modTime})
			} else {
				_, err = entry.Write(op.data)
			}
			if err != nil {
				s.err = err
				s.failed.Store(true)
			}
		}
		if op.pooled {
			s.free <- op.data[:0]
		}
	}
}

// buffer returns an empty batch buffer of pendingFlush bytes' capacity,
// waiting for the sink to write one out when sinkBuffers are in use.
func (s *zipSink) buffer() []byte {
	select {
	case b := <-s.free:
		return b
	default:
	}
	if s.made < sinkBuffers {
		s.made++
		return make([]byte, 0, pendingFlush)
	}
	return <-s.free
}

// create starts a zip entry after what was sent before.
func (s *zipSink) create(name string) { s.ops <- sinkOp{create: name} }

// write writes b to the current entry; a pooled b is a buffer from
// buffer, which the Writer must not use again.
func (s *zipSink) write(b []byte, pooled bool) { s.ops <- sinkOp{data: b, pooled: pooled} }

// failure returns the sink's first error, if it has had one.
func (s *zipSink) failure() error {
	if s.failed.Load() {
		return s.err
	}
	return nil
}

// abandon stops the sink without writing what it has not yet written:
// the archive is being discarded (Abort: an error, Ctrl-C), and writing
// up to sinkBuffers batches more, with their compression, would only
// delay that.
func (s *zipSink) abandon() {
	s.dropped.Store(true)
	s.stop()
}

// stop waits for everything sent to be written, ends the goroutine and
// returns the first error. Later calls return the same.
func (s *zipSink) stop() error {
	if !s.stopped {
		s.stopped = true
		close(s.ops)
		<-s.done
	}
	return s.err
}
