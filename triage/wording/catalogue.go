package wording

import (
	"fmt"
	"sort"
	"sync"
)

// catalogues hold the texts of the front ends by key, per language. They
// are filled once at program start (Register, from package init) and only
// read after that, as database/sql's drivers are.
var (
	catMu      sync.RWMutex
	catalogues = map[Lang]map[string]string{NB: {}, EN: {}}
)

// Register adds a front end's texts by key in bokmål and English. A key
// registered twice panics: two tables claiming one key is a programming
// error, found when the program starts.
func Register(nb, en map[string]string) {
	catMu.Lock()
	defer catMu.Unlock()
	for _, t := range []struct {
		l   Lang
		src map[string]string
	}{{NB, nb}, {EN, en}} {
		dst := catalogues[t.l]
		for k, v := range t.src {
			if _, dup := dst[k]; dup {
				panic(fmt.Sprintf("wording: key %q registered twice", k))
			}
			dst[k] = v
		}
	}
}

// T returns the registered text for key in l, formatted with args as
// fmt.Sprintf does when args are given. An unknown key returns "!key!" so
// that it is seen in tests and screenshots rather than hidden.
func (l Lang) T(key string, args ...any) string {
	catMu.RLock()
	s, ok := catalogues[Of(string(l))][key]
	catMu.RUnlock()
	if !ok {
		return "!" + key + "!"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns every registered key of l, sorted (for completeness tests).
func (l Lang) Keys() []string {
	catMu.RLock()
	defer catMu.RUnlock()
	tbl := catalogues[Of(string(l))]
	keys := make([]string, 0, len(tbl))
	for k := range tbl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
