package traffic

// Visitor receives a capture piece by piece, so a source need not hold all of
// it in memory. A source calls Page before the requests that refer to it when
// it can, Request once per request in capture order, and End once with the
// capture-level data (Source, Creator, Cookies, Storage, Warnings; Pages and
// Requests left empty).
type Visitor interface {
	Page(p *Page) error
	Request(r *Request) error
	End(c *Capture) error
}

// Visit replays a whole capture into v.
func (c *Capture) Visit(v Visitor) error {
	for _, p := range c.Pages {
		if err := v.Page(p); err != nil {
			return err
		}
	}
	for _, r := range c.Requests {
		if err := v.Request(r); err != nil {
			return err
		}
	}
	end := *c
	end.Pages, end.Requests = nil, nil
	return v.End(&end)
}

// Collector is a Visitor that builds a whole Capture.
type Collector struct {
	Capture Capture
}

// Page implements Visitor.
func (c *Collector) Page(p *Page) error {
	c.Capture.Pages = append(c.Capture.Pages, p)
	return nil
}

// Request implements Visitor.
func (c *Collector) Request(r *Request) error {
	c.Capture.Requests = append(c.Capture.Requests, r)
	return nil
}

// End implements Visitor.
func (c *Collector) End(end *Capture) error {
	pages, reqs := c.Capture.Pages, c.Capture.Requests
	c.Capture = *end
	c.Capture.Pages, c.Capture.Requests = pages, reqs
	return nil
}

// PageByID returns the page with the given ID, or nil.
func (c *Capture) PageByID(id string) *Page {
	for _, p := range c.Pages {
		if p.ID == id {
			return p
		}
	}
	return nil
}
