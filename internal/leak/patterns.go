package leak

func (s *scanner) matchPatterns(loc string, v []byte, chain []string) {}
