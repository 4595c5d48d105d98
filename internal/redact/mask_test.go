package redact

import "testing"

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value, kind, want string
	}{
		{"maria.lopez@gmail.com", "email", "m****@gmail.com"},
		{"  Maria@Example.org ", "email", "M****@Example.org"},
		{"m@x.io", "email", "****@x.io"},
		{"not-an-email", "email", "n****"},
		{"+1 (415) 555-0142", "phone", "+* (***) ***-**42"},
		{"4155550142", "phone", "********42"},
		{"12", "phone", "****"},
		{"Maria", "first_name", "M****"},
		{"Ñúñez", "last_name", "Ñ****"},
		{"J", "first_name", "****"},
		{"1234 Elm Street", "street", "1****"},
		{"Oakland", "city", "O****"},
		{"CA", "state", "C*"},
		{"US", "country", "US"},
		{"94607", "zip", "94***"},
		{"94607-1234", "zip", "94***"},
		{"1984-03-07", "date_of_birth", "1984-**-**"},
		{"03/07/1984", "date_of_birth", "**/**/1984"},
		{"March 7, 1984", "date_of_birth", "***** *, 1984"},
		{"9400111899223197428490", "tracking_numbers", "9400****90"},
		{"9400 1118 9922 3197 4284 90", "tracking_numbers", "9400****90"},
		{"EC123456785US", "upu-s10", "EC12****US"},
		{"1Z999AA10123456784", "ups", "1Z99****84"},
		{"12345", "tracking_numbers", "1****"},
		{"4111111111111111", "payment-card", "****1111"},
		{"123-45-6789", "us-ssn", "****6789"},
		{"MBR-0042-XYZ", "custom.member_id", "MB****"},
		{"abc", "custom.code", "****"},
		{"", "email", ""},
		{"   ", "zip", ""},
		{"something", "", "so****"},
	}
	for _, tc := range tests {
		if got := Mask(tc.value, tc.kind); got != tc.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tc.value, tc.kind, got, tc.want)
		}
	}
}

// TestMaskNeverReveals checks that no mask shows the whole value.
func TestMaskNeverReveals(t *testing.T) {
	t.Parallel()
	kinds := []string{"email", "phone", "first_name", "street", "zip", "date_of_birth", "tracking_numbers", "payment-card", "custom.x", ""}
	values := []string{"a", "ab", "abc", "abcd", "abcde", "a@b", "12", "12345", "1234567890", "x@y.z", "Éric"}
	for _, k := range kinds {
		for _, v := range values {
			if got := Mask(v, k); got == v && len(v) > 0 {
				t.Errorf("Mask(%q, %q) reveals the value", v, k)
			}
		}
	}
}
