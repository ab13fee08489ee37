package archive

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// The Writer checks what it writes as it writes it, instead of reading the
// archive again afterwards (which cost an export a third of its time):
//
//   - every record is validated, and every message decoded again and
//     compared with what was given (Writer.AddMessage);
//   - every part's SHA-256, size and record count are taken from the bytes
//     handed to the compressor;
//   - every compressed block is inflated and compared with those bytes, on
//     the goroutine that compressed it (pdeflate.checkBlock);
//   - Commit reads the temporary file back and compares it with a CRC-32 of
//     everything written to it (crcWriter.checkFile), before the archive
//     gets its name; the exporter then opens it as the importer does.

// crcWriter passes writes to w and keeps a CRC-32 of them.
type crcWriter struct {
	w   io.Writer
	crc uint32
	n   int64
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	c.n += int64(n)
	return n, err
}

// errFileCheck is what checkFile finds when the file does not hold what
// was written to it.
var errFileCheck = errors.New("the archive file does not hold what was written to it (disk or file system error)")

// checkFile reads f from the start and compares its size and CRC-32 with
// what was written through c.
func (c *crcWriter) checkFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() != c.n {
		return fmt.Errorf("%w: %d bytes, %d written", errFileCheck, fi.Size(), c.n)
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyBuffer(h, io.NewSectionReader(f, 0, c.n), make([]byte, 1<<20)); err != nil {
		return fmt.Errorf("read the archive back: %w", err)
	}
	if h.Sum32() != c.crc {
		return errFileCheck
	}
	return nil
}
