package wire

// maxIndexBytes bounds the criteria index file (triage-tui --index), as
// triagectl phone --index does: the demo index is a few kilobytes and a
// full clinic's some hundreds, so 4 MiB leaves room, and a path naming a
// pipe or a huge file ends with an error naming it (issue 16 item 1).
const maxIndexBytes = 4 << 20
