package documented

// Other is in a file without the package comment; one file's is enough.
var Other = 1
