package profiles

import (
	"embed"
	"path"
	"slices"
	"strings"
)

// builtinFS holds the built-in profiles, one YAML file each.
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin lists the built-in profiles' names (flash-crowd, ramp, steady, soak, bot-storm, ...),
// sorted. Load takes them by name.
func Builtin() []string {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic("profiles: the embedded built-ins are unreadable: " + err.Error())
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// BuiltinYAML returns a built-in profile's YAML as shipped (comments included).
func BuiltinYAML(name string) ([]byte, bool) { return builtinData(name) }

func builtinData(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return nil, false
	}
	data, err := builtinFS.ReadFile(path.Join("builtin", name+".yaml"))
	return data, err == nil
}
