package main

import (
	"bytes"
	"cmp"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/aims-dev/aims/pkg/cache"
)

// The CLI's behaviour is specified by the scripts in testdata/script: each
// runs aims as a user would and checks its output and exit code.
func TestMain(m *testing.M) {
	// Tests never touch the user's cache: runs inside the test process
	// have none (a test of the cache sets its own), scripts have their own
	// folder (scriptCache), passed on through the re-executed binary.
	os.Setenv(cache.EnvDir, cmp.Or(os.Getenv(testCacheEnv), "off"))
	testscript.Main(m, map[string]func(){
		"aims": func() {
			os.Exit(run(os.Args[1:], Streams{os.Stdin, os.Stdout, os.Stderr}))
		},
	})
}

func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Scripts copy the shipped examples with: cp-example NAME DIR
			env.Setenv("EXAMPLES", filepath.Join(root, "examples"))
			scriptCache(env)
			return nil
		},
		Cmds:                cmds(),
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") != "",
	})
}

// testCacheEnv names the cache folder of a script's aims processes.
const testCacheEnv = "AIMS_TEST_CACHE_DIR"

// scriptCache gives a script's aims processes a cache of their own, beside
// (not inside) its work folder so no script sees it among its files.
func scriptCache(env *testscript.Env) {
	env.Setenv(testCacheEnv, env.WorkDir+"-cache")
}

func cmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	m := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"cp-example": cmdCopyExample,
		"replace":    cmdReplace,
		"exists-not": cmdExistsNot,
	}
	maps.Copy(m, gitCmds())
	return m
}

// cp-example NAME DIR copies examples/NAME to DIR in the script's work dir.
func cmdCopyExample(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cp-example NAME DIR")
	}
	src := filepath.Join(ts.Getenv("EXAMPLES"), args[0])
	dst := ts.MkAbs(args[1])
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	ts.Check(err)
}

// replace FILE OLD NEW replaces the first occurrence of OLD in FILE, failing
// when OLD is absent so a script never tests an edit that did not happen.
// OLD and NEW may use \n for newlines.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	name := ts.MkAbs(args[0])
	b, err := os.ReadFile(name)
	ts.Check(err)
	old := strings.ReplaceAll(args[1], `\n`, "\n")
	repl := strings.ReplaceAll(args[2], `\n`, "\n")
	if !bytes.Contains(b, []byte(old)) {
		ts.Fatalf("replace: %q not found in %s", old, args[0])
	}
	b = bytes.Replace(b, []byte(old), []byte(repl), 1)
	ts.Check(os.WriteFile(name, b, 0o644))
}

// exists-not FILE fails when FILE exists.
func cmdExistsNot(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		if _, err := os.Stat(ts.MkAbs(a)); err == nil {
			ts.Fatalf("%s exists", a)
		}
	}
}
