//go:build linux && cgo

// Package cchurn drives glibc's malloc the way a long-running OpenGL
// driver does, for cmalloc's tests: many blocks allocated and touched, all
// freed but every tenth, so that the free memory lies below chunks still
// in use and glibc cannot give it back by itself; and a large block freed
// before a middle-sized one is asked for.
package cchurn

/*
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static void **kept;
static int nkept;

static void churn(int n, int size) {
	void **all = malloc(sizeof(void *) * n);
	kept = malloc(sizeof(void *) * n);
	nkept = 0;
	for (int i = 0; i < n; i++) {
		all[i] = malloc(size);
		memset(all[i], 1, size);
	}
	for (int i = 0; i < n; i++) {
		if (i % 10 == 9) {
			kept[nkept++] = all[i];
		} else {
			free(all[i]);
		}
	}
	free(all);
}

static void release(void) {
	for (int i = 0; i < nkept; i++) free(kept[i]);
	free(kept);
	kept = 0;
	nkept = 0;
}

// sink keeps the compiler from removing a malloc and free pair whose
// block is never read (gcc does at -O2).
static void *volatile sink;

// mapped_after_free frees a 4 MiB mapped block (which raises glibc's
// dynamic mmap threshold to 4 MiB unless it was fixed), then reports
// whether a block of size bytes still gets a mapping of its own.
static int mapped_after_free(size_t size) {
	void *big = malloc(4 << 20);
	sink = big;
	memset(big, 1, 4 << 20);
	free(big);
	struct mallinfo2 before = mallinfo2();
	void *p = malloc(size);
	sink = p;
	struct mallinfo2 after = mallinfo2();
	free(p);
	return after.hblkhd > before.hblkhd;
}
*/
import "C"

// Fragment allocates and touches n blocks of size bytes with C's malloc,
// then frees all but every tenth. Release frees the rest.
func Fragment(n, size int) { C.churn(C.int(n), C.int(size)) }

// MappedAfterFree reports whether a block of size bytes is given a
// mapping of its own after a 4 MiB block was freed.
func MappedAfterFree(size int) bool { return C.mapped_after_free(C.size_t(size)) == 1 }

// Release frees the blocks Fragment kept.
func Release() { C.release() }
