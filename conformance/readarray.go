package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// readArray decodes r, which must hold exactly one JSON array, into v (a pointer to a slice).
func readArray(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	if start == len(data) {
		return errors.New("no input: want a JSON array")
	}
	if data[start] != '[' {
		line, col := lineCol(data, int64(start))
		return fmt.Errorf("line %d, column %d: want a JSON array, found %q", line, col, firstToken(data[start:]))
	}
	if err := json.Unmarshal(data, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		off := int64(len(data))
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		line, col := lineCol(data, off)
		return fmt.Errorf("line %d, column %d: %w", line, col, err)
	}
	return nil
}

// lineCol is the 1-based line and column of byte offset off (the byte before it, as the
// json package's offsets point just past the offending byte).
func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func firstToken(b []byte) string {
	if i := bytes.IndexAny(b, " \t\r\n,:[]{}"); i > 0 {
		b = b[:i]
	}
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}
