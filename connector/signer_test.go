package connector

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"testing"
)

// BenchmarkSignerState compares ways of keeping the HMAC state of one secret key for the
// 55-byte message of a session cookie: state=reset is the engine's (one keyed hmac per pooled
// scratch, Reset restores the inner and outer states precomputed from the pads); state=new keys
// a fresh hmac per message (the pads hashed every time); state=clone clones a keyed hmac
// (hash.Cloner: the states copied, the clone allocated).
func BenchmarkSignerState(b *testing.B) {
	key, msg := []byte(testSecret), []byte("sale5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21queue1749999940")
	var sum []byte
	var hx [64]byte
	keyed, pristine := hmac.New(sha256.New, key), hmac.New(sha256.New, key)
	pristine.Reset() // precompute the pad states; never written
	for _, s := range []struct {
		name string
		mac  func() hash.Hash
	}{
		{"reset", func() hash.Hash { keyed.Reset(); return keyed }},
		{"new", func() hash.Hash { return hmac.New(sha256.New, key) }},
		{"clone", func() hash.Hash {
			c, err := pristine.(hash.Cloner).Clone()
			if err != nil {
				b.Fatal(err)
			}
			return c.(hash.Hash)
		}},
	} {
		b.Run("state="+s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m := s.mac()
				m.Write(msg)
				sum = m.Sum(sum[:0])
				hex.Encode(hx[:], sum)
			}
		})
	}
	if want := Sign(testSecret, string(msg)); string(hx[:]) != want {
		b.Fatalf("got %s, want %s", hx[:], want)
	}
}

// TestHexEqual checks hexEqual against encoding/hex on sums of every byte value, and that a
// difference anywhere (case included) is seen.
func TestHexEqual(t *testing.T) {
	for seed := 0; seed < 256; seed++ {
		sum := make([]byte, 32)
		for i := range sum {
			sum[i] = byte(seed*31 + i*97)
		}
		sum[seed%32] = byte(seed) // every value at every place
		want := hex.EncodeToString(sum)
		if !hexEqual(sum, want) {
			t.Fatalf("hexEqual(% x, %s) = false", sum, want)
		}
		for i := 0; i < 64; i++ {
			for _, c := range []byte{want[i] ^ 1, want[i] ^ 0x20, '0', 'f', 'F'} {
				if c == want[i] {
					continue
				}
				bad := []byte(want)
				bad[i] = c
				if hexEqual(sum, string(bad)) {
					t.Fatalf("hexEqual(% x, %s) = true", sum, bad)
				}
			}
		}
	}
}

// BenchmarkHexEqual is the MAC check's comparison of an HMAC with the hex a cookie or token
// carries.
func BenchmarkHexEqual(b *testing.B) {
	sum := make([]byte, 32)
	for i := range sum {
		sum[i] = byte(i*37 + 11)
	}
	want := hex.EncodeToString(sum)
	for b.Loop() {
		if !hexEqual(sum, want) {
			b.Fatal("hexEqual is false")
		}
	}
}

// FuzzHexEqual checks hexEqual against encoding/hex: the sum is the input's first 32 bytes (zero
// padded), the hex its right form with the edits applied (pairs of a position and a byte), so
// that most inputs are near misses.
func FuzzHexEqual(f *testing.F) {
	f.Add([]byte("\xa5\x00\xff\x10"), []byte{})
	f.Add([]byte{0x0a, 0xfa}, []byte{0, 'A', 3, 'F'})
	f.Add([]byte{0x99}, []byte{63, 'g', 1, '9'})
	f.Fuzz(func(t *testing.T, in, edits []byte) {
		sum := make([]byte, 32)
		copy(sum, in)
		want := []byte(hex.EncodeToString(sum))
		for i := 0; i+1 < len(edits); i += 2 {
			want[int(edits[i])%64] = edits[i+1]
		}
		if got := hexEqual(sum, string(want)); got != (hex.EncodeToString(sum) == string(want)) {
			t.Fatalf("hexEqual(% x, %q) = %v", sum, want, got)
		}
	})
}
