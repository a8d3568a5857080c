package web

// registerControlling adds the controlling dashboard.
func (s *Site) registerControlling(get func(string, handler)) {}
