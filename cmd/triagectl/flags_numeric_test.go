package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// invocation is a command, or a command and its subcommand, as typed.
type invocation []string

// helpOf runs inv -h and returns all it printed.
func helpOf(inv invocation) string {
	var o, e bytes.Buffer
	run(append(append([]string(nil), inv...), "-h"), strings.NewReader(""), &o, &e)
	return o.String() + e.String()
}

var flagLine = regexp.MustCompile(`(?m)^\s{2}-([a-zA-Z0-9][a-zA-Z0-9-]*)\b`)

// flagMention is a flag named in a usage line ("[--every 5s]") by a
// command whose help does not list its flag set.
var flagMention = regexp.MustCompile(`--([a-z][a-z0-9-]*)\b`)

// flagsOf lists the flags inv's help names, listed or mentioned.
func flagsOf(help string) []string {
	seen := map[string]bool{}
	var out []string
	for _, re := range []*regexp.Regexp{flagLine, flagMention} {
		for _, m := range re.FindAllStringSubmatch(help, -1) {
			if !seen[m[1]] && m[1] != "h" && m[1] != "help" {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	return out
}

// invocations lists every command, and every subcommand its usage names,
// that has flags of its own.
func invocations(t *testing.T) []invocation {
	var out []invocation
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		help := helpOf(invocation{name})
		if flagLine.MatchString(help) {
			out = append(out, invocation{name}) // its own flag set (not its subcommands' usage)
		}
		// Subcommands as the usage writes them: "ecg detect", "users add|disable".
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + ` ((?:[a-z][a-z0-9]*\|)*[a-z][a-z0-9]*)\b`)
		seen := map[string]bool{}
		for _, m := range re.FindAllStringSubmatch(help, -1) {
			for _, sub := range strings.Split(m[1], "|") {
				if seen[sub] {
					continue
				}
				seen[sub] = true
				if len(flagsOf(helpOf(invocation{name, sub}))) > 0 {
					out = append(out, invocation{name, sub})
				}
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d commands with flags: the usage texts changed shape", len(out))
	}
	return out
}

// numericKind probes a flag with values its type may refuse, each followed
// by a flag no command defines, so that parsing always fails and nothing
// runs: "" for a flag that is not a number.
func numericKind(inv invocation, name string) string {
	accepts := func(v string) (bool, string) {
		var o, e bytes.Buffer
		run(append(append([]string(nil), inv...), "--"+name+"="+v, "--zz-no-such-flag"), strings.NewReader(""), &o, &e)
		return strings.Contains(e.String(), "not defined: -zz-no-such-flag"), e.String()
	}
	ok, msg := accepts("abc")
	if !ok && !strings.Contains(msg, "flag provided but not defined") && !strings.Contains(msg, "parse error") {
		// A command that parses its arguments itself (ecg12): a flag is
		// a number when "abc" alone is refused naming it.
		code, e := runGuarded(nil, append(append([]string(nil), inv...), "--"+name+"=abc"))
		if code == 2 && namesFlag(e, name) && strings.Contains(e, "abc") {
			return "any"
		}
		return ""
	}
	if ok || !strings.Contains(msg, "parse error") || strings.Contains(msg, "invalid boolean") {
		return ""
	}
	if ok, _ := accepts("0.5"); ok {
		return "float"
	}
	if ok, _ := accepts("1s"); ok {
		return "duration"
	}
	return "int"
}

// anyValueMeans lists numeric flags for which every value of the type is
// meaningful, so no value is absurd (negatives and NaN are still refused):
// a random seed is any 64-bit number; an id is any positive number.
var anyValueMeans = map[string]string{
	"seed":      "a random seed",
	"patient":   "a patient id",
	"encounter": "a contact id",
	"mark":      "an audit sequence number",
}

// Every numeric flag of every triagectl command and subcommand, found in
// their flag sets' usage (a new flag is covered without touching this
// test), refuses NaN, infinities, negative and absurd values with exit 2
// and a message naming the flag, before anything else is looked at. A
// command that parses its arguments itself (ecg12) is seen to have a
// numeric flag only when it checks that flag first.
func TestEveryNumericFlagRefusesNonsense(t *testing.T) {
	found := 0
	db := filepath.Join(t.TempDir(), "probe.db")
	for _, inv := range invocations(t) {
		help := helpOf(inv)
		for _, name := range flagsOf(help) {
			kind := numericKind(inv, name)
			if kind == "" {
				continue
			}
			found++
			var bad []string
			switch kind {
			case "float":
				bad = []string{"NaN", "Inf", "+Inf", "-Inf", "-1", "1e308"}
			case "duration":
				bad = []string{"-1s", "2562047h"}
			case "any": // the type is not known: values wrong for every type
				bad = []string{"NaN", "Inf", "-Inf", "-2", "-1s", "1e308", "2562047h"}
			case "int":
				// -2: some take -1 for "unknown" (phone search --age).
				bad = []string{"-2", "9223372036854775807"}
			}
			if _, ok := anyValueMeans[name]; ok {
				bad = bad[:len(bad)-1]
			}
			for _, v := range bad {
				args := append(append([]string(nil), inv...), "--"+name+"="+v)
				if name != "db" && strings.Contains(help, "-db") {
					// The database a command needs anyway (one that does
					// not exist): the value must be refused with it given.
					args = append(args, "--db="+db)
				}
				t.Run(strings.Join(args, " "), func(t *testing.T) {
					code, errOut := runGuarded(t, args)
					if code != 2 {
						t.Errorf("exit %d, want 2; stderr: %s", code, firstLines(errOut))
					}
					if !namesFlag(errOut, name) {
						t.Errorf("no message names -%s: %s", name, firstLines(errOut))
					}
				})
			}
		}
	}
	if found < 10 {
		t.Fatalf("found only %d numeric flags", found)
	}
}

// runGuarded runs args; a command that accepted a nonsense value and went
// to work is a failure, not a hang of the whole suite.
func runGuarded(t *testing.T, args []string) (int, string) {
	type result struct {
		code int
		err  string
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		code := run(args, strings.NewReader(""), &o, &e)
		done <- result{code, e.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.err
	case <-time.After(time.Minute):
		panic(fmt.Sprintf("still running after a minute: %v was accepted", args))
	}
}

// namesFlag reports whether a line of the command's own message (not the
// usage, whose lines list every flag) names -name.
func namesFlag(stderr, name string) bool {
	for _, l := range strings.Split(stderr, "\n") {
		if l == "" || l[0] == ' ' || l[0] == '\t' || strings.HasPrefix(l, "usage:") {
			continue
		}
		if strings.Contains(l, "-"+name+" ") || strings.Contains(l, "-"+name+":") || strings.Contains(l, "-"+name+"=") {
			return true
		}
	}
	return false
}

func firstLines(s string) string {
	lines := strings.SplitN(s, "\n", 3)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return fmt.Sprint(strings.Join(lines, " | "))
}

// The numeric flags of ecg12, which parses its own arguments, are seen by
// TestEveryNumericFlagRefusesNonsense only when each is checked before
// the required arguments: this keeps them in its reach.
func TestTheNumericFlagTestReachesECG12(t *testing.T) {
	want := map[string]bool{"watch every": false, "attach encounter": false, "render speed": false, "render gain": false}
	for _, inv := range invocations(t) {
		if len(inv) != 2 || inv[0] != "ecg12" {
			continue
		}
		for _, name := range flagsOf(helpOf(inv)) {
			k := inv[1] + " " + name
			if _, ok := want[k]; ok && numericKind(inv, name) != "" {
				want[k] = true
			}
		}
	}
	for k, found := range want {
		if !found {
			t.Errorf("ecg12 %s --%s is not probed as a number", strings.Fields(k)[0], strings.Fields(k)[1])
		}
	}
}
