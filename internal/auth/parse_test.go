package auth_test

import (
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
)

func TestParseBearer(t *testing.T) {
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"  Bearer   abc  ", "abc", true},
		{"Bearer eyJ.a-b_c.d=", "eyJ.a-b_c.d=", true},
		{"", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer    ", "", false},
		{"Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", false},
		{"Bearerabc", "", false},
		{"Bearer a b", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := auth.ParseBearer(tt.header)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseBearer(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseExpiry(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"90d", 90 * 24 * time.Hour, false},
		{"1d", 24 * time.Hour, false},
		{" 7d ", 7 * 24 * time.Hour, false},
		{"12h", 12 * time.Hour, false},
		{"30m", 30 * time.Minute, false},
		{"1h30m", 90 * time.Minute, false},
		{"36500d", 36500 * 24 * time.Hour, false},
		{"", 0, true},
		{"d", 0, true},
		{"0d", 0, true},
		{"0", 0, true},
		{"-5d", 0, true},
		{"-1h", 0, true},
		{"+5d", 0, true},
		{"1.5d", 0, true},
		{"90", 0, true},
		{"90 days", 0, true},
		{"99999999999999999999d", 0, true},
		{"200000d", 0, true}, // beyond time.Duration
	}
	for _, tt := range tests {
		got, err := auth.ParseExpiry(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
