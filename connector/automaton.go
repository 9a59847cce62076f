package connector

import "strings"

// maxIndexCells bounds the transition table of one haystack's automaton (states × byte
// classes, 4 bytes each: 2 MiB, about 8 000 needle bytes of a 64-byte alphabet; building it takes
// three times that for a moment); a config whose needles need more is matched without the index.
const maxIndexCells = 1 << 19

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
