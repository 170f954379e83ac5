// Package cmalloc holds the desk's settings for the C allocator, glibc's
// malloc, which the OpenGL driver (Mesa; llvmpipe when rendering in
// software), the X client library and GLFW allocate from. Go's own memory
// is not touched here.
//
// Three settings, measured over an hour of driven use
// (docs/PERFORMANCE.md, "Memory, third pass"):
//
//   - LimitArenas caps the number of malloc arenas. glibc gives each
//     thread that allocates at the same time as another one an arena of its
//     own (up to 8 per core), and memory freed in one arena is never used
//     by another, so the renderer's threads each keep their own high-water
//     mark.
//   - FixMmapThreshold keeps large blocks (llvmpipe's larger textures and
//     buffers, made and freed again as the screen changes) in mappings of
//     their own, unmapped when freed. glibc raises its threshold to the size of every
//     mapped block freed, after which such blocks come from the heaps and
//     leave holes there when freed.
//   - Trim (and TrimEvery) gives the free pages inside the arenas back to
//     the system (malloc_trim(0): the top of each arena is released and
//     every whole free page inside is dropped with MADV_DONTNEED). glibc
//     only returns memory at the top of the main heap by itself, so pages
//     freed below a chunk still in use stay resident for ever.
//
// Elsewhere than glibc on Linux (or built without cgo) every function does
// nothing and reports so.
package cmalloc
