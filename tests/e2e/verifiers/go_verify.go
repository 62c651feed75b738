// go_verify ROOT INTERMEDIATE LEAF PURPOSE: Go's crypto/x509 verifies LEAF through INTERMEDIATE to
// ROOT for PURPOSE (server, email or codesign). Prints "accepted" and exits 0, or "refused: why"
// and exits 1; 2 for a bad invocation. Built by tests/e2e/verifier_matrix_test.sh with Debian's
// golang, standard library only.
package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

func load(path string) *x509.Certificate {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Println("read:", err)
		os.Exit(2)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		fmt.Println("no PEM certificate in", path)
		os.Exit(2)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		fmt.Println("parse:", err)
		os.Exit(2)
	}
	return cert
}

func main() {
	if len(os.Args) != 5 {
		fmt.Println("usage: go_verify ROOT INTERMEDIATE LEAF server|email|codesign")
		os.Exit(2)
	}
	usage, known := map[string]x509.ExtKeyUsage{
		"server":   x509.ExtKeyUsageServerAuth,
		"email":    x509.ExtKeyUsageEmailProtection,
		"codesign": x509.ExtKeyUsageCodeSigning,
	}[os.Args[4]]
	if !known {
		fmt.Println("unknown purpose", os.Args[4])
		os.Exit(2)
	}
	roots := x509.NewCertPool()
	roots.AddCert(load(os.Args[1]))
	intermediates := x509.NewCertPool()
	intermediates.AddCert(load(os.Args[2]))
	// Go checks every SAN against every CA's NameConstraints, and the requested purpose against
	// the extendedKeyUsage of every certificate in the chain.
	_, err := load(os.Args[3]).Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: intermediates, KeyUsages: []x509.ExtKeyUsage{usage}})
	if err != nil {
		fmt.Println("refused:", err)
		os.Exit(1)
	}
	fmt.Println("accepted")
}
