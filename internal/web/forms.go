package web

// registerForms adds the editor forms (see forms_*.go).
func (s *Site) registerForms(get, post func(string, handler)) {}
