package profiles

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// document answers questions about the parsed YAML: is a field written, on which line. It
// follows aliases and merge keys (<<) as the decoder does.
type document struct {
	body    ast.Node
	anchors map[string]ast.Node
}

func newDocument(body ast.Node) *document {
	d := &document{body: body, anchors: map[string]ast.Node{}}
	ast.Walk(visitorFunc(func(n ast.Node) bool {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil && a.Name.GetToken() != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
		return true
	}), body)
	return d
}

// resolve strips anchors, tags and aliases off a node.
func (d *document) resolve(n ast.Node) ast.Node {
	for range 100 { // an alias chain longer than this is malformed
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.TagNode:
			n = x.Value
		case *ast.AliasNode:
			if x.Value == nil || x.Value.GetToken() == nil {
				return nil
			}
			n = d.anchors[x.Value.GetToken().Value]
		default:
			return n
		}
	}
	return nil
}

// entries are a mapping node's key-value pairs (a one-pair mapping is a MappingValueNode).
func (d *document) entries(n ast.Node) []*ast.MappingValueNode {
	switch m := d.resolve(n).(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// lookup finds the entry of key in a mapping node, merge keys included.
func (d *document) lookup(n ast.Node, key string, depth int) *ast.MappingValueNode {
	if depth > 10 {
		return nil
	}
	var merges []ast.Node
	for _, e := range d.entries(n) {
		if e.Key == nil || e.Key.GetToken() == nil {
			continue
		}
		switch k := e.Key.GetToken(); {
		case k.Value == key:
			return e
		case k.Type == token.MergeKeyType:
			merges = append(merges, e.Value)
		}
	}
	for _, m := range merges {
		if seq, ok := d.resolve(m).(*ast.SequenceNode); ok {
			for _, v := range seq.Values {
				if e := d.lookup(v, key, depth+1); e != nil {
					return e
				}
			}
		} else if e := d.lookup(m, key, depth+1); e != nil {
			return e
		}
	}
	return nil
}

// find walks a field path ("journeys[0].steps[2].expect") down from the document's root. It
// returns the node and the line it is written on (a mapping entry's: its key's); nil when the
// field is not written.
func (d *document) find(field string) (ast.Node, int) {
	if d == nil || d.body == nil {
		return nil, 0
	}
	n, ln := d.body, line(d.body)
	for field != "" {
		var seg string
		if strings.HasPrefix(field, "[") {
			end := strings.IndexByte(field, ']')
			if end < 0 {
				return nil, 0
			}
			i, err := strconv.Atoi(field[1:end])
			seq, ok := d.resolve(n).(*ast.SequenceNode)
			if err != nil || !ok || i < 0 || i >= len(seq.Values) {
				return nil, 0
			}
			n, field = seq.Values[i], strings.TrimPrefix(field[end+1:], ".")
			ln = line(n)
			continue
		}
		seg, field = field, ""
		if i := strings.IndexAny(seg, ".["); i >= 0 {
			seg, field = seg[:i], strings.TrimPrefix(seg[i:], ".")
		}
		e := d.lookup(n, seg, 0)
		if e == nil {
			return nil, 0
		}
		n, ln = e.Value, line(e.Key)
	}
	return n, ln
}

// has reports whether the field is written in the document (even with a zero or null value).
func (d *document) has(field string) bool {
	_, ln := d.find(field)
	return ln > 0
}

// isScalar reports whether the field is written as a scalar.
func (d *document) isScalar(field string) bool {
	n, _ := d.find(field)
	_, ok := d.resolve(n).(ast.ScalarNode)
	return ok && n != nil
}

// line is the line of the field, or of the nearest enclosing field that is written (0 for a
// top-level field that is not).
func (d *document) line(field string) int {
	for d != nil && field != "" {
		if _, ln := d.find(field); ln > 0 {
			return ln
		}
		field, _ = splitField(field)
	}
	return 0
}

// splitField splits "a.b[2].c" into "a.b[2]" and "c", and "a.b[2]" into "a.b" and "[2]".
func splitField(field string) (parent, last string) {
	if strings.HasSuffix(field, "]") {
		if i := strings.LastIndexByte(field, '['); i >= 0 {
			return field[:i], field[i:]
		}
	}
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[:i], field[i+1:]
	}
	return "", field
}

type visitorFunc func(ast.Node) bool

func (f visitorFunc) Visit(n ast.Node) ast.Visitor {
	if n == nil || !f(n) {
		return nil
	}
	return f
}

func line(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

func nodeKind(n ast.Node) string {
	switch n.Type() {
	case ast.SequenceType:
		return "sequence"
	case ast.StringType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.NullType:
		return "scalar (" + strings.ToLower(n.Type().String()) + ")"
	}
	return strings.ToLower(n.Type().String())
}
