package connector

import (
	"math/bits"
	"strings"
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

// maxIndexCells bounds the transition table of one haystack's automaton (states × byte
// classes, 4 bytes each: 2 MiB, about 8 000 needle bytes of a 64-byte alphabet; building it takes
// three times that for a moment); a config whose needles need more is matched without the index.
const maxIndexCells = 1 << 19

// needleIndex is the index of a config: the haystacks its quickParts search and, per needle
// and per haystack, the integrations that become candidates.
type needleIndex struct {
	hays   []haystack
	words  int      // words of a bitset over the config's integrations
	nWords int      // words of a bitset over the needles
	always []uint64 // integrations visited whatever the URL: not prefiltered
	byID   []uint64 // needle id × words: the integrations holding that needle
	empty  []uint64 // the ids of empty needles: found in every URL
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
	x := &needleIndex{words: (len(c.integrations) + 63) / 64}
	x.always = make([]uint64, x.words)
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
				x.hays = append(x.hays, haystack{urlPart: q.urlPart, ignoreCase: q.ignoreCase, folding: make([]uint64, x.words)})
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
	x.nWords = (len(owners) + 63) / 64
	x.byID = make([]uint64, len(owners)*x.words)
	x.empty = make([]uint64, x.nWords)
	for id, list := range owners {
		for _, i := range list {
			x.byID[id*x.words+i/64] |= 1 << (i % 64)
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
		folded := s.folded[hay.urlPart]
		if folded == nil {
			var ascii bool
			if folded, ascii = s.foldKept(s.raw.part(hay.urlPart)); !ascii {
				unknown |= 1 << h
				orWords(cand, hay.folding)
				continue
			}
			s.folded[hay.urlPart] = folded
		}
		hay.ac.scan(unsafe.String(unsafe.SliceData(folded), len(folded)), found) // read during the scan only
	}
	for w, word := range found {
		for ; word != 0; word &= word - 1 {
			id := w*64 + bits.TrailingZeros64(word)
			orWords(cand, x.byID[id*x.words:(id+1)*x.words])
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

// automaton is an Aho-Corasick automaton as a full transition table over byte classes (the
// bytes no needle holds share class 0). A state is named by its row's offset in the table (its
// number shifted by rowShift: rows are a power of two wide), so a transition is one load; a
// transition's high bit tells that its target ends at least one needle. From the start state, the scan skips to the next byte that
// begins a needle.
type automaton struct {
	class     [256]uint16
	nClass    int
	rowShift  uint     // log2 of the row width, the least power of two ≥ nClass
	delta     []uint32 // row + class → the next row | outFlag
	outs      []int32  // the ids of the needles ending at each state: outs[outAt[s]:outAt[s+1]]
	outAt     []int32
	start     [256]bool // the first bytes of the needles
	startByte int       // the only first byte, or -1
}

const outFlag = 1 << 31

// compile builds the automaton of needles (none empty), reporting ids[j] for needle j; it
// reports false when its table would exceed maxIndexCells.
func (a *automaton) compile(needles []string, ids []int32) bool {
	size := 1
	a.startByte = -1
	starts := 0
	for _, nd := range needles {
		size += len(nd)
		for i := 0; i < len(nd); i++ {
			if a.class[nd[i]] == 0 {
				a.nClass++
				a.class[nd[i]] = uint16(a.nClass)
			}
		}
		if !a.start[nd[0]] {
			a.start[nd[0]], a.startByte = true, int(nd[0])
			starts++
		}
	}
	if starts != 1 {
		a.startByte = -1
	}
	a.nClass++ // class 0
	for 1<<a.rowShift < a.nClass {
		a.rowShift++
	}
	nc := 1 << a.rowShift
	if size*nc > maxIndexCells {
		return false
	}
	// The trie: goTo[state*nc+class] is the child, 0 for none (the root is never a child).
	goTo := make([]uint32, size*nc)
	own := make([][]int32, size)
	states := 1
	for j, nd := range needles {
		st := 0
		for i := 0; i < len(nd); i++ {
			c := int(a.class[nd[i]])
			if goTo[st*nc+c] == 0 {
				goTo[st*nc+c] = uint32(states)
				states++
			}
			st = int(goTo[st*nc+c])
		}
		own[st] = append(own[st], ids[j])
	}
	// Breadth first: a state's failure is the longest proper suffix of its path that is a trie
	// state; its outputs are its own and its failure's; missing transitions are the failure's.
	next := make([]uint32, states*nc) // by state numbers
	fail := make([]int, states)
	out := make([][]int32, states)
	queue := make([]int, 0, states)
	for c := 0; c < nc; c++ {
		if child := int(goTo[c]); child != 0 {
			queue = append(queue, child)
			next[c] = uint32(child)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		out[st] = append(own[st], out[fail[st]]...)
		for c := 0; c < nc; c++ {
			if child := int(goTo[st*nc+c]); child != 0 {
				fail[child] = int(next[fail[st]*nc+c])
				queue = append(queue, child)
				next[st*nc+c] = uint32(child)
			} else {
				next[st*nc+c] = next[fail[st]*nc+c]
			}
		}
	}
	a.outAt = make([]int32, states+1)
	for st := 0; st < states; st++ {
		a.outAt[st] = int32(len(a.outs))
		a.outs = append(a.outs, out[st]...)
	}
	a.outAt[states] = int32(len(a.outs))
	a.delta = make([]uint32, len(next))
	for i, t := range next {
		a.delta[i] = t * uint32(nc)
		if len(out[t]) > 0 {
			a.delta[i] |= outFlag
		}
	}
	return true
}

// scan runs the automaton over hay and sets the bit of every needle hay contains.
func (a *automaton) scan(hay string, found []uint64) {
	delta, class := a.delta, &a.class
	var row uint32
	for i := 0; i < len(hay); i++ {
		if row == 0 { // the start state stays put until a needle's first byte
			if i = a.skip(hay, i); i == len(hay) {
				return
			}
		}
		t := delta[row+uint32(class[hay[i]])]
		row = t &^ outFlag
		if t&outFlag != 0 {
			st := row >> a.rowShift
			for _, id := range a.outs[a.outAt[st]:a.outAt[st+1]] {
				found[id/64] |= 1 << (id % 64)
			}
		}
	}
}

// skip returns the index of the first byte of hay from i on that begins a needle, or len(hay).
func (a *automaton) skip(hay string, i int) int {
	if a.startByte >= 0 {
		if j := strings.IndexByte(hay[i:], byte(a.startByte)); j >= 0 {
			return i + j
		}
		return len(hay)
	}
	for i < len(hay) && !a.start[hay[i]] {
		i++
	}
	return i
}
