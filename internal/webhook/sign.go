// Package webhook delivers the change log to webhook subscriptions: signed per the
// Standard Webhooks specification, in change order per subscription, at least once,
// with retries on a schedule, by the one instance that holds the subscription's lease
// in the database; through an HTTP client that refuses private addresses at connect
// time.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// secretKey is the HMAC key of a whsec_ secret: its base64 part, decoded.
func secretKey(secret string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(b) == 0 {
		return nil, errors.New("webhook: malformed secret")
	}
	return b, nil
}

// Sign is the webhook-signature value of one message for one secret:
// v1,base64(HMAC-SHA256(key, id.timestamp.body)).
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Signature is the webhook-signature header: the current secret's signature, and
// during a rotation's grace period the previous secret's too (space separated), so
// that a receiver with either secret verifies.
func Signature(s coop.WebhookSecrets, now time.Time, msgID string, ts time.Time, body []byte) (string, error) {
	sig, err := Sign(s.Current, msgID, ts, body)
	if err != nil {
		return "", err
	}
	if s.Previous != "" && s.PreviousUntil != nil && now.Before(*s.PreviousUntil) {
		old, err := Sign(s.Previous, msgID, ts, body)
		if err != nil {
			return "", err
		}
		sig += " " + old
	}
	return sig, nil
}
