// Package gosource walks a module's Go source for the checks under tools/
// that hold the whole tree to a standard (godoc, privacy): every non-test,
// non-generated file, parsed with its comments, as text (go/parser, no
// type checking, no build), so it sees every file whatever its build
// constraints. Test files, testdata, vendored and hidden directories are
// not read.
package gosource

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Walk parses every Go file below root that is not a test file and not
// generated, and calls fn with its path relative to root (with slashes),
// the file set and the file. An error of fn or of parsing ends the walk.
func Walk(root string, fn func(rel string, fset *token.FileSet, f *ast.File) error) error {
	fset := token.NewFileSet()
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return fmt.Errorf("gosource: %w", err)
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return fmt.Errorf("gosource: %w", err)
		}
		return fn(filepath.ToSlash(rel), fset, f)
	})
}

// ModuleRoot is the nearest directory at or above dir that holds a go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("gosource: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("gosource: no go.mod at or above %s", dir)
		}
		dir = parent
	}
}
