package sample

import (
	"fmt"
	"log"
	"os"

	"example/phone"
)

type patient struct{ Name, NID string }

func logs(p patient, phoneNumber string, err error, logf func(string, ...any)) {
	log.Printf("saved %s", p.Name)
	logf("caller %s", phoneNumber)
	log.Printf("save: %v", err)
	log.Printf("age at most %d", phone.MaxAgeYears)
	logf("device %s", p.NID) // the device's serial, not patient data
	fmt.Printf("%s\n", p.Name)
}

func files() {
	_ = os.WriteFile("a", nil, 0o644)
	_ = os.WriteFile("b", nil, 0o600)
	_ = os.MkdirAll("c", 0755)
	_ = os.MkdirAll("d", 0o700)
	f, _ := os.Create("e")
	_ = f.Chmod(0o640)
	_, _ = os.OpenFile("f", os.O_CREATE, 0o600)
}
