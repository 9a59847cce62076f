package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// ParseError is what Parse reports: the file, the line, the field (a path such as
// "journeys[0].steps[2].expect") and what is wrong with it. Line is 0 when the profile was not
// read from YAML (Validate on a Profile built in code).
type ParseError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error formats the error as file:line: field: message, e.g.
// `flash-crowd.yaml:14: journeys[0].steps[2].expect: unknown outcome class "pas"`.
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse reads a profile from YAML, fills in the documented defaults of absent optional fields
// and validates it. name is the file name errors are reported against (and the profile's name
// when the document has no name: the base name without extension). Unknown fields, values of
// the wrong type and out-of-range values are errors (*ParseError); nothing is clamped.
func Parse(name string, data []byte) (*Profile, error) {
	p, body, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	doc := newDocument(body)
	if p.Name == "" && !doc.has("name") {
		p.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	setDefaults(p, doc)
	if err := validate(p, name, doc); err != nil {
		return nil, err
	}
	return p, nil
}

// decode parses the YAML into a Profile strictly (unknown fields are errors) and returns the
// document's root node.
func decode(name string, data []byte) (p *Profile, body ast.Node, err error) {
	defer func() {
		// goccy/go-yaml v1.19.2 panics on some malformed input, such as a tag on a scalar
		// where a sequence is expected (goccy/go-yaml#735, fixed upstream after that release).
		if r := recover(); r != nil {
			p, body, err = nil, nil, &ParseError{File: name, Msg: fmt.Sprintf("malformed YAML (the decoder failed: %v)", r)}
		}
	}()
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, nil, yamlError(name, nil, err)
	}
	for i, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			return nil, nil, &ParseError{File: name, Line: line(doc.Body), Msg: fmt.Sprintf("one YAML document expected, found a second one (document %d)", i+1)}
		}
		body = doc.Body
	}
	if body == nil {
		return nil, nil, &ParseError{File: name, Msg: "empty profile"}
	}
	if t := body.Type(); t != ast.MappingType && t != ast.MappingValueType {
		return nil, nil, &ParseError{File: name, Line: line(body), Msg: fmt.Sprintf("a profile is a mapping (name, limits, waitingRoom, arrivals, journeys, ...), not a %s", nodeKind(body))}
	}
	p = &Profile{}
	if err := yaml.NodeToValue(body, p, yaml.Strict()); err != nil {
		return nil, nil, yamlError(name, file, err)
	}
	return p, body, nil
}

// Load reads a built-in profile by name (see Builtin) or a profile file. A bare name that is a
// built-in's is the built-in, even when a file of that name exists; "./steady" is the file.
func Load(nameOrFile string) (*Profile, error) {
	if data, ok := builtinData(nameOrFile); ok {
		return Parse(nameOrFile+".yaml", data)
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(nameOrFile, `/\.`) {
			return nil, fmt.Errorf("profile %q: neither a built-in profile (%s) nor a file", nameOrFile, strings.Join(Builtin(), ", "))
		}
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	return Parse(nameOrFile, data)
}

// Marshal writes the profile as YAML, defaults filled in, the way Parse reads it back: Parse of
// Marshal's output gives an equal profile. It does not validate.
func Marshal(p *Profile) ([]byte, error) {
	out, err := yaml.MarshalWithOptions(p, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("marshaling profile %q: %w", p.Name, err)
	}
	return out, nil
}

// yamlError turns a go-yaml error into a ParseError with the line and, where the AST knows it,
// the field path.
func yamlError(name string, file *ast.File, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		pe := &ParseError{File: name, Msg: err.Error()}
		// A duration the time package rejects comes without a position: find its scalar.
		if m := badDuration.FindStringSubmatch(err.Error()); m != nil && file != nil {
			if v, uerr := strconv.Unquote(m[1]); uerr == nil {
				pe.Line, pe.Field = scalarAt(file, v)
				pe.Msg = fmt.Sprintf("%q is not a duration (write e.g. 10s, 1m30s or 500ms)", v)
			}
		}
		return pe
	}
	pe := &ParseError{File: name, Msg: ye.GetMessage()}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.DstType == reflect.TypeFor[time.Duration]() {
		pe.Msg = fmt.Sprintf("%s is not a duration (write e.g. 10s, 1m30s or 500ms)", te.Token.Value)
	}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		pe.Line = tk.Position.Line
		if file != nil {
			pe.Field = fieldAt(file, tk.Position.Line, tk.Position.Column)
		}
	}
	return pe
}

// document answers questions about the parsed YAML: is a field written, on which line. It
// follows aliases and merge keys (<<) as the decoder does.
type document struct {
	body    ast.Node
	anchors map[string]ast.Node
}

func newDocument(body ast.Node) *document {
	d := &document{body: body, anchors: map[string]ast.Node{}}
	ast.Walk(visitorFunc(func(n ast.Node) bool {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
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
			if x.Value == nil {
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

// badDuration matches time.ParseDuration's error.
var badDuration = regexp.MustCompile(`^time: (?:invalid|unknown unit .* in) duration ("(?:[^"\\]|\\.)*")$`)

// scalarAt finds the first scalar of the given value: its line and field path.
func scalarAt(file *ast.File, value string) (ln int, field string) {
	for _, doc := range file.Docs {
		ast.Walk(visitorFunc(func(n ast.Node) bool {
			if s, ok := n.(*ast.StringNode); ok && ln == 0 && s.Value == value {
				ln, field = line(n), strings.TrimPrefix(strings.TrimPrefix(n.GetPath(), "$"), ".")
			}
			return ln == 0
		}), doc)
	}
	return ln, field
}

// fieldAt is the field path of the innermost node at the given position.
func fieldAt(file *ast.File, ln, col int) string {
	var found string
	for _, doc := range file.Docs {
		ast.Walk(visitorFunc(func(n ast.Node) bool {
			tk := n.GetToken()
			if tk != nil && tk.Position != nil && tk.Position.Line == ln && tk.Position.Column == col {
				found = n.GetPath()
			}
			return true
		}), doc)
	}
	return strings.TrimPrefix(strings.TrimPrefix(found, "$"), ".")
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
