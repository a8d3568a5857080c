package web

// NewUnfolded is New with the templates as they are written, no constants folded
// into them (foldConstants), for TestFoldedPages.
func NewUnfolded(svc Services, opt Options) (*Site, error) {
	s, err := New(svc, opt)
	if err != nil {
		return nil, err
	}
	s.pages, err = parsePages(false)
	return s, err
}
