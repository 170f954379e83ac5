package undocumented

func Helper() {}
