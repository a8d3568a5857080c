package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// TestFromJSONText checks that the decoder's fast paths read what json.Marshal writes
// exactly as encoding/json does, and broken values as empty.
func TestFromJSONText(t *testing.T) {
	for _, list := range [][]string{{}, {"rechenzentrum"}, {"E-Akte", "Bürgerkonto", "GkG NRW"},
		{`say "hi"`, `a\b`, "x<y & z>", "tab\tnew\nline", "", ","}, {"[", "]", `"`}} {
		text := jsonText(list)
		var want []string
		_ = json.Unmarshal([]byte(text), &want)
		if got := fromJSONText[string](text); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", text, got, want)
		}
	}
	for _, broken := range []string{`["a"b"]`, `["a","b]`, `["a",]`, `[1,2]`, `{"a":1}`, `["a" ,"b"]`, `[`, `x`} {
		var want []string
		_ = json.Unmarshal([]byte(broken), &want)
		if got := fromJSONText[string](broken); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", broken, got, want)
		}
	}
	if got := fromJSONText[string](""); got != nil {
		t.Errorf(`"": %#v`, got)
	}
}

// TestDate checks the fast date parser against coop.ParsePartialDate.
func TestDate(t *testing.T) {
	for _, s := range []string{"", "2016", "2016-11", "2016-11-15", "2016-02-29", "2015-02-29", "2016-13",
		"2016-00", "0999", "2016-1", "16-11-15", "2016-11-31", "2016-04-30", "x016", "2016-11-1a"} {
		want, _ := coop.ParsePartialDate(s)
		if got := date(s); got != want {
			t.Errorf("%q: got %+v, want %+v", s, got, want)
		}
	}
}
