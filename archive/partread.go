package archive

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"hash/crc32"
	"io"
	"sync"
)

// partStream reads a part's zip entry as zip.File.Open does (inflated,
// its size and CRC-32 checked against the zip directory at the end, an
// entry inflating past its size refused with zip.ErrFormat), and hashes
// the entry's compressed bytes as they are read, so that a part read
// again can be proved the same bytes by that hash (sealed): a SHA-256 of
// the compressed bytes instead of the inflated ones, which are five to
// eight times as many.
type partStream struct {
	raw  *hashingReader // the entry's compressed bytes
	body io.ReadCloser  // the inflater, or raw for a stored entry
	crc  hash.Hash32
	f    *zip.File
	desc io.Reader // the entry's data descriptor, when it has one
	n    uint64
	err  error
}

type hashingReader struct {
	r io.Reader
	h hash.Hash
}

func (h *hashingReader) Read(b []byte) (int, error) {
	n, err := h.r.Read(b)
	h.h.Write(b[:n])
	return n, err
}

func (r *Reader) openPart(f *zip.File) (*partStream, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	s := &partStream{raw: &hashingReader{r: raw, h: sha256.New()}, crc: crc32.NewIEEE(), f: f}
	if f.Flags&0x8 != 0 {
		off, err := f.DataOffset()
		if err != nil {
			return nil, err
		}
		s.desc = io.NewSectionReader(r.f, off+int64(f.CompressedSize64), dataDescriptorLen)
	}
	switch f.Method {
	case zip.Deflate:
		s.body = r.inflaters.decompressor(s.raw)
	case zip.Store:
		s.body = io.NopCloser(s.raw)
	default: // Open refuses other methods
		return nil, zip.ErrAlgorithm
	}
	return s, nil
}

// Read is archive/zip's checksumReader.Read, with its checks at the end:
// the size, the data descriptor's CRC-32 (when the entry has one) equal to
// the zip directory's, and the CRC-32 of what was read equal to it.
func (s *partStream) Read(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.body.Read(b)
	s.crc.Write(b[:n])
	s.n += uint64(n)
	if s.n > s.f.UncompressedSize64 {
		return 0, zip.ErrFormat
	}
	if err == io.EOF {
		switch {
		case s.n != s.f.UncompressedSize64:
			err = io.ErrUnexpectedEOF
		case s.desc != nil:
			if err1 := readDataDescriptor(s.desc, s.f); err1 == io.EOF {
				err = io.ErrUnexpectedEOF
			} else if err1 != nil {
				err = err1
			} else if s.crc.Sum32() != s.f.CRC32 {
				err = zip.ErrChecksum
			}
		case s.f.CRC32 != 0 && s.crc.Sum32() != s.f.CRC32:
			err = zip.ErrChecksum
		}
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// dataDescriptorLen is a data descriptor's length with its optional
// signature and 32-bit sizes.
const dataDescriptorLen = 16

// readDataDescriptor is archive/zip's: it checks that the descriptor's
// CRC-32, after its optional signature, is the zip directory's (the sizes
// after it are not read: the directory's are used).
func readDataDescriptor(r io.Reader, f *zip.File) error {
	var buf [dataDescriptorLen]byte
	if _, err := io.ReadFull(r, buf[:4]); err != nil {
		return err
	}
	off := 0
	if binary.LittleEndian.Uint32(buf[:4]) != 0x08074b50 {
		off = 4 // no signature: these four bytes are the CRC-32
	}
	// With a signature, the twelve bytes after it replace it: the CRC-32
	// is the first four bytes either way.
	if _, err := io.ReadFull(r, buf[off:12]); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(buf[:4]) != f.CRC32 {
		return zip.ErrChecksum
	}
	return nil
}

// sealOf returns the SHA-256 of the entry's compressed bytes, all of
// them: call it once the inflated stream has ended, from the goroutine
// that reads s (or after it has stopped).
func (s *partStream) sealOf() ([]byte, error) {
	if _, err := io.Copy(io.Discard, s.raw); err != nil {
		return nil, err
	}
	return s.raw.h.Sum(nil), nil
}

func (s *partStream) Close() error { return s.body.Close() }

// seals holds, for each part a scan of this Reader checked in full (its
// inflated bytes' SHA-256 equal to the manifest's, every record read and
// valid, the record count right), the SHA-256 of its compressed bytes.
// A later scan of the part hashes only those: equal compressed bytes
// inflate to equal bytes, the ones already checked; any other bytes are
// refused with ErrChecksum at the end of the part, as before.
type seals struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *seals) get(part string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[part]
	return v, ok
}

func (s *seals) put(part string, sum []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[part] = sum
}
