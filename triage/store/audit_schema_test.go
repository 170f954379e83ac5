package store

// withSchemaLimit makes Open apply only the migrations numbered below n,
// leaving a database as an older program would have written it.
func withSchemaLimit(n int) Option { return func(c *config) { c.schemaLimit = n } }
