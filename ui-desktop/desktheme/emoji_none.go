//go:build no_emoji

package desktheme

// LeaveOutEmojiFont does nothing: built with fyne's no_emoji tag, fyne has
// no emoji font to load.
func LeaveOutEmojiFont() {}
