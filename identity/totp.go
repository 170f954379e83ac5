package identity

import (
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// NewTOTP makes a TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s, as every
// authenticator app reads it) for account on this clinic, and the
// otpauth:// URL to show as a QR code or type in.
func NewTOTP(issuer, account string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account})
	if err != nil {
		return "", "", fmt.Errorf("TOTP secret: %w", err)
	}
	return k.Secret(), k.URL(), nil
}

// checkTOTP accepts code at t with one step of clock drift either way.
func checkTOTP(code, secret string, t time.Time) bool {
	ok, err := totp.ValidateCustom(code, secret, t, totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

// TOTPCode is the current code for secret (tests, and a set-up check).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCode(secret, t)
}
