package consent

import "github.com/prebid/go-gdpr/consentconstants"

// purpose converts a purpose id for go-gdpr.
func purpose(id int) consentconstants.Purpose { return consentconstants.Purpose(id) }
