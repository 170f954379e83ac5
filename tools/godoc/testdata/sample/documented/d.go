// Package documented has every exported name documented.
package documented

// Limits bound the sample; the group's comment documents both.
const (
	Low  = 1
	High = 2
)

// Single declares one type; the declaration's comment is its doc.
type Single int

// String names the value.
func (s Single) String() string { return "single" }
