// Package locale speaks the user's language: Bahasa Indonesia first, English
// second. Messages come from the embedded locale files (locales/<area>.<id|en>.json),
// never from code, and numbers use the language's separators (74,21 in Indonesian).
package locale
