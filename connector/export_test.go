package connector

// SetIndexFrom sets the number of prefiltered integrations from which a config is indexed
// and returns a function that restores it.
func SetIndexFrom(n int) (restore func()) {
	old := indexFrom
	indexFrom = n
	return func() { indexFrom = old }
}

// Indexed reports whether cfg was compiled with a needle index.
func Indexed(cfg *Config) bool { return cfg.index != nil }
