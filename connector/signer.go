package connector

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"sync"
)

// scratch is the per-request working memory of the engine: a keyed HMAC and byte buffers,
// pooled so that a steady stream of requests does not allocate.
type scratch struct {
	mac hash.Hash
	sum []byte
	hex [64]byte
	in  []byte // HMAC input being assembled
	out []byte // output string being assembled (cookie value, redirect URL)

	pairs []string // queue id per waiting room of a Cancel action's valid cookies
	fold  []byte   // the arena of the triggers' case-folded values (capacity fixed)
	subj  subject  // what the triggers read (request.match resets what it uses)
	bits  []uint64 // the config index's found needles and candidate integrations (grown on demand)

	ipHashDone bool
	ipHashOK   bool // hexIP holds HMAC(client IP)
	hexIP      [64]byte
}

// signer computes the connector's HMAC-SHA256 (lowercase hex) with one secret key.
type signer struct {
	key  []byte
	pool sync.Pool
}

func newSigner(key string) *signer {
	s := &signer{key: []byte(key)}
	s.pool.New = func() any {
		return &scratch{mac: hmac.New(sha256.New, s.key), sum: make([]byte, 0, sha256.Size),
			in: make([]byte, 0, 256), out: make([]byte, 0, 512), fold: make([]byte, 0, 2048)}
	}
	return s
}

func (s *signer) get() *scratch {
	sc := s.pool.Get().(*scratch)
	sc.ipHashDone = false
	return sc
}

func (s *signer) put(sc *scratch) {
	sc.subj.req = nil // do not keep the request alive in the pool
	if cap(sc.in) > 64<<10 || cap(sc.out) > 64<<10 {
		return // do not keep buffers grown by an outsized request
	}
	s.pool.Put(sc)
}

// sumHex computes HMAC(sc.in) into sc.hex.
func (sc *scratch) sumHex() {
	sc.mac.Reset()
	sc.mac.Write(sc.in)
	sc.sum = sc.mac.Sum(sc.sum[:0])
	hex.Encode(sc.hex[:], sc.sum)
}

// macEquals reports whether HMAC(sc.in) in lowercase hex equals want exactly, in a time that
// does not depend on where they differ (a MAC check must not tell how much of a forgery is
// right). It leaves sc.hex as it was.
func (sc *scratch) macEquals(want string) bool {
	if len(want) != len(sc.hex) {
		return false
	}
	sc.mac.Reset()
	sc.mac.Write(sc.in)
	sc.sum = sc.mac.Sum(sc.sum[:0])
	return hexEqual(sc.sum, want)
}

// hexEqual reports whether want is the lowercase hex of the 32 bytes sum, reading every byte
// of both: eight hex digits at a time, made with arithmetic, not branches or tables.
func hexEqual(sum []byte, want string) bool {
	_, _ = sum[31], want[63]
	var diff uint64
	for i := 0; i < 32; i += 4 {
		// Four bytes spread to one per 16-bit lane, then one nibble per byte in the order hex
		// writes them (little-endian: the first byte's high nibble at the bottom).
		x := uint64(binary.LittleEndian.Uint32(sum[i:]))
		t := (x | x<<16) & 0x0000FFFF0000FFFF
		t = (t | t<<8) & 0x00FF00FF00FF00FF
		v := t>>4&0x000F000F000F000F | (t&0x000F000F000F000F)<<8
		// A nibble n is '0'+n, or 'a'+n-10 = '0'+n+39 when n+6 carries into bit 4.
		letters := (v + 0x0606060606060606) >> 4 & 0x0101010101010101
		diff |= (v + 0x3030303030303030 + letters*39) ^ load64(want[2*i:])
	}
	return diff == 0
}

// ipMatches reports whether HMAC(clientIP) equals hip, computing the IP's HMAC once per request.
func (sc *scratch) ipMatches(clientIP, hip string) bool {
	if !sc.ipHashDone {
		sc.in = append(sc.in[:0], clientIP...)
		sc.sumHex()
		sc.hexIP = sc.hex
		sc.ipHashDone = true
	}
	return len(hip) == len(sc.hexIP) && string(sc.hexIP[:]) == hip
}

// Sign returns HMAC-SHA256(secretKey, text) in lowercase hex: the hash the KnownUser protocol
// uses for tokens, cookies and IP binding.
func Sign(secretKey, text string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(text))
	return hex.EncodeToString(m.Sum(nil))
}

// indexBits returns room for a config index's bitsets: found of n words and cand of m words.
// It allocates only when a config bigger than any this scratch saw comes along.
func (sc *scratch) indexBits(n, m int) (found, cand []uint64) {
	if cap(sc.bits) < n+m {
		sc.bits = make([]uint64, n+m)
	}
	b := sc.bits[:n+m]
	return b[:n:n], b[n:]
}
