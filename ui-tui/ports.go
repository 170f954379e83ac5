package tui

// The screens reach the engine, the store and the devices only through
// these interfaces, so that models and views are tested with fakes.
