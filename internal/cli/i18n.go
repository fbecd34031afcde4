package cli

import (
	"errors"
	"io/fs"
	"strings"

	"integritas/assets"
	"integritas/locale"
	"integritas/survey"
)

// The command line speaks the organisation's language (stored settings,
// Indonesian by default) unless --lang says otherwise; every message a
// person reads comes from locales/cli.*.json and locales/import.*.json.

// translator returns the command line's translator: --lang, else the
// stored organisation language once the database is open, else Indonesian.
func (cl *cli) translator() locale.Translator {
	if cl.bundle == nil {
		b, err := locale.Load(assets.FS)
		if err != nil {
			panic("cli: embedded locale files: " + err.Error()) // caught by every test run
		}
		cl.bundle = b
	}
	return cl.bundle.For(cl.lang)
}

// t renders a message in the command line's language.
func (cl *cli) t(key string, kv ...any) string { return cl.translator().T(key, kv...) }

// say prints a message and a newline to stdout.
func (cl *cli) say(key string, kv ...any) {
	cl.stdout.Write([]byte(cl.t(key, kv...) + "\n"))
}

// msgError is an error a person reads: a message id and its placeholders,
// with the cause (if any) described after it. It is rendered when printed,
// in the language known by then.
type msgError struct {
	cl    *cli
	key   string
	kv    []any
	cause error
}

func (e *msgError) Error() string { return e.cl.describe(e) }
func (e *msgError) Unwrap() error { return e.cause }

// fail returns an error with a message.
func (cl *cli) fail(key string, kv ...any) error { return &msgError{cl: cl, key: key, kv: kv} }

// wrap returns an error with a message and its cause.
func (cl *cli) wrap(cause error, key string, kv ...any) error {
	return &msgError{cl: cl, key: key, kv: kv, cause: cause}
}

// describe renders an error in the command line's language: messages of
// this package, import problems line by line, the store's known refusals
// and file errors; anything else (a fault deep down) as it is.
func (cl *cli) describe(err error) string {
	var me *msgError
	var ie *survey.ImportError
	var pe *fs.PathError
	switch {
	case errors.As(err, &me) && me == err:
		msg := cl.t(me.key, me.kv...)
		if me.cause == nil {
			return msg
		}
		detail := cl.describe(me.cause)
		if strings.HasPrefix(detail, "\n") {
			return msg + detail
		}
		return msg + ": " + detail
	case errors.As(err, &ie):
		return "\n" + strings.Join(ie.Lines(cl.translator()), "\n")
	case errors.Is(err, survey.ErrPastClosing):
		return cl.t("cli.err.past_closing")
	case errors.Is(err, survey.ErrHasResponses):
		return cl.t("cli.err.has_responses")
	case errors.Is(err, survey.ErrClosed):
		return cl.t("cli.err.closed")
	case errors.Is(err, survey.ErrNotFound):
		return cl.t("cli.err.not_found")
	case errors.Is(err, survey.ErrConflict):
		return cl.t("cli.err.conflict")
	case errors.Is(err, survey.ErrInUse):
		return cl.t("cli.err.in_use")
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		return cl.t("cli.err.no_file", "Path", pe.Path)
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		return cl.t("cli.err.permission", "Path", pe.Path)
	case errors.As(err, &pe):
		return cl.t("cli.err.file", "Path", pe.Path, "Detail", pe.Err.Error())
	}
	return err.Error()
}

// setLang records an explicit --lang, which wins over the stored setting.
func (cl *cli) setLang(v string) error {
	if v == "" {
		return nil
	}
	if v != "id" && v != "en" {
		return cl.fail("cli.lang.invalid", "Value", v)
	}
	cl.lang, cl.langSet = v, true
	return nil
}
