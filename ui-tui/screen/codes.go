package screen

import "github.com/legevakt/workstation/triage/wording"

// Word words a code under a family of text ids ("dev.", "quality.") in
// the context's language: the registered text of prefix+code, or the word
// for unknown ("ukjent"/"unknown") when the family has no text for it, so
// a state or quality a newer device layer reports never shows as its code.
func (c *Context) Word(prefix, code string) string {
	id := prefix + code
	if _, ok := texts[id]; ok && code != "" {
		return c.T(id)
	}
	return wording.Unknown(c.Lang)
}
