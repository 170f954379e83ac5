// Package godoc finds what the project's standard "godoc on every exported
// name" is broken by: packages without a package comment, and exported
// types, functions, methods, constants and variables without a doc comment.
//
// It reads the source as gosource.Walk does: as text, every file whatever
// its build constraints, not test files or generated ones.
// A constant or variable in a parenthesised group is documented by the
// group's comment, its own, or a comment at the end of its line (godoc shows
// the group's source); a type needs its own comment, or the declaration's
// when it declares that one type alone. A method counts only when its
// receiver type is exported: the methods of an unexported type are not in
// the documentation.
package godoc

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"sort"

	"github.com/legevakt/workstation/tools/gosource"
)

// Finding is one package or exported name without a doc comment.
type Finding struct {
	// File is the path relative to the root given to Missing, with slashes;
	// for a package, its directory.
	File string
	// Line is where the name is declared (0 for a package).
	Line int
	// What is "package", "type", "func", "method", "const" or "var".
	What string
	// Name is the package name, the declared name, or "Type.Method".
	Name string
}

// Key names the finding without its line, so that a list of known findings
// does not go stale when lines move: "dir/file.go: func Name".
func (f Finding) Key() string {
	return fmt.Sprintf("%s: %s %s", f.File, f.What, f.Name)
}

// String is the finding as a test or a person reads it:
// "dir/file.go:12: func Name has no doc comment".
func (f Finding) String() string {
	if f.What == "package" {
		return fmt.Sprintf("%s: package %s has no package comment", f.File, f.Name)
	}
	return fmt.Sprintf("%s:%d: %s %s has no doc comment", f.File, f.Line, f.What, f.Name)
}

// Missing reads every non-test Go file below root (gosource.Walk) and
// returns its findings, sorted by file and line.
func Missing(root string) ([]Finding, error) {
	type pkgKey struct{ dir, name string }
	documented := map[pkgKey]bool{}
	var out []Finding
	err := gosource.Walk(root, func(rel string, fset *token.FileSet, f *ast.File) error {
		k := pkgKey{path.Dir(rel), f.Name.Name}
		documented[k] = documented[k] || f.Doc != nil
		out = append(out, fileFindings(fset, rel, f)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k, ok := range documented {
		if !ok {
			out = append(out, Finding{File: k.dir, What: "package", Name: k.name})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func fileFindings(fset *token.FileSet, rel string, f *ast.File) []Finding {
	var out []Finding
	add := func(pos token.Pos, what, name string) {
		out = append(out, Finding{File: rel, Line: fset.Position(pos).Line, What: what, Name: name})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv == nil {
				add(d.Pos(), "func", d.Name.Name)
				continue
			}
			if recv := receiverName(d.Recv); ast.IsExported(recv) {
				add(d.Pos(), "method", recv+"."+d.Name.Name)
			}
		case *ast.GenDecl:
			grouped := d.Lparen.IsValid()
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() || s.Doc != nil || (!grouped && d.Doc != nil) {
						continue
					}
					add(s.Pos(), "type", s.Name.Name)
				case *ast.ValueSpec:
					if s.Doc != nil || d.Doc != nil || (grouped && s.Comment != nil) {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							add(n.Pos(), d.Tok.String(), n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// receiverName is the base type name of a method's receiver: T for T, *T,
// T[K] and *T[K].
func receiverName(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch e := t.(type) {
		case *ast.StarExpr:
			t = e.X
		case *ast.ParenExpr:
			t = e.X
		case *ast.IndexExpr:
			t = e.X
		case *ast.IndexListExpr:
			t = e.X
		case *ast.Ident:
			return e.Name
		default:
			return ""
		}
	}
}
