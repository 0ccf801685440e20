//! Black-box tests of patrimoine-cli.
