package undocumented

type Open struct{}

func (Open) Method() {}

// Documented is fine.
func (*Open) Documented() {}

func New() Open { return Open{} }

const Limit = 3

var Default = New()

type (
	// Grouped has its own comment.
	Grouped int
	Bare    int
)

const (
	First  = iota
	Second // Second has a comment at the end of its line.
)

type hidden struct{}

// Exported methods of an unexported type are not in the documentation.
func (hidden) Exported() {}

func unexported() {}

type List[T any] []T

func (List[T]) Len() int { return 0 }
