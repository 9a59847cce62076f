package connector

import (
	"math/bits"
	"unsafe"
)

// A config of many prefiltered integrations (prefilter.go) is searched once per URL part
// instead of once per integration: the needles of all their quickParts are compiled into one
// Aho-Corasick automaton per URL part and case, whose single pass over the part finds every
// needle it contains. The integrations that hold a found needle, and those the prefilter
// does not cover, are the only ones the match loop visits, in config order; each visited
// prefiltered integration reads which of its needles were found instead of searching.

// indexFrom is the number of prefiltered integrations from which a config is indexed: below
// it, one search per integration costs less than the automaton's passes (BenchmarkNeedleIndex:
// on a 57-byte page path the index costs 5 % more at 5, 3 % less at 6; on a 130-byte page URL
// of mixed needles it is ahead from 4).
// A variable so that tests can index every config.
var indexFrom = 5

// needleIndex is the index of a config: the haystacks its quickParts search and, per needle
// and per haystack, the integrations that become candidates.
type needleIndex struct {
	hays     []haystack
	intWords int      // words of a bitset over the config's integrations
	idWords  int      // words of a bitset over the needles
	always   []uint64 // integrations visited whatever the URL: not prefiltered
	byID     []uint64 // needle id × intWords: the integrations holding that needle
	empty    []uint64 // the ids of empty needles: found in every URL
}

// haystack is one URL part, raw or case-folded, with the automaton of its needles.
type haystack struct {
	urlPart    urlPart
	ignoreCase bool
	ac         automaton
	folding    []uint64 // the integrations with a needle here: candidates when the part is not ASCII
}

// compileIndex builds the index of c when enough of its integrations are prefiltered. It
// numbers every quickPart's needle (equal needles of one haystack share an id).
func (c *Config) compileIndex() {
	n := 0
	for _, in := range c.integrations {
		if in.prefiltered {
			n++
		}
	}
	if n < indexFrom || n == 0 {
		return
	}
	x := &needleIndex{intWords: (len(c.integrations) + 63) / 64}
	x.always = make([]uint64, x.intWords)
	type key struct {
		hay    int
		needle string
	}
	ids := map[key]int{}
	var needles [][]string // per haystack, by id order
	var owners [][]int     // per id, the integrations holding it
	for i, in := range c.integrations {
		if !in.prefiltered {
			x.always[i/64] |= 1 << (i % 64)
			continue
		}
		for j := range in.quick {
			q := &in.quick[j]
			h := -1
			for k := range x.hays {
				if x.hays[k].urlPart == q.urlPart && x.hays[k].ignoreCase == q.ignoreCase {
					h = k
				}
			}
			if h < 0 {
				h = len(x.hays)
				x.hays = append(x.hays, haystack{urlPart: q.urlPart, ignoreCase: q.ignoreCase, folding: make([]uint64, x.intWords)})
				needles = append(needles, nil)
			}
			if q.ignoreCase {
				x.hays[h].folding[i/64] |= 1 << (i % 64)
			}
			id, ok := ids[key{h, q.needle}]
			if !ok {
				id = len(owners)
				ids[key{h, q.needle}] = id
				owners = append(owners, nil)
				needles[h] = append(needles[h], q.needle)
			}
			owners[id] = append(owners[id], i)
			q.hay, q.id = h, id
		}
	}
	x.idWords = (len(owners) + 63) / 64
	x.byID = make([]uint64, len(owners)*x.intWords)
	x.empty = make([]uint64, x.idWords)
	for id, list := range owners {
		for _, i := range list {
			x.byID[id*x.intWords+i/64] |= 1 << (i % 64)
		}
	}
	for k := range ids {
		if k.needle == "" {
			id := ids[k]
			x.empty[id/64] |= 1 << (id % 64)
		}
	}
	// Each automaton reports the config's ids of its haystack's needles.
	for h := range x.hays {
		var list []string
		var hayIDs []int32
		for _, nd := range needles[h] {
			if nd != "" { // an empty needle is in x.empty
				list, hayIDs = append(list, nd), append(hayIDs, int32(ids[key{h, nd}]))
			}
		}
		if !x.hays[h].ac.compile(list, hayIDs) {
			return // too large: no index
		}
	}
	c.index = x
}

// candidates scans the URL parts of s and fills found (the needles they contain) and cand (the
// integrations to visit). It returns the haystacks that could not be searched: ignore-case
// parts that are not ASCII, whose integrations are all candidates and decided by the
// evaluator.
func (x *needleIndex) candidates(s *subject, found, cand []uint64) (unknown uint64) {
	copy(found, x.empty)
	copy(cand, x.always)
	for h := range x.hays {
		hay := &x.hays[h]
		if !hay.ignoreCase {
			hay.ac.scan(s.raw.part(hay.urlPart).s, found)
			continue
		}
		folded, ascii := s.foldedPart(hay.urlPart)
		if !ascii {
			unknown |= 1 << h
			orWords(cand, hay.folding)
			continue
		}
		hay.ac.scan(unsafe.String(unsafe.SliceData(folded), len(folded)), found) // read during the scan only
	}
	for w, word := range found {
		for ; word != 0; word &= word - 1 {
			id := w*64 + bits.TrailingZeros64(word)
			orWords(cand, x.byID[id*x.intWords:(id+1)*x.intWords])
		}
	}
	return unknown
}

func orWords(dst, src []uint64) {
	for i, w := range src {
		dst[i] |= w
	}
}

// firstFound is firstCandidate read from the index's results: the first trigger whose needle
// was found, or whose ignore-case part could not be searched (known false).
func (in *Integration) firstFound(found []uint64, unknown uint64) (int, bool) {
	for i := range in.quick {
		q := &in.quick[i]
		if q.ignoreCase && unknown&(1<<q.hay) != 0 {
			return i, false
		}
		if found[q.id/64]&(1<<(q.id%64)) != 0 {
			return i, true
		}
	}
	return -1, false
}
