// Package privacy checks the module's source against two of the project's
// privacy rules, for every package at once (go test ./tools/privacy):
//
//   - patient data never reaches a log: no call of log.*, slog.* or a
//     Logf/logf function is given an expression that names patient data
//     (a name, an identity number, a birth date, a phone number, an
//     address, a patient, observations or their values, a complaint or a
//     note);
//   - files the apps write are owner-only: no os.WriteFile, os.OpenFile,
//     os.Mkdir, os.MkdirAll or Chmod is given a literal mode open to the
//     group or others, and os.Create (0666 before the umask) is not used.
//
// It reads the source as gosource.Walk does, as text, so it sees names,
// not types: a log line given err is not checked here (errors name ids
// and fields, and the packages' tests hold them to that); a name that only
// looks like patient data is waived by a comment on the line or the line
// above that says "not patient data" or "never patient data", which is
// also what a reviewer reads. Test files and packages named *test (test
// support) are not read.
package privacy

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/tools/gosource"
)

// Finding is one call that breaks a rule.
type Finding struct {
	// File is the path relative to the root given to Check, with slashes.
	File string
	// Line is the call's line.
	Line int
	// Rule is "log" or "file mode".
	Rule string
	// What says what the call does wrong.
	What string
}

// String is the finding as a test or a person reads it.
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Rule, f.What)
}

// personal are the names (lower case) that stand for patient data.
var personal = map[string]bool{
	"name": true, "fullname": true, "givenname": true, "familyname": true, "patientname": true,
	"nid": true, "ident": true, "identity": true, "identitynumber": true, "fnr": true, "personnummer": true,
	"birth": true, "birthdate": true, "born": true, "dateofbirth": true,
	"phone": true, "phonenumber": true, "address": true,
	"patient": true, "patients": true,
	"obs": true, "observation": true, "observations": true, "vitals": true, "reported": true,
	"complaint": true, "note": true, "notes": true,
}

// Check reads every non-test Go file below root (gosource.Walk) and
// returns its findings, sorted by file and line.
func Check(root string) ([]Finding, error) {
	var out []Finding
	err := gosource.Walk(root, func(rel string, fset *token.FileSet, f *ast.File) error {
		if !strings.HasSuffix(f.Name.Name, "test") {
			out = append(out, fileFindings(fset, rel, f)...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, nil
}

func fileFindings(fset *token.FileSet, rel string, f *ast.File) []Finding {
	waived := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			t := strings.ToLower(c.Text)
			if strings.Contains(t, "not patient data") || strings.Contains(t, "never patient data") {
				line := fset.Position(c.Pos()).Line
				waived[line], waived[line+1] = true, true
			}
		}
	}
	imports := map[string]bool{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		n := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			n = im.Name.Name
		}
		imports[n] = true
	}
	var out []Finding
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		line := fset.Position(c.Pos()).Line
		if waived[line] {
			return true
		}
		if sink := logSink(c, imports); sink != "" {
			for _, a := range c.Args {
				if p := personalName(a, imports); p != "" {
					out = append(out, Finding{rel, line, "log", fmt.Sprintf("%s is given %s, which names patient data", sink, p)})
				}
			}
		}
		if what := openMode(c, imports); what != "" {
			out = append(out, Finding{rel, line, "file mode", what})
		}
		return true
	})
	return out
}

// logSink names the call when it writes a log: log.X, slog.X, or a
// function or method named Logf or logf.
func logSink(c *ast.CallExpr, imports map[string]bool) string {
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && (x.Name == "log" || x.Name == "slog") && imports[x.Name] {
			return x.Name + "." + fn.Sel.Name
		}
		if fn.Sel.Name == "Logf" || fn.Sel.Name == "logf" {
			return fn.Sel.Name
		}
	case *ast.Ident:
		if fn.Name == "Logf" || fn.Name == "logf" {
			return fn.Name
		}
	}
	return ""
}

// personalName returns the first identifier or field in e that names
// patient data, or "". A package's own names (phone.X) are not data.
func personalName(e ast.Expr, imports map[string]bool) string {
	found := ""
	ast.Inspect(e, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && imports[id.Name] {
				return false
			}
			if personal[strings.ToLower(x.Sel.Name)] {
				found = x.Sel.Name
			}
		case *ast.Ident:
			if personal[strings.ToLower(x.Name)] {
				found = x.Name
			}
		case *ast.BasicLit:
			return false
		}
		return found == ""
	})
	return found
}

// openMode says what is wrong with a call that creates a file or sets its
// mode, or "".
func openMode(c *ast.CallExpr, imports map[string]bool) string {
	fn, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg := ""
	if x, ok := fn.X.(*ast.Ident); ok && imports[x.Name] {
		pkg = x.Name
	}
	modeArg := -1
	switch {
	case pkg == "os" && fn.Sel.Name == "Create":
		return "os.Create makes a file 0666 before the umask; use os.OpenFile with 0o600"
	case pkg == "os" && fn.Sel.Name == "WriteFile", pkg == "os" && fn.Sel.Name == "OpenFile":
		modeArg = 2
	case pkg == "os" && (fn.Sel.Name == "Mkdir" || fn.Sel.Name == "MkdirAll" || fn.Sel.Name == "Chmod"):
		modeArg = 1
	case pkg == "" && fn.Sel.Name == "Chmod" && len(c.Args) == 1: // (*os.File).Chmod
		modeArg = 0
	default:
		return ""
	}
	if modeArg >= len(c.Args) {
		return ""
	}
	lit, ok := c.Args[modeArg].(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return "" // a computed mode (kept or masked) is the reviewer's
	}
	mode, err := strconv.ParseUint(strings.ReplaceAll(lit.Value, "_", ""), 0, 32)
	if err != nil || mode&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("%s.%s with mode %s opens the file to the group or others; want 0o600 (0o700 for a directory)", pkg, fn.Sel.Name, lit.Value)
}
