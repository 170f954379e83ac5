package phone

import (
	"fmt"
)

// Code is a criterion code in the national style, e.g. A.06.01: the level
// letter (A akutt, H haster, V vanlig), the chapter of the index (01-99) and
// the criterion's number within the chapter and level (01-99).
type Code struct {
	Level   Level
	Chapter uint8
	Number  uint8
}

// String writes the code as L.CC.NN, e.g. "A.06.01".
func (c Code) String() string {
	return fmt.Sprintf("%c.%02d.%02d", c.Level.Letter(), c.Chapter, c.Number)
}

// IsZero reports whether c is the zero Code (no criterion).
func (c Code) IsZero() bool { return c == Code{} }

// MarshalText implements encoding.TextMarshaler.
func (c Code) MarshalText() ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Code) UnmarshalText(b []byte) error {
	p, err := ParseCode(string(b))
	if err != nil {
		return err
	}
	*c = p
	return nil
}

func (c Code) validate() error {
	if int(c.Level) >= len(levelNames) {
		return fmt.Errorf("criterion code: level %d out of range 0-2", uint8(c.Level))
	}
	if c.Chapter < 1 || c.Chapter > 99 {
		return fmt.Errorf("criterion code %s: chapter %d out of range 01-99", c, c.Chapter)
	}
	if c.Number < 1 || c.Number > 99 {
		return fmt.Errorf("criterion code %s: number %d out of range 01-99", c, c.Number)
	}
	return nil
}

// ParseCode reads a criterion code written L.CC.NN: L one of A, H, V
// (upper case), CC the chapter 01-99 and NN the number 01-99, each exactly
// two digits.
func ParseCode(s string) (Code, error) {
	const form = "want L.CC.NN with L one of A, H, V and two digits each, e.g. A.06.01"
	if len(s) != 7 || s[1] != '.' || s[4] != '.' {
		return Code{}, fmt.Errorf("criterion code %q: %s", s, form)
	}
	var c Code
	switch s[0] {
	case 'A':
		c.Level = Akutt
	case 'H':
		c.Level = Haster
	case 'V':
		c.Level = Vanlig
	default:
		return Code{}, fmt.Errorf("criterion code %q: level letter %q, %s", s, s[0], form)
	}
	two := func(a, b byte) (uint8, bool) {
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return (a-'0')*10 + (b - '0'), true
	}
	var ok bool
	if c.Chapter, ok = two(s[2], s[3]); !ok {
		return Code{}, fmt.Errorf("criterion code %q: chapter %q is not two digits, %s", s, s[2:4], form)
	}
	if c.Number, ok = two(s[5], s[6]); !ok {
		return Code{}, fmt.Errorf("criterion code %q: number %q is not two digits, %s", s, s[5:7], form)
	}
	if err := c.validate(); err != nil {
		return Code{}, err
	}
	return c, nil
}
