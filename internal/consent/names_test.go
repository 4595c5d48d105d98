package consent

import "testing"

func TestNames(t *testing.T) {
	t.Parallel()
	cases := []struct{ got, want string }{
		{PurposeName(1), "Store and/or access information on a device"},
		{PurposeName(11), "Use limited data to select content"},
		{PurposeName(12), "purpose 12"},
		{PurposeName(0), "purpose 0"},
		{SpecialFeatureName(2), "Actively scan device characteristics for identification"},
		{USValueMeaning("SaleOptOut", 1), "opted out"},
		{USValueMeaning("TargetedAdvertisingOptOutNotice", 2), "notice not given"},
		{USValueMeaning("SensitiveDataProcessing", 2), "consent"},
		{USValueMeaning("KnownChildSensitiveDataConsents", 1), "no consent"},
		{USValueMeaning("MspaCoveredTransaction", 1), "yes"},
		{USValueMeaning("SaleOptOut", 3), "invalid 3"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
