package browsertest

// The Page's input methods: leakwatch's own (browser.Tab), which act as a
// person would, failing the test when they cannot.

// WaitSelector waits until an element matches sel.
func (p *Page) WaitSelector(sel string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.WaitSelector(ctx, sel), "wait for %s (page %s)", sel, p.Tab.URL())
}

// Click clicks the centre of the element matching sel with the mouse.
func (p *Page) Click(sel string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Click(ctx, sel), "click %s", sel)
}

// Type focuses the element matching sel and types text at its cursor, key
// by key.
func (p *Page) Type(sel, text string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Type(ctx, sel, text), "type into %s", sel)
}

// Fill empties the text field matching sel, then types text into it.
func (p *Page) Fill(sel, text string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Clear(ctx, sel), "clear %s", sel)
	if text != "" {
		p.check(p.Tab.Type(ctx, sel, text), "type into %s", sel)
	}
}

// Select chooses the option of the <select> matching sel whose value, or
// else label, is value.
func (p *Page) Select(sel, value string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Select(ctx, sel, value), "select %q in %s", value, sel)
}
